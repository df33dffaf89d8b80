"""Text as the user is shown it in one line: error messages, file names in lists and tables."""

from __future__ import annotations

import re
from pathlib import PurePath

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut to ``limit`` characters: errors are shown as one line."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown(name: str | PurePath) -> str:
    """A file name or path with its control characters (a newline, a tab) written as escapes,
    so that one name is one row of a table and one error line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(name))
