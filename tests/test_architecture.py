"""The code's shape: each text rule has one home, and modules import each other plainly.

The layers themselves (app > ui | evals > rag > ingest > core | prompts, no cycles inside a
package) are the import contract in pyproject.toml, checked by ``make lint`` (lint-imports).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "ingest", "rag", "prompts", "ui", "evals", "lentera")
TEXT_RULES = ROOT / "core" / "text"

# A rule, the pattern that gives away a second copy of it, and the rule's one home.
RULES = [
    ("citation-marker grammar", r"re\.compile\(r?\"\\\[\(\\d|\\\[\(\\d\+", "markers.py"),
    (
        "sentence splitting",
        r"def (split_sentences|sentence_spans|_sentences)\b|_SENTENCE",
        "sentences.py",
    ),
    ("abbreviation list", r"\bdkk\b.{0,60}\bhlm\b|\bhlm\b.{0,60}\bdkk\b", "sentences.py"),
    ("stemming", r"Stemmer\.Stemmer\(", "terms.py"),
    ("stop-word list", r"stopwords\.txt|_STOPWORDS\s*=", "terms.py"),
    ("word lists", r"frozenset\((words|text)\.split\(\)\)", "words.py"),
    (
        "marker stripping",
        r"def strip_markers\b|def parse_markers\b|def cited_numbers\b",
        "markers.py",
    ),
    ("overlap score", r"def (weighted_coverage|coverage|support|_coverage)\(", "terms.py"),
]


def sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize(("rule", "pattern", "home"), RULES, ids=[r[0] for r in RULES])
def test_every_text_rule_has_one_home(rule: str, pattern: str, home: str) -> None:
    found = [
        str(path.relative_to(ROOT))
        for path in sources()
        if re.search(pattern, path.read_text(encoding="utf-8"))
    ]
    assert found == [f"core/text/{home}"], f"{rule} is written in {found}, its home is {home}"


def test_no_module_imports_another_by_name_string() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources()
        if re.search(r"importlib\.import_module\(|__import__\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_text_rules_import_nothing_of_the_stages_above() -> None:
    for path in TEXT_RULES.glob("*.py"):
        imports = re.findall(r"^(?:from|import) (\w+)", path.read_text(encoding="utf-8"), re.M)
        assert set(imports) <= {
            "__future__",
            "core",
            "re",
            "math",
            "hashlib",
            "collections",
            "dataclasses",
            "functools",
            "pathlib",
            "typing",
            "decimal",
            "Stemmer",
        }, path
