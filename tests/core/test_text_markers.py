"""The citation-marker grammar (core.text.markers)."""

from __future__ import annotations

import pytest

from core.text.markers import (
    cited_numbers,
    format_markers,
    iter_markers,
    only_markers,
    parse_markers,
    strip_markers,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A [1].", [1]),
        ("A [1, 2] and B [2][3].", [1, 2, 3]),
        ("A [1-3].", [1, 2, 3]),
        ("A [1–2; 4].", [1, 2, 4]),
        ("A [1-300].", [1, 300]),  # a range that long is noise, not 300 citations
        ("No markers, [a] or [].", []),
    ],
)
def test_parse_markers(text: str, expected: list[int]) -> None:
    assert parse_markers(text) == expected


def test_cited_numbers_keep_repeats_and_positions() -> None:
    text = "One [1]. Two [1, 2]."
    assert cited_numbers(text) == [1, 1, 2]
    assert [(text[s:e], n) for s, e, n in iter_markers(text)] == [("[1]", [1]), ("[1, 2]", [1, 2])]


def test_strip_and_format() -> None:
    assert strip_markers("Signed in 2015 [1][2].") == "Signed in 2015."
    assert format_markers([3, 1, 3]) == "[1][3]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("[1]", True), ("[1] and [2].", True), ("[1], [2]", True), ("Yes [1].", False)],
)
def test_only_markers(text: str, expected: bool) -> None:
    assert only_markers(text) is expected
