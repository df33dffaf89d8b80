"""Where a sentence ends, for documents, prompts, answers and the page alike.

One rule everywhere: a sentence ends at ``.``, ``!`` or ``?`` (and any closing quote or
bracket) followed by a space and a capital letter, a digit, or an opening quote or bracket;
except after an abbreviation ("No. 23", "Robert O. Keohane", "dkk. (2019)"), after a one- or
two-word label ("4. Agen ...", "Gambar 1. Presentase ..."), and inside an open parenthesis
that closes soon after ("(Broussard, Caroline. 2003)"). A line break always ends a
paragraph, and a paragraph always ends its sentence.

Answers carry citation markers: a marker written after the full stop ("Claim. [2] Next.")
belongs to the sentence before it.
"""

from __future__ import annotations

import re

from core.text.markers import LEADING_MARKERS
from core.text.words import word_set

# Abbreviations after which a full stop ends nothing, English and Indonesian; single capital
# letters (initials) are always included.
ABBREVIATIONS = word_set(
    """No Dr Prof dkk al hlm Hal Jl St Mr Mrs Ms vs etc Tbk PT Ir Drs Hj U.S e.g i.e Vol Ed
    eds pp Fig Gbr Tab cf approx Jan Feb Mar Apr Jun Jul Aug Agu Sep Sept Oct Okt Nov Dec Des"""
)
_ABBREVIATION_END = re.compile(
    r"(?:^|[\s(])(?:[A-Z]|"
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")\.[\"')\]]*$"
)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*[ \f]+(?=[\"'\[]?[A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"[\n\f]*\n[\n\f]*")

Span = tuple[int, int]


def ends_with_abbreviation(text: str) -> bool:
    """Whether ``text`` ends in an abbreviation's full stop ("... No.", "... dkk.")."""
    return _ABBREVIATION_END.search(text[-16:]) is not None


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The non-blank paragraphs of ``text[start:end]`` (split at line breaks), stripped."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    position = start
    for match in _PARAGRAPH_BREAK.finditer(text, start, end):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The sentences of one paragraph ``text[start:end]``, as stripped character spans."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start() + len(match.group().rstrip(" \f"))
        if not _ends_sentence(text, position, stop):
            continue
        spans.append((position, stop))
        position = match.end()
    spans.append((position, end))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def all_sentence_spans(text: str) -> list[Span]:
    """Every sentence of a text of several paragraphs, in order."""
    return [
        span for start, end in paragraph_spans(text) for span in sentence_spans(text, start, end)
    ]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace collapsed; leading markers join the previous one."""
    merged: list[str] = []
    for start, end in all_sentence_spans(text):
        piece = " ".join(text[start:end].split())
        lead = LEADING_MARKERS.match(piece)
        if lead and merged:
            merged[-1] = f"{merged[-1]} {lead.group(1).strip()}"
            piece = piece[lead.end() :].strip()
        if piece:
            merged.append(piece)
    return merged


def _ends_sentence(text: str, start: int, stop: int) -> bool:
    """Whether the full stop at ``stop`` really ends the sentence begun at ``start``."""
    if _ABBREVIATION_END.search(text, max(start, stop - 12), stop):
        return False  # "Robert O. Keohane", "No. 23", "dkk. (2019)"
    sentence = text[start:stop]
    if len(sentence.split()) <= 2:
        return False  # a list marker or label: "4. Agen ...", "Gambar 1. Presentase ..."
    # Inside a citation, "(Broussard, Caroline. 2003)", the full stop ends nothing.
    return not (sentence.count("(") > sentence.count(")") and ")" in text[stop : stop + 40])


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
