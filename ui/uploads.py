"""Files uploaded on the page: checked, given a safe name, stored under ``uploads_dir``.

The stored name becomes the document's ``source`` (what citations and evals name), so it keeps
the user's file name as far as that is safe: only its last path component, only ordinary
characters, never a leading dot. A crafted name like ``../../etc/passwd.txt`` lands as
``uploads/passwd.txt``.

An upload never replaces a document silently: a file whose name is already taken (in the
library or in the uploads folder) by different content is kept apart as ``name (2).ext``, so
both versions stay answerable until an admin removes the old one. The same bytes under the same
name are simply the same document again.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Mapping
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
    kept_apart_from: str | None = None  # the taken name this upload did not replace


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


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes: the library's ``content_hash`` of a document."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def free_name(name: str, taken: Mapping[str, object] | set[str]) -> str:
    """``name`` numbered ``stem (2).ext``, ``stem (3).ext``, ... until it is not taken."""
    path = Path(name)
    n = 2
    while (candidate := f"{path.stem} ({n}){path.suffix}") in taken:
        n += 1
    return candidate


def _taken(uploads_dir: Path, library: Mapping[str, str]) -> dict[str, str | None]:
    """Every name in use: library sources with their content hash, and files in uploads."""
    taken: dict[str, str | None] = dict(library)
    if uploads_dir.is_dir():
        for path in uploads_dir.iterdir():
            if path.name not in taken and path.is_file():
                taken[path.name] = None  # hashed only when an upload collides with it
    return taken


def _same_content(name: str, digest: str, taken: dict[str, str | None], uploads_dir: Path) -> bool:
    known = taken[name]
    if known is None:
        known = file_hash(uploads_dir / name)
    return known == digest


def store_upload(
    source: Path,
    original_name: str,
    uploads_dir: Path,
    max_mb: int,
    library: Mapping[str, str] | None = None,
) -> UploadCheck:
    """Check one uploaded file and copy it into ``uploads_dir`` under a safe, free name.

    ``library`` maps the sources already in the library to their content hashes.
    """
    name = safe_name(original_name)
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return UploadCheck(original_name, None, "bad_type")
    if source.stat().st_size > max_mb * 1024 * 1024:
        return UploadCheck(original_name, None, "too_large")
    taken = _taken(uploads_dir, library or {})
    kept_apart_from = None
    if name in taken and not _same_content(name, file_hash(source), taken, uploads_dir):
        kept_apart_from, name = name, free_name(name, taken)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    target = (uploads_dir / name).resolve()
    if target.parent != uploads_dir.resolve():  # belt and braces: safe_name already ensures it
        return UploadCheck(original_name, None, "bad_type")
    shutil.copyfile(source, target)
    return UploadCheck(original_name, target, kept_apart_from=kept_apart_from)
