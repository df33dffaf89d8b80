"""Cut a document into passages with provenance: clean -> structure -> sentences -> chunks.

Rules:
- A chunk holds whole sentences of one section and at most ``chunk_tokens`` tokens as counted
  by ``count_tokens`` (for e5, ``E5Embedding.token_count``: prefix and special tokens included).
  A sentence longer than that is cut at word boundaries. Sentence token counts are summed
  (word-piece counts are additive at whitespace) and each chunk is then counted once more as a
  whole, so the budget holds exactly without counting every candidate chunk.
- The next chunk of a section repeats the last ``overlap_sentences`` sentences of the previous one.
- A heading never ends a chunk: it starts the chunk of the text it heads.
- Two kinds of tiny sections are merged so that no passage is a lone heading or keyword line:
  a section that is only a heading ("4. Pembahasan" right before "4.1 ...") and tiny front
  matter (title and authors) join the chunk that follows; another tiny section ("Kata Kunci: ...")
  joins the last chunk of the section before it when it fits. A merged chunk is labelled with
  the section its start lies in, so ``section`` is always the section containing ``start``.
- ``chunk.text == cleaned[start:end].replace("\\f", "\\n")`` where ``cleaned`` is
  ``prepare_text(doc)[0]``; ``page`` is 1 + the number of page breaks before ``start`` (None
  for formats without pages).
- ``language`` is detected per chunk; a chunk with no evidence takes the document's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.language import detect_language
from core.settings import ChunkingSettings
from core.text.sentences import paragraph_spans, sentence_spans
from core.types import Chunk, document_id
from ingest.clean import clean_text
from ingest.loaders import LoadedDocument
from ingest.structure import FRONT_MATTER, Section, detect_title, split_sections

TokenCounter = Callable[[str], int]
# Part of the library's index key: a change to how text is cleaned or cut makes a new index
# (re-embedding everything) instead of mixing chunks of two rules. 2: fact-sheet records.
CHUNKER_VERSION = 2

_WORD = re.compile(r"\S+")
_TINY_SECTION_FRACTION = 4  # a section under chunk_tokens / 4 tokens counts as tiny


@dataclass(frozen=True)
class _Unit:
    """A sentence (or a heading line, or a piece of an overlong sentence) of the cleaned text."""

    start: int
    end: int
    tokens: int  # without the per-text overhead of count_tokens
    heading: bool
    group: int  # units of one group may share a chunk; overlap stays inside a group


def prepare_text(doc: LoadedDocument) -> tuple[str, str, list[Section]]:
    """(cleaned text, title, sections) of a loaded document."""
    cleaned = clean_text(doc.text, markdown=doc.markdown)
    title = detect_title(cleaned, doc.title_hint, doc.source)
    return cleaned, title, split_sections(cleaned)


def chunk_document(
    doc: LoadedDocument, settings: ChunkingSettings, count_tokens: TokenCounter
) -> list[Chunk]:
    """The document's chunks, in order, with provenance (see the module docstring)."""
    cleaned, title, sections = prepare_text(doc)
    overhead = count_tokens("")
    budget = max(8, settings.chunk_tokens - overhead)
    units = _section_units(cleaned, sections, count_tokens, overhead, budget)

    def fits(first: int, last: int) -> bool:
        text = _chunk_text(cleaned, units[first].start, units[last - 1].end)
        return count_tokens(text) <= settings.chunk_tokens

    spans = _chunk_spans(units, budget, max(0, settings.overlap_sentences), fits)
    return _make_chunks(doc, cleaned, title, sections, units, spans)


def _section_units(
    text: str,
    sections: list[Section],
    count_tokens: TokenCounter,
    overhead: int,
    budget: int,
) -> list[_Unit]:
    """Sentence units of all sections, grouped so that tiny sections merge (module docstring)."""
    per_section = [
        _sentence_units(text, section, count_tokens, overhead, budget) for section in sections
    ]
    tiny = budget // _TINY_SECTION_FRACTION
    groups: list[list[tuple[int, int, int, bool]]] = []
    carry: list[tuple[int, int, int, bool]] = []  # heading-only or front sections, merged forward
    for index, units in enumerate(per_section):
        if not units:
            continue
        size = sum(u[2] for u in units)
        only_heading = all(u[3] for u in units)
        leading_front = index == 0 and sections[0].name in (FRONT_MATTER, "") and size < tiny
        has_next = any(per_section[index + 1 :])
        if (only_heading or leading_front) and has_next:
            carry.extend(units)
        elif size < tiny and groups and not carry and not units[0][3]:
            groups[-1].extend(units)  # a keyword line goes with the section before it
        else:
            groups.append(carry + units)
            carry = []
    if carry:
        groups.append(carry)
    return [
        _Unit(start, end, tokens, heading, group)
        for group, members in enumerate(groups)
        for start, end, tokens, heading in members
    ]


def _sentence_units(
    text: str, section: Section, count_tokens: TokenCounter, overhead: int, budget: int
) -> list[tuple[int, int, int, bool]]:
    units: list[tuple[int, int, int, bool]] = []
    first_paragraph = True
    for start, end in paragraph_spans(text, section.start, section.end):
        # A section's first paragraph is its heading line (except the untitled front section);
        # a keyword line ("Kata Kunci: ...") carries content and counts as a sentence.
        heading = first_paragraph and _is_bare_heading(text[start:end], section.name)
        first_paragraph = False
        sentences = [(start, end)] if heading else sentence_spans(text, start, end)
        for s_start, s_end in sentences:
            tokens = max(1, count_tokens(text[s_start:s_end]) - overhead)
            if tokens <= budget or heading:
                units.append((s_start, s_end, tokens, heading))
            else:
                units.extend(_word_pieces(text, s_start, s_end, count_tokens, overhead, budget))
    return units


def _is_bare_heading(paragraph: str, name: str) -> bool:
    return bool(name) and " ".join(paragraph.split()).rstrip(":. ") == name


def _word_pieces(
    text: str, start: int, end: int, count_tokens: TokenCounter, overhead: int, budget: int
) -> list[tuple[int, int, int, bool]]:
    """An overlong sentence cut at word boundaries into pieces within the budget."""
    pieces: list[tuple[int, int, int, bool]] = []
    piece_start = piece_end = -1
    total = 0
    for match in _WORD.finditer(text, start, end):
        tokens = max(1, count_tokens(match.group()) - overhead)
        if piece_start >= 0 and total + tokens > budget:
            pieces.append((piece_start, piece_end, total, False))
            piece_start = -1
        if piece_start < 0:
            piece_start, total = match.start(), 0
        piece_end = match.end()
        total += tokens
    if piece_start >= 0:
        pieces.append((piece_start, piece_end, total, False))
    return pieces


def _chunk_spans(
    units: list[_Unit], budget: int, overlap: int, fits: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Unit index ranges [first, last) of each chunk; ``fits`` counts a whole chunk."""
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last, total = first, 0
        group = units[first].group
        while last < len(units) and units[last].group == group:
            if last > first and total + units[last].tokens > budget:
                break
            total += units[last].tokens
            last += 1
        while last - first > 1 and units[last - 1].heading:
            last -= 1  # a heading starts the next chunk instead of ending this one
        if units[last - 1].heading and last < len(units) and units[last].group == group:
            last += 1  # a heading alone takes its first sentence along, even over budget
        while last - first > 1 and not units[last - 2].heading and not fits(first, last):
            last -= 1  # summed sentence counts can be off by a token or two
        spans.append((first, last))
        first = _next_start(units, first, last, budget, overlap)
    return spans


def _next_start(units: list[_Unit], first: int, last: int, budget: int, overlap: int) -> int:
    if last >= len(units) or units[last].group != units[last - 1].group:
        return last
    start = max(first + 1, last - overlap)
    while start < last and units[start].heading:
        start += 1
    room = budget - units[last].tokens
    while start < last and sum(u.tokens for u in units[start:last]) > room:
        start += 1
    return start


def _chunk_text(text: str, start: int, end: int) -> str:
    return text[start:end].replace("\f", "\n")


def _make_chunks(
    doc: LoadedDocument,
    cleaned: str,
    title: str,
    sections: list[Section],
    units: list[_Unit],
    spans: list[tuple[int, int]],
) -> list[Chunk]:
    doc_id = document_id(doc.source)
    paged = "\f" in cleaned
    document_language: str | None = None
    chunks: list[Chunk] = []
    for first, last in spans:
        start, end = units[first].start, units[last - 1].end
        text = _chunk_text(cleaned, start, end)
        language = detect_language(text)
        if language == "unknown":
            if document_language is None:
                document_language = detect_language(cleaned)
            language = document_language
        chunks.append(
            Chunk(
                doc_id=doc_id,
                source=doc.source,
                title=title,
                section=_section_at(sections, start),
                language=language,
                start=start,
                end=end,
                text=text,
                index=len(chunks),
                page=1 + cleaned.count("\f", 0, start) if paged else None,
                content_hash=doc.content_hash,
            )
        )
    return chunks


def _section_at(sections: list[Section], position: int) -> str:
    for section in sections:
        if section.start <= position < section.end:
            return section.name
    return sections[-1].name if sections else ""
