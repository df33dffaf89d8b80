"""Word lists written as one string, and the word pattern every text rule shares."""

from __future__ import annotations

import re

# A word: letters and digits, joined by inner hyphens, slashes, dots or apostrophes
# ("anak-anak", "66/2011", "U.S", "children's"), and numbers by inner commas ("1,2", "2,500");
# underscores are not letters.
WORD = re.compile(r"[^\W_]+(?:(?:[-/.']|(?<=\d),(?=\d))[^\W_]+)*")
# The separators inside a word, where it splits into its parts.
WORD_SEPARATORS = re.compile(r"[-/.',]")
# Where a word with digits splits into the numbers it names ("2021-2025", "66/2011"; a decimal
# or grouped number such as "1,2" or "2.500" stays one).
NUMBER_SEPARATORS = re.compile(r"[-/]")


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: long word lists stay readable."""
    return frozenset(text.split())
