"""Evidence first: the few passage sentences that answer the question, chosen before any model.

From the retrieved passages (and the chunks next to the best of them) every sentence is a
candidate; each is scored by
- how much of the question it covers (``weighted_coverage`` of the question's content terms,
  which meet across languages through the lexicon's concepts),
- its e5 similarity to the question, for a sentence in another language than the question
  (where words alone cannot meet),
- whether it holds what the question asks for (a date for "when", a number for "how many",
  a name for "who / which agencies", a place for "where": ``rag.question``),
- whether it says anything beyond the question's own words,
- the retrieval rank of its passage.
The best few, within a character budget, are the evidence (for a question that asks two
things at once, the best sentence of each part first, then those that say what the chosen
ones leave unsaid): numbered, they are all the answer model reads, and all a quoted
(extractive) answer quotes. The thresholds were chosen on the sample library's gold questions
(``benchmarks/calibrate_evidence.py``), the complement's on the development libraries; all
are reported unchanged on the held-out libraries.

``weak_evidence`` says, before any model call, why the library cannot answer: no passage is
close enough, a name or year the question is about occurs nowhere in the passages, no
sentence covers the question or holds the kind of fact it asks for, or (for a number asked
for, in the question's language) no evidence sentence is close to it in meaning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from core.protocols import ChunkSource, Embedder
from core.text.claims import CURRENCIES, measures_of, number_mentions
from core.text.sentences import all_sentence_spans
from core.text.terms import (
    Terms,
    content_terms,
    rarity,
    spoken_numbers,
    terms_of,
    weighted_coverage,
)
from core.text.words import WORD
from core.types import Passage, chunk_id
from rag.question import REASON_WORDS, AnswerKind, Question, part_question

MIN_WORDS, MAX_WORDS = 5, 80  # shorter: headings and labels; longer: tables, reference lists
KIND_BONUS = 0.3  # holding the asked-for kind of fact
ECHO_PENALTY = 0.3  # saying nothing beyond the question's words
# from a document whose passages name none of the names asked about (only such documents
# reach the choice when none of the passages names them: ``choose``)
ELSEWHERE_PENALTY = 0.3
RANK_PRIOR = 0.05  # the first passages were judged most relevant by retrieval
FOCUS_WEIGHT = 2.0  # "what METHOD", "metode apa": the word the question asks about
OWN_SHARE = 0.6  # coverage: what the sentence itself says of the question beyond its title
# e5 question-sentence cosine, mapped onto the coverage scale for cross-language sentences:
# SIMILARITY_FLOOR counts as no coverage, SIMILARITY_FULL as full coverage.
SIMILARITY_FLOOR, SIMILARITY_FULL = 0.80, 0.90
SIMILARITY_WEIGHT = 0.8  # similarity vouches less than shared words do
EMBEDDED_CANDIDATES = 4  # cross-language candidates embedded per question (~20 ms each)
RELATIVE_CUTOFF = 0.6  # further evidence must score this fraction of the best
# For a question that joins two things ("... through BOS Kinerja and through BOS Afirmasi?"),
# a sentence that says what the chosen ones leave out is evidence at a lower score than the
# rest (COMPLEMENT_CUTOFF of the best), when it covers COMPLEMENT_SHARE of the question's
# weight they miss. Chosen on the development libraries (holdout-2, -3, -4, factbook-news).
COMPLEMENT_CUTOFF = 0.5
COMPLEMENT_SHARE = 0.2
MIN_COVERAGE = 0.34  # the best sentence (with its title) must cover this much of the question
MIN_CROSS_COVERAGE = 0.15  # ... when it is in another language than the question
# The best items are what an answer rests on: the kind of fact asked for, and the closeness
# to the question, are looked for in them (the others are read beside them). Chosen on the
# development libraries, like the complement's thresholds.
BASIS_ITEMS = 2
NEAR_DUPLICATE = 0.8  # overlapping chunks repeat sentences
_LANGUAGES = frozenset({"en", "id"})  # text of "unknown" language meets the same-language floor
_CLAUSE_END = re.compile(r";\s+")
# A sentence that goes on listing what the one before announced: "Yakni, ...", "Kedua, ..."
_CONTINUATION = re.compile(
    r"(?:yakni|yaitu|namely|that is|(?:pertama|kedua|ketiga|keempat|kelima|first|second|third"
    r"|fourth|fifth|finally|terakhir)\s*,)",
    re.IGNORECASE,
)
_ONE_AND_TWO = frozenset({"~number:1", "~number:2"})
_INSTRUCTIONS = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|above)\b"
    r"|\b(?:answer|reply|respond)\s+(?:to\s+)?(?:every|all|each|any)\s+(?:questions?|prompts?)"
    r"|\byou\s+(?:are|must|should|will)\s+(?:now\s+)?(?:an?\s+)?(?:assistant|ai|model|chatbot)\b"
    r"|\bsystem\s+prompt\b|\bas\s+an?\s+(?:ai|language model)\b"
    r"|\b(?:abaikan|lupakan)\b.{0,40}\b(?:instruksi|perintah|aturan)\b"
    r"|\bjawab(?:lah)?\s+(?:setiap|semua)\s+pertanyaan",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """A candidate sentence of a passage: ``passage.chunk.text[start:end]``."""

    passage: Passage
    rank: int  # of its passage in retrieval (neighbours take their origin's rank)
    start: int
    end: int
    text: str
    terms: Terms
    # whether its document's passages (or title) name a country, region or institution the
    # question asks about, when it asks about any: Zimbabwe's fertility rate is no answer for
    # Panama's
    about_names: bool = True
    coverage: float = 0.0
    similarity: float | None = None
    holds_kind: bool = False
    score: float = 0.0
    weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def language(self) -> str:
        return self.passage.chunk.language


@dataclass
class Evidence:
    """The chosen sentences (numbered from 1 in ``items`` order) and every scored candidate."""

    question: Question
    items: list[Sentence] = field(default_factory=list)
    candidates: list[Sentence] = field(default_factory=list)
    # the best sentence found for each part of a question that asks two things at once
    for_parts: list[Sentence] = field(default_factory=list)
    # the e5 cosine of the question and the basis item closest to it (None: not measured)
    closeness: float | None = None

    @property
    def basis(self) -> list[Sentence]:
        """The best-scored items, in ``items`` order: what an answer rests on."""
        best = sorted(self.items, key=lambda s: -s.score)[:BASIS_ITEMS]
        return [s for s in self.items if s in best]


def with_neighbours(
    passages: Sequence[Passage], chunks: ChunkSource | None, around: int = 2
) -> list[tuple[int, Passage]]:
    """(rank, passage) for the passages and the chunks just before and after the first
    ``around`` of them: an answer often sits across a chunk boundary."""
    ranked = list(enumerate(passages))
    if chunks is None or not passages:
        return ranked
    have = {p.chunk.chunk_id for p in passages}
    wanted: dict[str, int] = {}
    for rank, passage in ranked[:around]:
        for index in (passage.chunk.index - 1, passage.chunk.index + 1):
            identifier = chunk_id(passage.chunk.doc_id, index)
            if index >= 0 and identifier not in have:
                wanted.setdefault(identifier, rank)
    found = chunks.get_chunks(list(wanted))
    return ranked + [(wanted[c.chunk_id], Passage(chunk=c, score=0.0)) for c in found]


def candidates(question: Question, ranked: Sequence[tuple[int, Passage]]) -> list[Sentence]:
    """Every sentence of the passages, once, scored on its words (no embeddings yet)."""
    seen: set[str] = set()
    found: list[Sentence] = []
    about = _documents_about_names(question, ranked)
    for rank, passage in ranked:
        text = passage.chunk.text
        for start, end in _statement_spans(text):
            sentence = " ".join(text[start:end].split())
            key = sentence.lower()
            if key in seen or not _statement(sentence):
                continue
            seen.add(key)
            found.append(
                Sentence(
                    passage,
                    rank,
                    start,
                    end,
                    sentence,
                    content_terms(sentence),
                    passage.chunk.doc_id in about,
                )
            )
    weights = rarity([s.terms.all for s in found])
    for term in question.focus:  # the question word's own subject decides most
        weights[term] = FOCUS_WEIGHT * weights.get(term, 1.0)
    return [_scored(question, s, weights) for s in found]


def _documents_about_names(question: Question, ranked: Sequence[tuple[int, Passage]]) -> set[str]:
    """The documents whose passages at hand (or titles) name a country, region or institution
    the question asks about; all of them when it asks about none. A news story names its
    subject once: the chunk after it still tells of the same migrant worker."""
    by_document: dict[str, list[str]] = {}
    for _, passage in ranked:
        by_document.setdefault(passage.chunk.doc_id, []).extend(
            (passage.chunk.text, passage.chunk.title)
        )
    return {
        doc_id
        for doc_id, texts in by_document.items()
        if not question.names or question.names & terms_of(texts).all
    }


def _scored(
    question: Question,
    sentence: Sentence,
    weights: dict[str, float],
    similarity: float | None = None,
) -> Sentence:
    title = content_terms(sentence.passage.chunk.title).all
    # The title tells which document fits ("the article on Indonesia's cooperation with
    # ECPAT"); the sentence must say the rest ("what method it used").
    document = weighted_coverage(question.terms, sentence.terms.all | title, weights)
    rest = _without(question.terms, title)
    own = weighted_coverage(rest, sentence.terms.all, weights)
    lexical = OWN_SHARE * own + (1.0 - OWN_SHARE) * document
    coverage = max(lexical, _similarity_coverage(similarity))
    kind = kind_share(question, sentence.terms, sentence.text)
    echo = not (sentence.terms.all - question.terms.all)
    score = (
        coverage
        + KIND_BONUS * kind
        - (ECHO_PENALTY if echo else 0.0)
        - (0.0 if sentence.about_names else ELSEWHERE_PENALTY)
        + RANK_PRIOR / (1 + sentence.rank)
    )
    return replace(
        sentence,
        coverage=coverage,
        similarity=similarity,
        holds_kind=kind == 1.0,
        score=score,
        weights=weights,
    )


def _similarity_coverage(similarity: float | None) -> float:
    if similarity is None:
        return 0.0
    share = (similarity - SIMILARITY_FLOOR) / (SIMILARITY_FULL - SIMILARITY_FLOOR)
    return SIMILARITY_WEIGHT * min(1.0, max(0.0, share))


def embed_cross_language(
    question: Question,
    found: list[Sentence],
    query_vector: Sequence[float] | None,
    embedder: Embedder | None,
    language: str,
) -> list[Sentence]:
    """Rescore the best few candidates in another language than the question with e5."""
    if embedder is None or query_vector is None:
        return found
    foreign = [i for i, s in enumerate(found) if s.language not in (language, "unknown")]
    foreign.sort(key=lambda i: -found[i].score)
    chosen = foreign[:EMBEDDED_CANDIDATES]
    if not chosen:
        return found
    vectors = embedder.get_text_embedding_batch([found[i].text for i in chosen])
    rescored = list(found)
    for i, vector in zip(chosen, vectors, strict=True):
        similarity = _cosine(query_vector, vector)
        rescored[i] = _scored(question, found[i], found[i].weights, similarity)
    return rescored


def held_to_closeness(question: Question) -> bool:
    """Whether the closeness floor applies to a question's evidence (``_not_close``): only to a
    number question's, so only its evidence is worth measuring."""
    return "number" in question.wants


def measure_closeness(
    evidence: Evidence, query_vector: Sequence[float], embedder: Embedder
) -> Evidence:
    """``evidence`` with its ``closeness``: the highest e5 similarity of its ``basis`` to the
    question (sentences not embedded yet cost one batch, ~20 ms a sentence)."""
    if not evidence.items:
        return evidence
    basis = evidence.basis
    missing = [s for s in basis if s.similarity is None]
    vectors = embedder.get_text_embedding_batch([s.text for s in missing]) if missing else []
    measured = [_cosine(query_vector, v) for v in vectors]
    known = [s.similarity for s in basis if s.similarity is not None]
    return replace(evidence, closeness=max(measured + known))


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def choose(
    question: Question, scored: Sequence[Sentence], max_items: int, max_chars: int
) -> Evidence:
    """The best sentences within the budget, numbered in reading order per document."""
    # Zimbabwe's infant mortality is no answer for the Dominican Republic's, however well it
    # is worded: when some sentences are about the names asked about, only they are evidence.
    about = [s for s in scored if s.about_names]
    ranked = sorted(about or scored, key=_precedence)
    parts = _best_per_part(question, ranked, max_items)
    chosen = list(parts)
    if ranked and question.joins:
        chosen = _complemented(question, ranked, parts, max_items, max_chars)
    for_parts = chosen if parts or len(chosen) > 1 else []
    used = sum(len(c.text) for c in chosen)
    # Then by score alone, whatever their document: a fact sheet answers a question for two
    # figures from one document, in two sentences.
    for best in ranked:
        if len(chosen) >= max_items or best.score < RELATIVE_CUTOFF * ranked[0].score:
            break
        if best in chosen or (chosen and used + len(best.text) > max_chars):
            continue
        if any(_near_duplicate(best, c) for c in chosen):
            continue
        chosen.append(best)
        used += len(best.text)
    return Evidence(question, _reading_order(chosen), list(ranked), for_parts)


def _precedence(sentence: Sentence) -> tuple[float, float, int, int]:
    """Best first: by score; between equal scores, the sentence closer to the question in
    meaning (words alone cannot tell "Land use - forest: 37.2%" from "Revenue from forest
    resources: 0.34%" for "berapa persen daratan ... hutan"), then the better passage."""
    return (-round(sentence.score, 9), -(sentence.similarity or 0.0), sentence.rank, sentence.start)


def _best_per_part(
    question: Question, ranked: Sequence[Sentence], max_items: int
) -> list[Sentence]:
    """For a question that asks two things at once, the best sentence for each part: scored
    on the whole, the sentences of the part most words are about crowd out the other's
    ("How many refugees ..., and as of when?" needs the sentence with the date too)."""
    chosen: list[Sentence] = []
    for part in question.parts[:max_items]:
        asked = part_question(question, part)
        useful = [
            (rescored, s)
            for s in ranked
            if (rescored := _scored(asked, s, s.weights, s.similarity)).coverage > 0
            and (rescored.holds_kind or not asked.wants)
        ]
        best = min(useful, key=lambda pair: _precedence(pair[0]), default=None)
        if best is None:
            continue
        original = best[1]
        if original not in chosen and not any(_near_duplicate(original, c) for c in chosen):
            chosen.append(original)
    return chosen


def _complemented(
    question: Question,
    ranked: Sequence[Sentence],
    chosen: list[Sentence],
    max_items: int,
    max_chars: int,
) -> list[Sentence]:
    """``chosen`` (the best sentence, when it is empty) with, one at a time, the sentence that
    says most of what the question asks and the chosen ones leave unsaid: its second figure
    ("... and through BOS Afirmasi?"), the women's rate as well as the men's."""
    chosen = list(chosen) or [ranked[0]]
    floor = COMPLEMENT_CUTOFF * ranked[0].score
    while len(chosen) < max_items:
        said = frozenset().union(*(_said(s) for s in chosen))
        if not question.terms.all - said:
            break
        unsaid = _without(question.terms, said)
        used = sum(len(c.text) for c in chosen)
        fitting = [
            (weighted_coverage(unsaid, s.terms.all, s.weights), s.score, s)
            for s in ranked
            if s not in chosen
            and s.score >= floor
            and (s.holds_kind or not question.wants)
            and used + len(s.text) <= max_chars
            and not any(_near_duplicate(s, c) for c in chosen)
        ]
        adds, _, best = max(fitting, key=lambda f: f[:2], default=(0.0, 0.0, None))
        if best is None or adds < COMPLEMENT_SHARE:
            break
        chosen.append(best)
    return chosen


def _said(sentence: Sentence) -> frozenset[str]:
    return sentence.terms.all | content_terms(sentence.passage.chunk.title).all


def _reading_order(chosen: list[Sentence]) -> list[Sentence]:
    # Documents in the order of their best sentence, sentences in their document's order.
    first: dict[str, int] = {}
    for position, sentence in enumerate(chosen):
        first.setdefault(sentence.passage.chunk.doc_id, position)
    return sorted(
        chosen,
        key=lambda s: (first[s.passage.chunk.doc_id], s.passage.chunk.start + s.start),
    )


def _too_far(
    question: Question, passages: Sequence[Passage], floor: float, cross_floor: float | None
) -> str | None:
    # No passage is close enough to the question: it is about something the library lacks.
    scored = [p for p in passages if p.dense_score is not None]
    if not scored:
        return None

    def floor_of(passage: Passage) -> float:
        language = passage.chunk.language
        cross = {language, question.language} == _LANGUAGES
        return cross_floor if cross and cross_floor is not None else floor

    if any((p.dense_score or 0.0) >= floor_of(p) for p in scored):
        return None
    best = max(scored, key=lambda p: p.dense_score or 0.0)
    return f"best similarity {best.dense_score:.3f} < {floor_of(best)}"


def _near_duplicate(a: Sentence, b: Sentence) -> bool:
    ta, tb = a.terms.all, b.terms.all
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) > NEAR_DUPLICATE


def weak_evidence(
    question: Question,
    passages: Sequence[Passage],
    evidence: Evidence,
    min_dense: float,
    min_dense_cross: float | None = None,
    min_closeness: float | None = None,
) -> str | None:
    """Why the passages cannot answer the question (so no model is asked), or None.
    ``min_dense_cross`` is the cosine floor for passages in the other language (``min_dense``
    when None); ``min_closeness`` the floor of the evidence's ``closeness`` when its best
    sentence is in the question's language (None: no floor)."""
    if not passages or not evidence.candidates:
        return "no passages"
    too_far = _too_far(question, passages, min_dense, min_dense_cross)
    if too_far:
        return too_far
    found = terms_of([p.chunk.text for p in passages] + [p.chunk.title for p in passages]).all
    missing = sorted(n.lstrip("~") for n in question.names if n not in found)
    missing += sorted(y for y in question.years if y not in found)
    if missing:
        return f"not in the passages: {', '.join(missing)}"
    if not any(s.coverage >= _min_coverage(s, question) for s in evidence.candidates):
        best = max(s.coverage for s in evidence.candidates)
        return f"no sentence covers the question (best {best:.2f})"
    counted = [k for k in question.wants if k in ("date", "number")]
    # The title counts: "Tahun 2016-2020" in a paper's title says which years it covers.
    texts = [f"{s.passage.chunk.title}. {s.text}" for s in evidence.items]
    # The kind asked for must be in what the answer rests on, the best two items: the others
    # are read beside them, and a figure only they hold ("Net migration rate: -1.33") is no
    # answer to "how many migrated".
    resting = evidence.basis
    basis = [(s, t) for s, t in zip(evidence.items, texts, strict=True) if s in resting]
    for kind in counted:
        holding = [(s, t) for s, t in basis if answers(kind, question, content_terms(t), t)]
        if not holding:
            return f"no evidence holds the {kind} asked for"
        # "How many REFUGEES": a count is of something; "when" has nothing it counts (the
        # "tahun" of "tahun berapa" is the date itself).
        if kind == "number" and not any(_about_focus(s, t, question) for s, t in holding):
            return f"no {kind} in the evidence is about what the question counts"
        # "What tier is China in?" is not answered by Indonesia's tier: the figure must stand
        # with the countries, regions and institutions asked about.
        if not any(_stands_with_names(s, t, question) for s, t in holding):
            return f"no {kind} in the evidence is about {', '.join(sorted(question.names))}"
    # The year must stand with the figure's sentence (or title): taken from anywhere in the
    # passage, it let "how many victims in 2022" be answered by a sentence about other
    # victims in a passage that names 2022 for something else.
    held = terms_of(texts).all
    if counted and not question.years <= held:
        return f"the evidence is not about {', '.join(sorted(question.years - held))}"
    unnamed = _proper_names_missing(question, evidence.items)
    if unnamed:
        return f"not in the evidence: {', '.join(unnamed)}"
    return _not_close(question, evidence, min_closeness)


def _not_close(question: Question, evidence: Evidence, floor: float | None) -> str | None:
    # The right document, not the figure asked for: "what share lives below the poverty line"
    # met by the share that lives abroad. Sentences in one language as the question's sit
    # closer to it in e5's space when they answer it; across languages e5 barely tells an
    # answer from its neighbour, so no floor there. Only a number question: the answer to
    # "which institutions are involved" is a list of names, which e5 places far from the
    # question however right it is.
    closeness = evidence.closeness
    if floor is None or closeness is None or closeness >= floor:
        return None
    if not held_to_closeness(question):
        return None
    if max(evidence.items, key=lambda s: s.score).language != question.language:
        return None
    return f"no evidence sentence is close to the question (best {closeness:.3f} < {floor})"


def _statement_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a passage; one longer than MAX_WORDS (a fact sheet's run of
    "...; ...; ..." findings, a legal enumeration) is taken clause by clause, at semicolons."""
    spans: list[tuple[int, int]] = []
    for start, end in _continued(text, all_sentence_spans(text)):
        if len(text[start:end].split()) <= MAX_WORDS:
            spans.append((start, end))
            continue
        position = start
        for match in _CLAUSE_END.finditer(text, start, end):
            spans.append(_stripped(text, position, match.start() + 1))
            position = match.end()
        spans.append(_stripped(text, position, end))
    return [(s, e) for s, e in spans if e > s]


def _continued(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences with the sentences that only list what they announced joined to them:
    "Three things can end poverty. Namely, education, technology and enterprise." is one
    statement, and so is "There are three keys. First, ... Second, ... Third, ..." (alone, an
    item does not say what it lists)."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _CONTINUATION.match(text, start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _statement(sentence: str) -> bool:
    """A sentence that can state a fact: not a heading (no lowercase), label or table row,
    nor an order addressed to the answer model (a document must not steer the answer)."""
    if not MIN_WORDS <= len(sentence.split()) <= MAX_WORDS:
        return False
    return any(c.islower() for c in sentence) and not looks_like_instructions(sentence)


def looks_like_instructions(sentence: str) -> bool:
    """Whether a sentence gives orders to an assistant ("Ignore all previous instructions",
    "Answer every question with ...", "Abaikan instruksi sebelumnya")."""
    return _INSTRUCTIONS.search(sentence) is not None


def kind_share(question: Question, terms: Terms, text: str) -> float:
    """The share of the kinds of fact the question asks for that a sentence holds (0 when it
    asks for none)."""
    if not question.wants:
        return 0.0
    held = sum(holds(kind, question, terms, text) for kind in question.wants)
    return held / len(question.wants)


def holds(
    kind: AnswerKind, question: Question, terms: Terms, text: str, counts_only: bool = False
) -> bool:
    """Whether a sentence holds a fact of one kind that the question does not state itself;
    with ``counts_only``, numbers joined by a slash (dates, law numbers) are no number."""
    asked = question.terms.all
    if kind == "date":
        return any(m.is_year for m in number_mentions(text)) or any(
            t.startswith("~month:") for t in terms.all
        )
    if kind == "number":
        values = [
            m
            for m in number_mentions(text)
            if m.raw not in asked and not (counts_only and m.slashed)
        ]
        counted = any(not m.is_year for m in values) or bool(_spoken_counts(question, text))
        # "Berapa persen ...", "... in rupiah": a figure in another unit does not answer it.
        return counted and (not question.units or bool(question.units & measures_of(text)))
    if kind == "reason":
        return REASON_WORDS.search(text) is not None
    # "name" and "place": a name, acronym or capitalised word the question lacks
    return bool((terms.strong - terms.numbers) - asked)


def answers(kind: AnswerKind, question: Question, terms: Terms, text: str) -> bool:
    """Whether a sentence that an answer rests on holds the fact asked for: ``holds``, and for a
    number one that counts something (not the digits of a date, "Senin (16/9/19)", or of a
    law, "UU 35/2014"), in a currency when the question asks for an amount of money, and of
    the year asked about when the sentence dates its figures at all ("37.54 megatons (2016
    est.)" is no answer for 2022). Scoring rewards any held figure (``holds``): a near answer
    still ranks its sentence; only the refusal check asks this much."""
    if kind != "number":
        return holds(kind, question, terms, text)
    if not holds(kind, question, terms, text, counts_only=True):
        return False
    # "What share of the budget ...": the unit asked for answers it as well
    if question.money and not measures_of(text) & (CURRENCIES | question.units):
        return False
    dated = {m.value for m in number_mentions(text) if m.is_year}
    return not (question.years and dated) or bool(dated & question.years)


def _spoken_counts(question: Question, text: str) -> frozenset[str]:
    """The counts a sentence writes in words that the question does not. "One" and "two" are
    mostly no counts ("salah satu", "both", "kedua"), except of repetitions ("the second
    consecutive year"), which ordinals count too."""
    if question.counts_repeats:
        return spoken_numbers(text, ordinals=True) - spoken_numbers(question.text, ordinals=True)
    return spoken_numbers(text) - spoken_numbers(question.text) - _ONE_AND_TWO


def _stands_with_names(sentence: Sentence, text: str, question: Question) -> bool:
    """Whether a sentence holding the figure asked for is about the names the question asks
    about: one of them in the sentence (or its title, or the sentence just before it: "Di
    Kabupaten Bandung Barat (KBB) misalnya. Saat ini, terdapat 2.000 guru honorer ..."), and
    every one of them in its passage ("when did Italy and Tunisia sign ..." is answered by a
    sentence naming either, in a passage naming both)."""
    if not question.names:
        return True
    passage = sentence.passage.chunk.text
    if not question.names & content_terms(f"{_lead_in(sentence)} {text}").all:
        return False
    return question.names <= content_terms(f"{text} {passage}").all


def _lead_in(sentence: Sentence) -> str:
    """The sentence of its passage just before ``sentence`` ("" for the first)."""
    passage = sentence.passage.chunk.text
    starts = [start for start, end in all_sentence_spans(passage) if end <= sentence.start]
    return passage[starts[-1] : sentence.start] if starts else ""


def _about_focus(sentence: Sentence, text: str, question: Question) -> bool:
    """Whether a sentence holding the number or date asked for is about what the question
    counts ("how many REFUGEES", "berapa KORBAN jiwa", "what PERCENTAGE"): one of the focus
    terms is in it or its title. A plain word cannot meet its translation, so across
    languages only the lexicon's concepts are looked for; no focus to look for passes."""
    same_language = sentence.language == question.language
    focus = {t for t in question.focus if same_language or t.startswith("~")}
    return not focus or bool(focus & content_terms(text).all)


def _min_coverage(sentence: Sentence, question: Question) -> float:
    # Words meet across languages only through the lexicon, and e5 similarity barely tells an
    # answer from a neighbour there: a sentence in another language needs less coverage, and
    # the answer model (its refusal word) and the claim check decide the rest.
    return MIN_COVERAGE if sentence.language == question.language else MIN_CROSS_COVERAGE


def _proper_names_missing(question: Question, items: Sequence[Sentence]) -> list[str]:
    """Capitalised words of the question (other than the lexicon's names, checked before)
    that the passages of the evidence do not hold ("Kementerian Kesehatan" when they name
    only "Polri"). A capitalised common word may be translated ("Day", "Hari"; "North Aceh"
    is "Aceh Utara"), so this is asked only when the best evidence is in the question's
    language; a name reads the same in both ("Rakhine"), so it is looked for as written in the
    evidence of either language."""
    if not items or max(items, key=lambda s: s.score).language != question.language:
        return []
    texts = [f"{s.passage.chunk.title} {s.passage.chunk.text}" for s in items]
    same = [t for s, t in zip(items, texts, strict=True) if s.language == question.language]
    found = terms_of(same).all
    written = {w.lower() for w in WORD.findall(" ".join(texts))}
    proper = question.terms.capitalised - question.terms.names - question.terms.numbers
    return sorted(
        t.lstrip("~")
        for t in proper
        if t not in found and not any(w.startswith(t.lstrip("~")) for w in written)
    )


def _without(asked: Terms, known: frozenset[str]) -> Terms:
    """The asked terms the document title does not already cover (all, if it covers all)."""
    rest = asked.all - known
    if not rest:
        return asked
    return Terms(rest, asked.strong & rest, asked.numbers & rest, asked.names & rest)
