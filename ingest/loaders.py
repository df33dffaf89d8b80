"""Read a file into text: the first stage of ingestion.

Every supported format comes out as one ``LoadedDocument``: plain text (PDF pages separated by
``"\\f"``), a sha256 of the file's bytes for incremental ingest, and a title hint from the
format's own metadata. Anything that goes wrong becomes a ``DocumentError`` whose message names
the file and the reason; no library exception escapes.

Text decoding, in order: a BOM decides (UTF-8, UTF-16, UTF-32); else strict UTF-8; else
Windows-1252 (a superset of Latin-1's printable range, what legacy Indonesian and English text
files use), accepted only when the result looks like prose: few control characters and mostly
ASCII letters. A file with NUL bytes or many control characters and no UTF-16/32 BOM is binary.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.errors import DocumentError
from core.text.display import one_line, shown

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in prose; tab, newlines and form feed do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MARKDOWN_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class LoadedDocument:
    """A file's extracted text and identity, before cleaning."""

    path: Path
    source: str  # the file name, as users and evals name the document
    text: str  # extracted text; PDF pages are separated by "\f"
    content_hash: str  # sha256 hex of the file's bytes
    title_hint: str | None = None  # title from the format's metadata, if any
    # A text or Markdown file, whose "#", "**" and "[text](url)" are Markdown's marks; in text
    # extracted from PDF, Word or HTML they are the document's own characters.
    markdown: bool = False


def load_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Read ``path`` into a ``LoadedDocument``; raise ``DocumentError`` if it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path.name}: unsupported type {suffix or '(none)'}")
    data = _read_bytes(path, max_bytes)
    if suffix == ".pdf":
        text, title = _pdf_text(path, data)
    elif suffix == ".docx":
        text, title = _docx_text(path, data)
    elif suffix in HTML_SUFFIXES:
        text, title = _html_text(path, data)
    else:
        text = decode_text(path, data)
        title = _markdown_title(text) if suffix in MARKDOWN_SUFFIXES else None
    if not text.strip():
        raise DocumentError(f"{path.name}: no text in the file")
    return LoadedDocument(
        path=path,
        source=path.name,
        text=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        title_hint=_tidy_title(title),
        markdown=suffix not in (".pdf", ".docx", *HTML_SUFFIXES),
    )


def find_documents(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Supported files under ``paths`` (folders walked recursively, sorted, hidden skipped).

    Returns the files and one warning line per skipped file or missing path.
    """
    files: list[Path] = []
    warnings: list[str] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = _walk(path)
        elif path.is_file():
            candidates = [path]
        else:
            warnings.append(f"{shown(path)}: not found, skipped")
            continue
        for candidate in candidates:
            if candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
                kind = candidate.suffix.lower() or "(no extension)"
                warnings.append(f"{shown(candidate)}: unsupported type {kind}, skipped")
                continue
            try:
                key = candidate.resolve(strict=True)
            except (OSError, RuntimeError) as exc:  # a symlink loop or a dangling link
                warnings.append(f"{shown(candidate)}: cannot be read ({_reason(exc)}), skipped")
                continue
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, warnings


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        # Pruning in place keeps os.walk out of hidden folders (.git, .venv, ...).
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / name for name in sorted(names) if not name.startswith("."))
    return found


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                f"{path.name}: file too large ({_size(size)}, limit {_size(max_bytes)})"
            )
        data = path.read_bytes()
    except DocumentError:
        raise
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read file ({exc.strerror or exc})") from exc
    if not data:
        raise DocumentError(f"{path.name}: empty file")
    if len(data) > max_bytes:  # the file grew between stat and read
        raise DocumentError(
            f"{path.name}: file too large ({_size(len(data))}, limit {_size(max_bytes)})"
        )
    return data


def _size(n_bytes: int) -> str:
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.1f} KB"
    return f"{n_bytes / (1024 * 1024):.1f} MB"


def decode_text(path: Path, data: bytes) -> str:
    """Bytes of a text file as str (see the module docstring for the order tried)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise_newlines(data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise DocumentError(f"{path.name}: invalid {encoding.upper()} text") from exc
    sample = data[:65536]
    if b"\x00" in sample or _control_ratio(sample.decode("latin-1")) > 0.02:
        raise DocumentError(f"{path.name}: binary content, not a text file")
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if _looks_like_prose(text):
        return _normalise_newlines(text)
    raise DocumentError(f"{path.name}: cannot decode text (not UTF-8, UTF-16 or Windows-1252)")


def _control_ratio(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(1, len(text))


def _looks_like_prose(text: str) -> bool:
    # Western single-byte text is mostly ASCII; random or CJK bytes decoded as cp1252 are not.
    if "\ufffd" in text or _control_ratio(text) > 0.001:
        return False
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    visible = sum(1 for ch in text if not ch.isspace())
    return non_ascii / max(1, len(text)) < 0.3 and letters / max(1, visible) > 0.5


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def _markdown_title(text: str) -> str | None:
    match = _MARKDOWN_H1.search(text)
    return match.group(1) if match else None


def _tidy_title(title: object) -> str | None:
    if not isinstance(title, str):
        return None
    tidy = " ".join(title.split())
    return tidy or None


def _pdf_text(path: Path, data: bytes) -> tuple[str, str | None]:
    import pypdf  # deferred: only PDF ingest pays for the import

    try:
        with _pypdf_notes(path):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _decrypt(path, reader)
            pages = [_page_text(page) for page in reader.pages]
            title = _pdf_title(reader)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError)
        raise DocumentError(f"{path.name}: corrupt PDF ({_reason(exc)})") from exc
    if not pages or not any(page.strip() for page in pages):
        raise DocumentError(f"{path.name}: no extractable text (scanned PDF?)")
    return "\f".join(pages), title


@contextmanager
def _pypdf_notes(path: Path) -> Iterator[None]:
    """pypdf's own warnings ("Ignoring wrong pointing object ...") name no file: they are
    collected while one PDF is read and said once, as one line naming it; when the read fails,
    its error line says it all, so the notes are dropped."""
    notes: list[str] = []
    read = False

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        notes += [str(w.message) for w in caught]
        read = True
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        if notes and read:
            more = f" (and {len(notes) - 1} more)" if len(notes) > 1 else ""
            log.warning("%s: PDF damage read around: %s%s", shown(path), one_line(notes[0]), more)


def _decrypt(path: Path, reader: object) -> None:
    from pypdf import PasswordType

    try:
        result = reader.decrypt("")  # type: ignore[attr-defined]
    except Exception as exc:  # e.g. DependencyError when AES needs the cryptography package
        raise DocumentError(f"{path.name}: encrypted PDF, cannot decrypt ({_reason(exc)})") from exc
    if result == PasswordType.NOT_DECRYPTED:
        raise DocumentError(f"{path.name}: encrypted PDF, needs a password")


def _page_text(page: object) -> str:
    text = page.extract_text() or ""  # type: ignore[attr-defined]
    return str(text).replace("\f", "\n")  # "\f" is reserved for page breaks


def _pdf_title(reader: object) -> str | None:
    try:
        metadata = reader.metadata  # type: ignore[attr-defined]
        return str(metadata.title) if metadata is not None and metadata.title else None
    except Exception:  # a broken info dictionary should not cost the document its text
        return None


def _reason(exc: Exception) -> str:
    message = " ".join(str(exc).split())
    return message[:120] if message else type(exc).__name__


def _docx_text(path: Path, data: bytes) -> tuple[str, str | None]:
    import docx  # deferred: only Word ingest pays for the import
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                blocks.extend(_table_rows(block))
            elif block.text.strip():
                blocks.append(block.text.strip())
        title = document.core_properties.title or None
    except Exception as exc:  # BadZipFile, KeyError, lxml errors, PackageNotFoundError
        raise DocumentError(f"{path.name}: corrupt Word file ({_reason(exc)})") from exc
    return "\n\n".join(blocks), title


def _table_rows(table: object) -> list[str]:
    rows: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


_HTML_DROP = ("script", "style", "nav", "noscript", "template", "iframe", "svg", "head")
_HTML_BLOCKS = (
    "p", "div", "section", "article", "main", "header", "footer", "aside", "li", "ul", "ol",
    "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd",
    "figcaption", "address",
)  # fmt: skip


def _html_text(path: Path, data: bytes) -> tuple[str, str | None]:
    from bs4 import BeautifulSoup  # deferred: only HTML ingest pays for the import

    markup = decode_text(path, data)
    try:
        soup = BeautifulSoup(markup, "html.parser")  # parsed only: nothing is ever executed
        title = soup.title.get_text(" ", strip=True) if soup.title else None
        for tag in soup.find_all(_HTML_DROP):
            tag.decompose()
        for tag in soup.find_all(_HTML_BLOCKS):
            # Blank lines around blocks keep the paragraph structure the cleaner relies on.
            tag.insert_before("\n\n")
            tag.insert_after("\n\n")
        for tag in soup.find_all("br"):
            tag.replace_with("\n")
        text = soup.get_text()
    except Exception as exc:
        raise DocumentError(f"{path.name}: unreadable HTML ({_reason(exc)})") from exc
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), title
