"""The no-LLM answer: the 1-3 passage sentences that best match the question, each cited.

Fast (a few ms over retrieval) and deterministic, so it serves as the fallback when no model
is configured or a remote one is down, and in tests. It quotes: a sentence is given in its
passage's language and cannot be translated, so an English question over Indonesian passages
gets Indonesian sentences. Sentence choice is lexical (the question's content terms, the
bilingual glossary, names and numbers) plus the passage's retrieval rank and dense score,
which were already computed, so nothing is embedded here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.types import Passage
from rag.citations import (
    Attribution,
    SentenceSupport,
    Terms,
    content_terms,
    renumber,
    split_sentences,
)

# Share of the question's weighted terms a sentence must contain to be offered as an answer.
MIN_COVERAGE = 0.3
# Further sentences must score at least this fraction of the best one.
RELATIVE_CUTOFF = 0.7
MIN_WORDS, MAX_WORDS = 6, 70


@dataclass(frozen=True)
class _Candidate:
    passage: int
    position: int
    text: str
    coverage: float
    score: float


def extractive_answer(
    question: str, passages: Sequence[Passage], max_sentences: int = 3
) -> Attribution:
    """An answer quoted from ``passages``; empty (no sentences) when nothing matches well."""
    question_terms = content_terms(question)
    candidates = [c for i, p in enumerate(passages) for c in _candidates(question_terms, i, p)]
    candidates.sort(key=lambda c: (-c.score, c.passage, c.position))
    chosen: list[_Candidate] = []
    for candidate in candidates:
        if len(chosen) == max_sentences:
            break
        if candidate.coverage < MIN_COVERAGE:
            break  # sorted by score, and coverage dominates the score
        if chosen and candidate.score < RELATIVE_CUTOFF * chosen[0].score:
            break
        if any(_near_duplicate(candidate.text, c.text) for c in chosen):
            continue
        chosen.append(candidate)
    chosen.sort(key=lambda c: (c.passage, c.position))  # read in the passages' order
    sentences = [SentenceSupport(c.text, (c.passage,), round(c.coverage, 4)) for c in chosen]
    return renumber(sentences, passages)


def _candidates(question: Terms, index: int, passage: Passage) -> list[_Candidate]:
    # Rank prior: the first passages were judged most relevant by dense + keyword retrieval.
    prior = 0.08 / (1 + index) + 0.1 * max(0.0, (passage.dense_score or 0.0) - 0.75)
    found: list[_Candidate] = []
    for position, sentence in enumerate(split_sentences(passage.chunk.text)):
        words = len(sentence.split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            continue  # headings, reference lists, table debris
        coverage = _coverage(question, content_terms(sentence))
        found.append(_Candidate(index, position, sentence, coverage, coverage + prior))
    return found


def _coverage(question: Terms, sentence: Terms) -> float:
    if not question.all:
        return 0.0
    total = sum(2.0 if t in question.strong else 1.0 for t in question.all)
    hit = sum(2.0 if t in question.strong else 1.0 for t in question.all & sentence.all)
    return hit / total


def _near_duplicate(a: str, b: str) -> bool:
    # Overlapping chunks repeat a sentence; quoting it twice says nothing new.
    ta, tb = content_terms(a).all, content_terms(b).all
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) > 0.8
