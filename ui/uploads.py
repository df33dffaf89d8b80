"""Files uploaded on the page: checked, given a safe name, stored under ``uploads_dir``.

The stored name becomes the document's ``source`` (what citations and evals name), so it keeps
the user's file name as far as that is safe: only its last path component, only ordinary
characters, never a leading dot. A crafted name like ``../../etc/passwd.txt`` lands as
``uploads/passwd.txt``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

ALLOWED_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"})
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)
MAX_NAME = 120


@dataclass(frozen=True)
class UploadCheck:
    """One uploaded file: where it was stored, or why it was refused."""

    original: str
    stored: Path | None
    problem: str | None = None  # a label key: "too_large" or "bad_type"


def safe_name(name: str) -> str:
    """A file name that cannot leave its folder, hide itself or break a shell."""
    # Both separators: a name from a Windows browser may carry backslashes.
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.lstrip(".-") or "document"
    suffix = suffix.lower()
    stem = stem[: MAX_NAME - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def store_upload(source: Path, original_name: str, uploads_dir: Path, max_mb: int) -> UploadCheck:
    """Check one uploaded file and copy it into ``uploads_dir`` under a safe name."""
    name = safe_name(original_name)
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return UploadCheck(original_name, None, "bad_type")
    if source.stat().st_size > max_mb * 1024 * 1024:
        return UploadCheck(original_name, None, "too_large")
    uploads_dir.mkdir(parents=True, exist_ok=True)
    target = (uploads_dir / name).resolve()
    if target.parent != uploads_dir.resolve():  # belt and braces: safe_name already ensures it
        return UploadCheck(original_name, None, "bad_type")
    shutil.copyfile(source, target)
    return UploadCheck(original_name, target)
