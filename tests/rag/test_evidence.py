"""Refusal before the LLM: coverage of the question's terms, countries and acronyms."""

from __future__ import annotations

from core.types import Chunk, Passage
from rag.citations import content_terms
from rag.evidence import coverage, places_and_acronyms, weak_evidence


def passage(text: str, dense: float | None = 0.86) -> Passage:
    chunk = Chunk("doc", "doc.txt", "Title", "Abstrak", "id", 0, len(text), text, 0)
    return Passage(chunk=chunk, score=0.03, dense_score=dense)


KPAI = passage("Komisi Perlindungan Anak Indonesia (KPAI) mencatat 120 kasus pada tahun 2019.")


def test_coverage_weights_names_and_numbers_double() -> None:
    asked = content_terms("How many cases did KPAI record?")
    assert coverage(asked, set()) == 0.0
    assert coverage(asked, set(asked.all)) == 1.0
    only_name = {t for t in asked.all if t in asked.strong}
    assert coverage(asked, only_name) == 2 / (2 + len(asked.all) - 1)  # KPAI counts 2
    assert coverage(content_terms("Why?"), set()) == 1.0  # nothing to check


def test_places_and_acronyms_are_countries_and_capitals() -> None:
    assert places_and_acronyms("What did KPAI do in Thailand for children?") == ["kpai", "thailand"]
    assert places_and_acronyms("What did the commission do?") == []


def test_weak_evidence_reasons() -> None:
    assert weak_evidence("How many cases did KPAI record?", [KPAI], 0.8) is None
    assert weak_evidence("x", [], 0.8) == "no passages"
    assert "0.700" in str(weak_evidence("KPAI cases?", [passage(KPAI.chunk.text, 0.7)], 0.8))
    assert "key terms" in str(weak_evidence("What is the capital of France?", [KPAI], 0.8))
    assert "cambodia" in str(
        weak_evidence("How many cases did KPAI record in Cambodia?", [KPAI], 0.8)
    )
    # No dense score (keyword-only hit): the lexical checks still decide.
    assert (
        weak_evidence("How many cases did KPAI record?", [passage(KPAI.chunk.text, None)], 0.8)
        is None
    )
