"""The gold questions are honest: valid format, and every fact is stated in its documents."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.gold import (
    GoldFormatError,
    GoldQuestion,
    fact_matches,
    load_gold,
    parse_lines,
    project_gold_files,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
GOLD = load_gold(project_gold_files())
ANSWERABLE = [g for g in GOLD if not g.unanswerable]


def corpus_text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def test_project_gold_files_are_the_expected_ones() -> None:
    names = {p.name for p in project_gold_files()}
    assert {"abstracts.jsonl", "bodies.jsonl", "unanswerable.jsonl"} <= names


def test_ids_are_unique_and_prefixed() -> None:
    ids = [g.id for g in GOLD]
    assert len(ids) == len(set(ids))
    for g in GOLD:
        prefix = "un-" if g.unanswerable else ("abs-", "body-")
        assert g.id.startswith(prefix), g.id


def test_docs_exist_in_corpus() -> None:
    stems = {p.stem for p in CORPUS.glob("*.txt")}
    for g in GOLD:
        assert set(g.docs) <= stems, (g.id, g.docs)


def test_unanswerable_have_no_docs_or_facts() -> None:
    unanswerable = [g for g in GOLD if g.unanswerable]
    assert len(unanswerable) >= 8
    assert all(not g.docs and not g.facts for g in unanswerable)
    assert {g.lang for g in unanswerable} == {"en", "id"}


def test_coverage_per_paper_and_language() -> None:
    abstracts = load_gold([p for p in project_gold_files() if p.name == "abstracts.jsonl"])
    single = Counter((g.docs[0], g.lang) for g in abstracts if len(g.docs) == 1)
    for stem in (p.stem for p in CORPUS.glob("*.txt")):
        assert single[(stem, "en")] >= 4, stem
        assert single[(stem, "id")] >= 4, stem
    assert any(len(g.docs) >= 3 for g in abstracts)
    bodies = load_gold([p for p in project_gold_files() if p.name == "bodies.jsonl"])
    assert 8 <= len(bodies) <= 12


@pytest.mark.parametrize("gold", ANSWERABLE, ids=[g.id for g in ANSWERABLE])
def test_every_fact_is_stated_in_the_gold_documents(gold: GoldQuestion) -> None:
    text = "\n".join(corpus_text(stem) for stem in gold.docs)
    for group in gold.facts:
        assert fact_matches(group, text), (gold.id, group)


def test_multi_document_facts_hold_per_document() -> None:
    """A question spanning papers must need each paper: every doc states a fact of it."""
    for g in ANSWERABLE:
        if len(g.docs) > 1:
            for stem in g.docs:
                text = corpus_text(stem)
                assert any(fact_matches(group, text) for group in g.facts), (g.id, stem)


def test_matching_is_case_insensitive_and_ignores_line_breaks() -> None:
    assert fact_matches(["shadow of the future"], "the SHADOW of\nthe   future")
    assert fact_matches(
        ["Country Program(me)? Action Plan", "CPAP"], "the country programme action plan"
    )
    assert not fact_matches(["Bappenas"], "Kementerian Sosial")


def _line(**fields: object) -> str:
    base: dict[str, object] = {
        "id": "x1",
        "q": "What?",
        "lang": "en",
        "docs": ["d"],
        "facts": [["a"]],
        "unanswerable": False,
    }
    base.update(fields)
    return json.dumps(base)


def test_bad_lines_give_one_clear_problem_each() -> None:
    lines = [
        _line(),
        "{not json",
        _line(id="x2", lang="fr"),
        _line(id="x3", facts=[["(unclosed"]]),
        _line(id="x4", unanswerable=True),
        _line(id="x5", docs=[]),
        json.dumps({"id": "x6", "q": "?"}),
        "",
    ]
    questions, problems = parse_lines(lines, "g.jsonl")
    assert [q.id for q in questions] == ["x1"]
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4", "5", "6", "7"]
    assert "not valid JSON" in problems[0]
    assert "lang must be one of en, id" in problems[1]
    assert "not a valid regex" in problems[2]
    assert "unanswerable question must have empty docs and facts" in problems[3]
    assert "needs at least one document" in problems[4]
    assert "missing field(s) lang, docs, facts, unanswerable" in problems[5]


def test_load_gold_reports_duplicates_and_missing_files(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text(_line() + "\n" + _line() + "\n", encoding="utf-8")
    with pytest.raises(GoldFormatError) as err:
        load_gold([a, tmp_path / "missing.jsonl"])
    problems = err.value.problems
    assert any("missing.jsonl: cannot read gold file" in p for p in problems)
    assert any("'x1' is used more than once" in p for p in problems)


def test_round_trip_to_dict() -> None:
    g = GOLD[0]
    assert parse_lines([json.dumps(g.to_dict())], "x")[0] == [g]


def _library_questions() -> list[tuple[str, GoldQuestion]]:
    from evals.libraries import eval_libraries

    return [
        (name, gold)
        for name, library in eval_libraries().items()
        if name != "sample"
        for gold in load_gold(list(library.gold))
    ]


@pytest.mark.parametrize(
    ("library", "gold"), _library_questions(), ids=lambda v: v if isinstance(v, str) else v.id
)
def test_every_library_question_is_checked_against_its_documents(
    library: str, gold: GoldQuestion
) -> None:
    """The gold of every eval library, as of the sample: documents exist, facts are stated in
    them, unanswerable questions have none, and no question already states all its facts."""
    from evals.libraries import eval_libraries

    documents = eval_libraries()[library].documents
    if gold.unanswerable:
        assert not gold.docs and not gold.facts
        return
    texts = [(documents / f"{stem}.txt").read_text(encoding="utf-8") for stem in gold.docs]
    for group in gold.facts:
        assert fact_matches(group, "\n".join(texts)), (gold.id, group)
    assert not all(fact_matches(group, gold.q) for group in gold.facts), gold.id
