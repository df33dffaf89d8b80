"""Refusal before any LLM call: do the retrieved passages hold evidence for the question?

The top e5 cosine alone separates badly (answerable 0.83-0.95, unanswerable 0.75-0.87 on the
sample library), so it only removes the clearly unrelated; the question's content terms must
also meet the passages, and every country or acronym it asks about must occur (a question
about Cambodia is not answered from papers about Vietnam).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.types import Passage
from rag.citations import Terms, content_terms, word_set

# Share of the question's weighted content terms that must occur in the retrieved passages.
MIN_QUESTION_COVERAGE = 0.34


def weak_evidence(question: str, passages: Sequence[Passage], min_dense: float) -> str | None:
    """Why the passages cannot answer ``question`` (so no LLM is asked), or None.

    Only countries and acronyms count as names here: they are written the same in English and
    Indonesian. Other capitalised words are often translated in the sources ("Southeast Asian
    Conference" is "Konferensi Asia Tenggara"), so their absence proves nothing.
    """
    if not passages:
        return "no passages"
    dense = [p.dense_score for p in passages if p.dense_score is not None]
    if dense and max(dense) < min_dense:
        return f"best similarity {max(dense):.3f} < {min_dense}"
    asked = content_terms(question)
    found: set[str] = set()
    for passage in passages:
        found |= content_terms(passage.chunk.text).all
    if coverage(asked, found) < MIN_QUESTION_COVERAGE:
        return "the question's key terms are not in the passages"
    missing = [name for name in places_and_acronyms(question) if not _name_found(name, found)]
    return f"not in the passages: {', '.join(missing)}" if missing else None


def coverage(asked: Terms, found: set[str] | frozenset[str]) -> float:
    """Share of the asked terms (names, acronyms, numbers weighted double) found in ``found``."""
    if not asked.all:
        return 1.0  # nothing to check ("Why?"): let the other checks decide
    total = sum(2.0 if t in asked.strong else 1.0 for t in asked.all)
    hit = sum(2.0 if t in asked.strong else 1.0 for t in asked.all if t in found)
    return hit / total


# Countries in English and Indonesian spelling: general vocabulary for policy documents, so
# that a question about another country than the passages' is recognised.
COUNTRIES = word_set(
    """afghanistan algeria argentina australia austria bangladesh belgia belgium bhutan brazil
    brasil brunei burma cambodia cambodian kamboja canada kanada chile china cina tiongkok
    colombia kolombia egypt mesir ethiopia etiopia france prancis perancis germany jerman
    ghana greece yunani india indonesia iran iraq irak ireland irlandia israel italy italia
    japan jepang jordan yordania kenya korea laos lebanon libanon malaysia maldives mexico
    meksiko mongolia morocco maroko myanmar nepal netherlands belanda nigeria norway norwegia
    pakistan philippines filipina filipino poland polandia portugal qatar russia rusia saudi
    singapore singapura spain spanyol sweden swedia switzerland swiss taiwan thailand thai
    timor turkey turki uganda ukraine ukraina vietnam viet yemen yaman america amerika usa
    england inggris britain"""
)


def places_and_acronyms(question: str) -> list[str]:
    """The question's countries and acronyms (CPAP, KPAI, FIFA), as content terms."""
    names: list[str] = []
    for word in re.findall(r"[A-Za-z]+", question):
        if word.lower() in COUNTRIES or (len(word) >= 3 and word.isupper()):
            names.extend(t for t in content_terms(word).all if t not in names)
    return names


def _name_found(name: str, found: set[str]) -> bool:
    # Prefix match: "Indonesian" / "Vietnamese" name the country the passages call
    # "Indonesia" / "Vietnam".
    stem = name[: max(4, min(len(name), 6))]
    return name in found or any(term.startswith(stem) for term in found)
