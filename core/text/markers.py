"""The citation-marker grammar: ``[1]``, ``[1, 2]``, ``[1-3]``, ``[1; 4]``; ``[1][2]`` is two.

Answers, prompts, the page and the evals all read markers through this module, so a change
of the grammar is made here once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# One marker group; the group holds its numbers, ranges and separators.
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[-–,;]\s*\d{1,3})*)\]")
# Markers at the start of a piece of text ("[2] Next claim."), with what follows.
LEADING_MARKERS = re.compile(r"^((?:\[\d{1,3}(?:\s*[-–,;]\s*\d{1,3})*\]\s*)+)")
_MAX_RANGE = 20  # a marker like [1-300] is noise, not a citation of 300 passages
# "[1] and [3]", "[1], [2]": markers joined by a word are still only markers.
_JOINING_WORDS = re.compile(r"(?<=\])\s*(?:and|dan|or|atau|,)\s*(?=\[)", re.IGNORECASE)


def marker_numbers(group: str) -> list[int]:
    """The numbers of one marker group's inside: "1-3, 5" -> [1, 2, 3, 5]."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", group.strip()):
        bounds = [int(x) for x in re.split(r"\s*[-–]\s*", part) if x]
        if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] <= _MAX_RANGE:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return numbers


def iter_markers(text: str) -> Iterator[tuple[int, int, list[int]]]:
    """(start, end, numbers) of every marker group in ``text``, in order."""
    for match in MARKER.finditer(text):
        yield match.start(), match.end(), marker_numbers(match.group(1))


def cited_numbers(text: str) -> list[int]:
    """Every number cited in ``text``, in order of appearance, repeats kept."""
    return [n for _, _, numbers in iter_markers(text) for n in numbers]


def parse_markers(text: str) -> list[int]:
    """The numbers cited in ``text``, in order of first appearance, without repeats."""
    return list(dict.fromkeys(cited_numbers(text)))


def strip_markers(text: str) -> str:
    """``text`` without its markers (and the space before each), so "[2]" is never a fact."""
    return re.sub(r"\s?" + MARKER.pattern, "", text).strip()


def only_markers(text: str) -> bool:
    """Whether ``text`` says nothing besides markers, joining words and punctuation."""
    return not any(ch.isalnum() for ch in strip_markers(_JOINING_WORDS.sub(" ", text)))


def format_markers(numbers: Iterable[int]) -> str:
    """Markers for ``numbers`` as the answers write them: "[1][3]"."""
    return "".join(f"[{n}]" for n in sorted(set(numbers)))
