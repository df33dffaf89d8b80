"""Citations are the code's job: every sentence of a drafted answer is checked against the
evidence it cites, kept with the evidence that supports it, or dropped.

A sentence is supported by an evidence sentence when
1. every claim it makes is stated there (``core.text.claims``): each number (as a value, in
   either language's notation), each country, region, institution, month and acronym, and, when
   both are in one language, each other capitalised name. The document title counts as part of
   the evidence (it says which country or programme the passage is about). This is what catches
   a year or partner taken from the neighbouring sentence, or one country's figure given for
   another: the check is per evidence sentence, not per passage.
2. enough of its content terms are there (``weighted_coverage``): ``KEEP_SUPPORT`` for the
   evidence it cites, the stricter ``ATTRIBUTE_SUPPORT`` for evidence the model did not cite;
   for a sentence in another language than its evidence, e5 similarity of the two
   (``EMBEDDING_SUPPORT``) can stand in for shared words.
A sentence that cites unsupporting evidence is attributed to the evidence that supports it
best, if any; one that only restates the question (or a document title), or that nothing
supports, is dropped, never shown as cited. Citations are then numbered by first appearance,
one per passage, and each sentence carries the exact evidence spans it rests on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.language import detect_language
from core.protocols import Embedder
from core.text.claims import Claims, claims_of, facts_of, unsupported
from core.text.markers import parse_markers, strip_markers
from core.text.terms import Terms, content_terms, weighted_coverage
from core.text.words import WORD
from core.types import AnswerSentence, Citation, EvidenceSpan
from rag.evidence import Sentence
from rag.prompting import restates_prompt, without_reply_label
from rag.question import Question

# Calibrated on the sample library (benchmarks/calibrate_support.py): lexical support needed
# to keep evidence the model cited, and to attribute evidence it did not cite.
KEEP_SUPPORT = 0.34
ATTRIBUTE_SUPPORT = 0.5
# e5 cosine (question mode vs passage mode) that stands in for shared words across languages.
EMBEDDING_SUPPORT = 0.84


@dataclass(frozen=True)
class Checked:
    """One drafted sentence after the check: the evidence items (0-based) that support it."""

    text: str
    items: tuple[int, ...]
    reason: str | None = None  # why nothing supports it

    @property
    def supported(self) -> bool:
        return bool(self.items)


class SupportCheck:
    """Checks drafted sentences against one question's evidence."""

    def __init__(
        self, question: Question, items: Sequence[Sentence], embedder: Embedder | None = None
    ) -> None:
        self.question = question
        self.items = list(items)
        self.embedder = embedder
        self._facts = [facts_of(f"{s.passage.chunk.title}. {s.text}") for s in self.items]
        self._terms = [
            content_terms(s.text).all | content_terms(s.passage.chunk.title).all for s in self.items
        ]
        self._passage_terms = [
            content_terms(f"{s.passage.chunk.title}. {s.passage.chunk.text}").all
            for s in self.items
        ]
        self._title_words = {
            w.lower() for s in self.items for w in WORD.findall(s.passage.chunk.title)
        }
        self._vectors: list[list[float]] | None = None

    def check(self, sentence: str) -> Checked | None:
        """The checked sentence; None for a piece with no words (a stray marker)."""
        body = " ".join(without_reply_label(strip_markers(sentence)).split())
        if not WORD.search(body):
            return None
        if restates_prompt(body):
            return Checked(body, (), "restates the prompt")
        if self._restates_a_title(body):
            return Checked(body, (), "restates a document title")
        terms = content_terms(body)
        if body.endswith("?") or not (terms.all - self.question.terms.all):
            return Checked(body, (), "restates the question")
        language = detect_language(body)
        claims = self._beyond_the_source(claims_of(body))
        cited = [n - 1 for n in parse_markers(sentence) if 1 <= n <= len(self.items)]
        kept = tuple(
            i for i in cited if self._supports(i, body, terms, claims, language, KEEP_SUPPORT)
        )
        if kept:
            return Checked(body, kept)
        others = [i for i in range(len(self.items)) if i not in cited]
        ranked = sorted(others, key=lambda i: -weighted_coverage(terms, self._terms[i]))
        for i in ranked[:2]:
            if self._supports(i, body, terms, claims, language, ATTRIBUTE_SUPPORT):
                return Checked(body, (i,))
        missing = [m for i in cited for m in unsupported(claims, self._facts[i], True)]
        reason = (
            f"not in the evidence: {', '.join(sorted(set(missing)))}"
            if missing
            else ("no evidence supports it")
        )
        return Checked(body, (), reason)

    def _restates_a_title(self, body: str) -> bool:
        """Whether every word of the sentence is a word of an evidence title: a small model
        sometimes writes the heading it was shown ("Transnational Issues (CIA World Factbook,
        2023 edition)"), which the title itself would otherwise support."""
        return all(w.lower() in self._title_words for w in WORD.findall(body))

    def _supports(
        self, item: int, body: str, terms: Terms, claims: Claims, language: str, threshold: float
    ) -> bool:
        if not self._about_names_asked(item):
            return False
        same_language = language in (self.items[item].language, "unknown")
        if unsupported(claims, self._facts[item], same_language):
            return False
        if not same_language and self._named_elsewhere(item, claims):
            return False
        if weighted_coverage(terms, self._terms[item]) >= threshold:
            return True
        return not same_language and self._similarity(item, body) >= EMBEDDING_SUPPORT

    def _beyond_the_source(self, claims: Claims) -> Claims:
        """The claims of a sentence other than the source the question cites: "Burkina Faso's
        rating in the US trafficking report is ..." repeats the question's source, which the
        evidence need not name (a fact sheet rarely says who rated the country)."""
        cited = self.question.source_terms
        return replace(claims, names=claims.names - cited, proper=claims.proper - cited)

    def _about_names_asked(self, item: int) -> bool:
        """Whether the evidence's passage (with its title) names a country, region or
        institution the question asks about, when it asks about any: Chad's tier does not
        answer a question about Malaysia, however well the sentence is supported."""
        names = self.question.names
        return not names or bool(names & self._passage_terms[item])

    def _named_elsewhere(self, item: int, claims: Claims) -> bool:
        """Whether a capitalised name of the sentence, excused in the cited evidence because
        that is in another language, stands in other evidence: it came from there (the small
        model's way of merging facts of neighbouring passages)."""
        missing = claims.proper - self._terms[item]
        return any(missing & self._terms[i] for i in range(len(self.items)) if i != item)

    def _similarity(self, item: int, body: str) -> float:
        if self.embedder is None:
            return 0.0
        if self._vectors is None:
            self._vectors = self.embedder.get_text_embedding_batch([s.text for s in self.items])
        return _cosine(self.embedder.get_query_embedding(body), self._vectors[item])


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class Numbering:
    """Citation numbers by first appearance, one per passage, as sentences are kept."""

    def __init__(self, items: Sequence[Sentence]) -> None:
        self.items = list(items)
        self.citations: list[Citation] = []
        self._number: dict[str, int] = {}

    def sentence(self, checked: Checked) -> AnswerSentence:
        numbers: list[int] = []
        spans: list[EvidenceSpan] = []
        for i in checked.items:
            item = self.items[i]
            n = self._cite(item)
            if n not in numbers:
                numbers.append(n)
            spans.append(
                EvidenceSpan(
                    n, item.start, item.end, item.passage.chunk.text[item.start : item.end]
                )
            )
        return AnswerSentence(checked.text, tuple(sorted(numbers)), tuple(spans))

    def _cite(self, item: Sentence) -> int:
        key = item.passage.chunk.chunk_id
        if key not in self._number:
            self._number[key] = len(self.citations) + 1
            self.citations.append(Citation.from_passage(self._number[key], item.passage))
        return self._number[key]
