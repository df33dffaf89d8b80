"""Answer-accuracy metrics: pure functions over gold questions, answers and rankings.

Per question, ``score_question`` gives a flat dict of metric name -> value, where ``None``
means "does not apply" (retrieval metrics of an unanswerable question, precision of an answer
that cites nothing); ``aggregate`` averages each metric over the questions it applies to.

Documents are named as gold files name them: the source file name without its extension.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from core.text.markers import cited_numbers, strip_markers
from evals.gold import GoldQuestion, doc_stem, fact_matches

Detector = Callable[[str], str]
Scores = dict[str, float | None]

HIT_KS = (1, 3, 5)
STAGES = ("retrieve", "evidence", "generate", "total")


# --- retrieval -------------------------------------------------------------------------------


def first_gold_rank(gold_docs: Iterable[str], ranked_sources: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved passage from a gold document, or None."""
    wanted = set(gold_docs)
    for rank, source in enumerate(ranked_sources, start=1):
        if doc_stem(source) in wanted:
            return rank
    return None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


# --- facts -----------------------------------------------------------------------------------


def fact_hits(facts: Sequence[Sequence[str]], answer_text: str) -> list[bool]:
    """For each fact group, whether the answer states it (any alternative)."""
    text = strip_markers(answer_text)
    return [fact_matches(group, text) for group in facts]


# --- citations -------------------------------------------------------------------------------


def citation_validity(answer_text: str, citation_numbers: Iterable[int]) -> bool:
    """Every [n] in the answer maps to a citation entry (true when there are no markers)."""
    known = set(citation_numbers)
    return all(n in known for n in cited_numbers(answer_text))


def cited_sources(answer: Mapping[str, Any]) -> list[str]:
    """Document stems of the citations the answer's sentences rest on (``sentences``: each
    sentence names its citations). An answer without sentences, from an older result, is
    scored from its text's markers; one with no markers at all counts every attached
    citation, as the answer presents them to the reader as its sources."""
    citations = list(answer.get("citations", []))
    if "sentences" in answer:
        numbers = {n for s in answer["sentences"] for n in s["citations"]}
    else:
        numbers = set(cited_numbers(str(answer["answer"])))
    chosen = [c for c in citations if not numbers or int(c["n"]) in numbers]
    return [doc_stem(str(c["source"])) for c in chosen]


def citation_precision(sources: Sequence[str], gold_docs: Iterable[str]) -> float | None:
    """Share of cited passages that come from a gold document; None when nothing is cited."""
    if not sources:
        return None
    wanted = set(gold_docs)
    return sum(1 for s in sources if s in wanted) / len(sources)


def citation_recall(sources: Sequence[str], gold_docs: Sequence[str]) -> float:
    """Share of gold documents cited at least once (1.0 or 0.0 for a one-document question)."""
    if not gold_docs:
        return 0.0
    cited = set(sources)
    return sum(1 for d in set(gold_docs) if d in cited) / len(set(gold_docs))


# --- language --------------------------------------------------------------------------------


def language_match(
    answer_text: str, refused: bool, question_lang: str, claimed: str, detect: Detector
) -> bool:
    """The answer is in the question's language.

    A refusal counts when its message is in the question's language; short refusal messages
    can defeat detection, and then the engine's own language label decides.
    """
    detected = detect(strip_markers(answer_text))
    if refused and detected == "unknown":
        detected = claimed
    return detected == question_lang


# --- one question ----------------------------------------------------------------------------


def score_question(
    gold: GoldQuestion,
    answer: Mapping[str, Any],
    ranked_sources: Sequence[str],
    detect: Detector,
) -> Scores:
    """Every metric of one question; ``answer`` is ``Answer.to_dict()``."""
    text = str(answer["answer"])
    refused = bool(answer["refused"])
    citations = list(answer.get("citations", []))
    sources = cited_sources(answer) if not refused else []
    scores: Scores = {
        "refused": float(refused),
        "answered": float(not refused),
        "refusal_correct": float(refused == gold.unanswerable),
        "citation_validity": float(citation_validity(text, (int(c["n"]) for c in citations))),
        "language_match": float(
            language_match(text, refused, gold.lang, str(answer.get("language", "")), detect)
        ),
    }
    if gold.unanswerable:
        scores.update(dict.fromkeys(_ANSWERABLE_ONLY))
        scores["correct"] = float(refused)
        return scores
    rank = first_gold_rank(gold.docs, ranked_sources)
    for k in HIT_KS:
        scores[f"hit@{k}"] = hit_at(rank, k)
    scores["mrr"] = reciprocal_rank(rank)
    hits = fact_hits(gold.facts, text) if not refused else [False] * len(gold.facts)
    scores["fact_accuracy"] = float(all(hits))
    scores["fact_recall"] = sum(hits) / len(hits)
    scores["citation_precision"] = citation_precision(sources, gold.docs)
    scores["citation_recall"] = citation_recall(sources, gold.docs)
    scores["correct"] = float(not refused and all(hits))
    return scores


_ANSWERABLE_ONLY = (
    *(f"hit@{k}" for k in HIT_KS),
    "mrr",
    "fact_accuracy",
    "fact_recall",
    "citation_precision",
    "citation_recall",
)


# --- aggregates ------------------------------------------------------------------------------


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def summarise(golds: Sequence[GoldQuestion], scores: Sequence[Scores]) -> dict[str, Any]:
    """Averages of every metric plus the refusal and LitQA-style accuracy figures."""
    keys = sorted({k for s in scores for k in s})
    summary: dict[str, Any] = {key: mean(s.get(key) for s in scores) for key in keys}
    answerable = [s for g, s in zip(golds, scores, strict=True) if not g.unanswerable]
    unanswerable = [s for g, s in zip(golds, scores, strict=True) if g.unanswerable]
    answered = [s for s in scores if s["answered"]]
    summary.update(
        n=len(scores),
        n_answerable=len(answerable),
        n_unanswerable=len(unanswerable),
        accuracy=mean(s["correct"] for s in scores),
        # LitQA-style precision: of the questions answered (not refused), how many were right.
        precision=mean(s["correct"] for s in answered),
        refusal_accuracy=mean(s["refusal_correct"] for s in scores),
        unanswerable_refused=mean(s["refused"] for s in unanswerable),
        answerable_refused=mean(s["refused"] for s in answerable),
    )
    return summary


def aggregate(golds: Sequence[GoldQuestion], scores: Sequence[Scores]) -> dict[str, Any]:
    """Overall, per language and per gold document (a question counts for each of its docs)."""
    by_language: dict[str, Any] = {}
    for lang in sorted({g.lang for g in golds}):
        idx = [i for i, g in enumerate(golds) if g.lang == lang]
        by_language[lang] = summarise([golds[i] for i in idx], [scores[i] for i in idx])
    by_document: dict[str, Any] = {}
    for doc in sorted({d for g in golds for d in g.docs}):
        idx = [i for i, g in enumerate(golds) if doc in g.docs]
        by_document[doc] = summarise([golds[i] for i in idx], [scores[i] for i in idx])
    return {
        "overall": summarise(golds, scores),
        "by_language": by_language,
        "by_document": by_document,
    }


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(timings: Sequence[Mapping[str, float]]) -> dict[str, dict[str, Any]]:
    """p50 / p95 / mean / max in milliseconds for each answer stage."""
    summary: dict[str, dict[str, Any]] = {}
    for stage in STAGES:
        values = [float(t[stage]) for t in timings if t.get(stage) is not None]
        summary[stage] = {
            "n": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "mean": mean(values),
            "max": max(values) if values else None,
        }
    return summary
