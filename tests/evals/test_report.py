"""Reports: the Markdown table and a self-contained, escaped HTML page."""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import Settings
from evals.compare import compare
from evals.gold import GoldQuestion
from evals.report import html_report, markdown_summary
from evals.runner import run_eval
from tests.evals.fakes import Script, ScriptedEngine, ScriptedRetriever, passage, word_language

EVIL = "<script>alert('x')</script>"
A = passage("paper-a.txt", f"The plan is the CPAP. {EVIL}")
GOLD = [
    GoldQuestion("abs-ok", "Which plan?", "en", ("paper-a",), (("CPAP",),), False),
    GoldQuestion("abs-bad", f"Which year? {EVIL}", "en", ("paper-a",), (("2021",),), False),
    GoldQuestion("un-id", "Apa ibu kota Prancis?", "id", (), (), True),
]
SCRIPTS = {
    "Which plan?": Script("The plan is the CPAP [1].", cites=[A], retrieved=[A]),
    f"Which year? {EVIL}": Script(f"It was in 1999 [1]. {EVIL}", cites=[A], retrieved=[A]),
    "Apa ibu kota Prancis?": Script("Tidak ada di dalam sumber.", refused=True, language="id"),
}


def result(tmp_path: Path) -> dict:
    settings = Settings(llm="extractive", data_dir=tmp_path)
    return run_eval(
        ScriptedEngine(SCRIPTS), ScriptedRetriever(SCRIPTS), GOLD, settings, detect=word_language
    ).to_dict()


def test_markdown_summary_has_metric_table_per_language(tmp_path: Path) -> None:
    md = markdown_summary(result(tmp_path))
    assert "| metric | overall | en | id |" in md
    row = next(line for line in md.splitlines() if line.startswith("| fact accuracy |"))
    assert row.split("|")[2].strip() == "0.500"  # one of two answerable questions
    assert "Failing questions (1): abs-bad" in md
    assert "| total |" in md


def test_markdown_with_comparison(tmp_path: Path) -> None:
    now = result(tmp_path)
    before = result(tmp_path)
    before["aggregates"]["overall"]["fact_accuracy"] = 1.0
    md = markdown_summary(now, compare(now, before, 0.02))
    assert "**REGRESSION**: fact_accuracy" in md
    assert "| fact_accuracy | 1.000 | 0.500 | -0.500 | FAIL |" in md


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    html = html_report(result(tmp_path))
    assert EVIL not in html  # every user-visible string is escaped
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "abs-bad" in html and "It was in 1999" in html
    assert 'id="abs-ok"' not in html  # only failing questions are detailed
    assert "missing: <code>2021</code>" in html
    assert html.count("<svg") >= 3  # overall, per language, latency histogram
    assert not re.search(r"<(script|link)\b", html)
    assert not re.search(r"(src|href)=\"https?:", html)
