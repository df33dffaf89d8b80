"""``lentera eval`` through click's CliRunner, with a scripted engine in place of the default."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lentera.cli_eval import EvalParts, eval_command
from tests.evals.fakes import Script, ScriptedEngine, ScriptedRetriever, passage

A = passage("tiny-paper.txt", "The Country Programme Action Plan (CPAP) was signed in 2021.")
QUESTIONS = {
    "Which plan was signed?": Script("The plan was the CPAP [1].", cites=[A], retrieved=[A]),
    "Rencana apa yang ditandatangani?": Script(
        "Rencananya adalah CPAP dan ditandatangani pada tahun 2021 [1].",
        cites=[A],
        language="id",
        retrieved=[A],
    ),
    "What is the capital of France?": Script(
        "The library does not contain the answer to this question.", refused=True
    ),
}
GOLD_LINES = [
    {
        "id": "t1",
        "q": "Which plan was signed?",
        "lang": "en",
        "docs": ["tiny-paper"],
        "facts": [["CPAP", "Country Program(me)? Action Plan"]],
        "unanswerable": False,
    },
    {
        "id": "t2",
        "q": "Rencana apa yang ditandatangani?",
        "lang": "id",
        "docs": ["tiny-paper"],
        "facts": [["CPAP"], ["2021"]],
        "unanswerable": False,
    },
    {
        "id": "t3",
        "q": "What is the capital of France?",
        "lang": "en",
        "docs": [],
        "facts": [],
        "unanswerable": True,
    },
]


def setup(tmp_path: Path, scripts: dict[str, Script] = QUESTIONS):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "tiny-paper.txt").write_text(A.chunk.text, encoding="utf-8")
    gold = tmp_path / "tiny.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in GOLD_LINES), encoding="utf-8")
    ingested: list[Path] = []

    def factory(settings, prune=False):
        def ingest(path: Path) -> str:
            ingested.append(path)
            return "added 1"

        return EvalParts(ScriptedEngine(scripts), ScriptedRetriever(scripts), ingest)

    return corpus, gold, ingested, factory


def invoke(args: list[str], factory):
    return CliRunner().invoke(eval_command, args, obj={"eval_parts_factory": factory})


def test_eval_on_a_custom_gold_file_writes_reports(tmp_path: Path) -> None:
    corpus, gold, ingested, factory = setup(tmp_path)
    out = tmp_path / "out"
    res = invoke(
        [
            "--gold",
            str(gold),
            "--corpus",
            str(corpus),
            "--out",
            str(out),
            "--llm",
            "extractive",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        factory,
    )
    assert res.exit_code == 0, res.output
    assert ingested == [corpus]
    assert "| fact accuracy | 1.000 | 1.000 | 1.000 |" in res.stdout
    assert {p.name for p in out.iterdir()} == {"result.json", "summary.md", "report.html"}
    data = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert data["aggregates"]["overall"]["accuracy"] == 1.0
    assert data["settings"]["llm"] == "extractive"
    assert data["corpus"][0]["file"] == "tiny-paper.txt"
    assert (out / "summary.md").read_text(encoding="utf-8") in res.stdout


def test_no_ingest_and_limit(tmp_path: Path) -> None:
    corpus, gold, ingested, factory = setup(tmp_path)
    res = invoke(
        [
            "--gold",
            str(gold),
            "--corpus",
            str(corpus),
            "--out",
            str(tmp_path / "o"),
            "--no-ingest",
            "--limit",
            "1",
            "-q",
        ],
        factory,
    )
    assert res.exit_code == 0, res.output
    assert ingested == []
    assert "- 1 questions" in res.stdout


def test_bad_gold_file_gives_one_line_per_bad_line(tmp_path: Path) -> None:
    corpus, _, _, factory = setup(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n' + json.dumps(GOLD_LINES[0]) + "\n", encoding="utf-8")
    res = invoke(["--gold", str(bad), "--corpus", str(corpus)], factory)
    assert res.exit_code == 2
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: bad.jsonl:1: missing field(s) q, lang, docs, facts, unanswerable",
        "Error: bad.jsonl:2: not valid JSON (Expecting value)",
    ]


def test_baseline_regression_exits_1(tmp_path: Path) -> None:
    corpus, gold, _, factory = setup(tmp_path)
    base_dir = tmp_path / "base"
    args = ["--gold", str(gold), "--corpus", str(corpus), "--no-ingest", "-q"]
    assert invoke([*args, "--out", str(base_dir)], factory).exit_code == 0
    baseline = base_dir / "result.json"
    # Same answers: no regression.
    same = invoke([*args, "--out", str(tmp_path / "same"), "--baseline", str(baseline)], factory)
    assert same.exit_code == 0, same.output
    assert "no regression" in same.stdout
    # The Indonesian answer loses a fact: fact accuracy drops by a third.
    worse = dict(QUESTIONS)
    worse["Rencana apa yang ditandatangani?"] = Script(
        "Rencananya adalah CPAP [1].", cites=[A], language="id", retrieved=[A]
    )
    _, _, _, worse_factory = setup(tmp_path, worse)
    res = invoke(
        [*args, "--out", str(tmp_path / "worse"), "--baseline", str(baseline)], worse_factory
    )
    assert res.exit_code == 1
    assert "**REGRESSION**: fact_accuracy" in res.stdout
    assert "Newly failing: t2" in res.stdout
    report = (tmp_path / "worse" / "report.html").read_text(encoding="utf-8")
    assert "Against baseline" in report
    # A generous tolerance lets the same drop pass.
    ok = invoke(
        [*args, "--out", str(tmp_path / "tol"), "--baseline", str(baseline), "--tolerance", "0.5"],
        worse_factory,
    )
    assert ok.exit_code == 0


def test_baseline_that_is_not_a_result(tmp_path: Path) -> None:
    corpus, gold, _, factory = setup(tmp_path)
    bogus = tmp_path / "bogus.json"
    bogus.write_text("[]", encoding="utf-8")
    res = invoke(["--gold", str(gold), "--corpus", str(corpus), "--baseline", str(bogus)], factory)
    assert res.exit_code != 0
    assert "not an eval result" in str(res.exception)
