"""Metrics on crafted answers: each number checked by hand."""

from __future__ import annotations

import pytest

from evals.gold import GoldQuestion
from evals.metrics import (
    aggregate,
    citation_precision,
    citation_recall,
    citation_validity,
    cited_numbers,
    cited_sources,
    fact_hits,
    first_gold_rank,
    hit_at,
    language_match,
    latency_summary,
    percentile,
    reciprocal_rank,
    score_question,
)
from tests.evals.fakes import word_language

CPAP = GoldQuestion(
    "q1",
    "Which plan?",
    "en",
    ("paper-a",),
    (("Country Program(me)? Action Plan", "CPAP"), ("2021",)),
    False,
)
MULTI = GoldQuestion("q2", "Which papers?", "id", ("paper-a", "paper-b"), (("ekonomi",),), False)
NONE = GoldQuestion("u1", "Capital of France?", "en", (), (), True)


def answer(
    text: str, refused: bool = False, cites: tuple[tuple[int, str], ...] = (), language: str = "en"
) -> dict:
    return {
        "question": "q",
        "answer": text,
        "language": language,
        "refused": refused,
        "citations": [{"n": n, "source": s, "text": "", "score": 0.5} for n, s in cites],
        "timings_ms": {"retrieve": 10.0, "generate": 100.0, "total": 110.0},
    }


def test_retrieval_ranks() -> None:
    ranked = ["paper-b.txt", "paper-c.pdf", "paper-a.txt", "paper-a.txt"]
    rank = first_gold_rank(["paper-a"], ranked)
    assert rank == 3
    assert [hit_at(rank, k) for k in (1, 3, 5)] == [0.0, 1.0, 1.0]
    assert reciprocal_rank(rank) == pytest.approx(1 / 3)
    assert first_gold_rank(["paper-z"], ranked) is None
    assert reciprocal_rank(None) == 0.0 and hit_at(None, 5) == 0.0


def test_fact_hits_ignore_citation_markers() -> None:
    assert fact_hits([["CPAP"], ["2021"]], "The CPAP [1] covers 2021-2025.") == [True, True]
    assert fact_hits([["2"]], "Nothing numeric here [2].") == [False]


def test_citation_numbers_and_validity() -> None:
    text = "A [1]. B [2, 3]. C [1][4]."
    assert cited_numbers(text) == [1, 2, 3, 1, 4]
    assert citation_validity(text, [1, 2, 3, 4])
    assert not citation_validity(text, [1, 2, 3])
    assert citation_validity("No markers at all.", [])


def test_cited_sources_precision_recall() -> None:
    cites = [{"n": 1, "source": "paper-a.txt"}, {"n": 2, "source": "paper-c.txt"}]
    first = [{"text": "Only the first.", "citations": [1], "evidence": []}]
    assert cited_sources(
        {"answer": "Only the first [1].", "citations": cites, "sentences": first}
    ) == ["paper-a"]
    # An older result without sentences is scored from its markers.
    assert cited_sources({"answer": "Only the first [1].", "citations": cites}) == ["paper-a"]
    # No markers: every attached citation is what the reader is shown.
    assert cited_sources({"answer": "No markers.", "citations": cites}) == ["paper-a", "paper-c"]
    assert citation_precision(["paper-a", "paper-c"], ["paper-a"]) == 0.5
    assert citation_precision([], ["paper-a"]) is None
    assert citation_recall(["paper-a"], ["paper-a", "paper-b"]) == 0.5


def test_language_match_rules() -> None:
    assert language_match("The plan is the CPAP.", False, "en", "en", word_language)
    assert not language_match(
        "Rencananya adalah CPAP dan yang lain.", False, "en", "en", word_language
    )
    # A short refusal that detection cannot place falls back to the engine's label.
    assert language_match("—", True, "id", "id", word_language)
    assert not language_match("—", False, "id", "id", word_language)


def test_score_correct_answer() -> None:
    a = answer(
        "The Country Programme Action Plan [1] from 2021 [2].",
        cites=((1, "paper-a.txt"), (2, "paper-b.txt")),
    )
    s = score_question(CPAP, a, ["paper-a.txt", "paper-b.txt"], word_language)
    assert s["hit@1"] == 1.0 and s["mrr"] == 1.0
    assert s["fact_accuracy"] == 1.0 and s["fact_recall"] == 1.0
    assert s["citation_validity"] == 1.0
    assert s["citation_precision"] == 0.5 and s["citation_recall"] == 1.0
    assert s["correct"] == 1.0 and s["refusal_correct"] == 1.0 and s["language_match"] == 1.0


def test_score_partial_and_invalid_citation() -> None:
    a = answer("It is the CPAP [3].", cites=((1, "paper-a.txt"),))
    s = score_question(CPAP, a, ["paper-x.txt"], word_language)
    assert s["fact_accuracy"] == 0.0 and s["fact_recall"] == 0.5
    assert s["citation_validity"] == 0.0
    assert s["citation_precision"] is None  # [3] names no citation: nothing real is cited
    assert s["hit@5"] == 0.0 and s["correct"] == 0.0


def test_score_refusals() -> None:
    refusal = answer("The library does not contain the answer.", refused=True)
    right = score_question(NONE, refusal, ["paper-a.txt"], word_language)
    assert right["correct"] == 1.0 and right["refusal_correct"] == 1.0
    assert right["hit@1"] is None and right["fact_accuracy"] is None
    wrong = score_question(CPAP, refusal, ["paper-a.txt"], word_language)
    assert wrong["refused"] == 1.0 and wrong["refusal_correct"] == 0.0
    assert wrong["fact_accuracy"] == 0.0 and wrong["correct"] == 0.0
    answered = score_question(NONE, answer("Paris is the capital."), [], word_language)
    assert answered["correct"] == 0.0 and answered["refusal_correct"] == 0.0


def test_aggregate_overall_language_document() -> None:
    golds = [CPAP, MULTI, NONE]
    scores = [
        score_question(
            CPAP,
            answer("CPAP 2021 [1]", cites=((1, "paper-a.txt"),)),
            ["paper-a.txt"],
            word_language,
        ),
        score_question(
            MULTI, answer("Tidak ada.", refused=True, language="id"), ["paper-x.txt"], word_language
        ),
        score_question(NONE, answer("Paris is the capital."), [], word_language),
    ]
    agg = aggregate(golds, scores)
    overall = agg["overall"]
    assert overall["n"] == 3 and overall["n_answerable"] == 2
    assert overall["accuracy"] == pytest.approx(1 / 3)
    assert overall["precision"] == 0.5  # answered 2, one right
    assert overall["refusal_accuracy"] == pytest.approx(1 / 3)
    assert overall["unanswerable_refused"] == 0.0 and overall["answerable_refused"] == 0.5
    assert overall["hit@1"] == 0.5  # averaged over answerable questions only
    assert set(agg["by_language"]) == {"en", "id"}
    assert agg["by_language"]["id"]["fact_accuracy"] == 0.0
    assert set(agg["by_document"]) == {"paper-a", "paper-b"}
    assert agg["by_document"]["paper-a"]["n"] == 2


def test_percentiles_and_latency() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(1, 101))), 95) == pytest.approx(95.05)
    lat = latency_summary([{"retrieve": 10.0, "total": 50.0}, {"retrieve": 30.0, "total": 70.0}])
    assert lat["retrieve"]["p50"] == 20.0 and lat["total"]["max"] == 70.0
    assert lat["generate"]["n"] == 0 and lat["generate"]["p95"] is None
