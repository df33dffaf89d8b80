"""Incremental ingest: files -> loaded -> chunked -> embedded -> written to the library.

A file whose content hash matches its document record is left alone (nothing embedded). A file
that cannot be read becomes one ``failed`` entry and the batch goes on. The file name is a
document's identity, so a second file with the same name in another folder is refused.

Crash safety comes from the library's write order (record last) and ``Library.repair`` at the
start of each run: a run killed at any point leaves at most chunks without a record, which the
next run deletes before it ingests that file again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from core.errors import DocumentError
from core.types import Chunk, DocumentInfo
from ingest.chunking import chunk_document
from ingest.library import Library, now_iso
from ingest.loaders import LoadedDocument, find_documents, load_document

Outcome = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True)
class ProgressEvent:
    """What the pipeline reports as it goes.

    kinds: ``files`` (count = files to look at), ``chunks`` (count = chunks of one file about
    to be embedded), ``embedded`` (count = chunks just embedded), ``file_done`` (file, outcome).
    """

    kind: Literal["files", "chunks", "embedded", "file_done"]
    count: int = 0
    file: str = ""
    outcome: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    skipped: list[str] = field(default_factory=list)  # one warning line per skipped path
    chunks_embedded: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        line = (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, failed {len(self.failed)}"
        )
        if self.removed:
            line += f", removed {len(self.removed)}"
        return f"{line} (chunks embedded: {self.chunks_embedded})"


def ingest_paths(
    paths: Iterable[Path | str],
    library: Library,
    progress: ProgressCallback | None = None,
    *,
    prune: bool = False,
) -> IngestReport:
    """Bring the library in line with the files under ``paths``, with the library's embedder
    and settings. With ``prune``, documents whose file is not among the files found are
    removed."""
    emit = progress or (lambda event: None)
    files, warnings = find_documents([Path(p) for p in paths])
    report = IngestReport(skipped=list(warnings))
    emit(ProgressEvent("files", count=len(files)))
    library.repair()
    known = {info.source: info for info in library.documents()}
    ingester = _FileIngester(library, emit)
    try:
        seen = _ingest_files(files, known, ingester, report)
        if prune:
            for source in sorted(known.keys() - seen.keys()):
                if library.remove(source):
                    report.removed.append(source)
    except BaseException:
        # What was committed before the error must be searchable by keyword too; but a
        # failing refresh must not hide the error that stopped the run.
        with suppress(Exception):
            library.refresh_keyword_index()
        raise
    library.refresh_keyword_index()
    report.chunks_embedded = ingester.embedded
    return report


def _ingest_files(
    files: Sequence[Path],
    known: dict[str, DocumentInfo],
    ingester: _FileIngester,
    report: IngestReport,
) -> dict[str, Path]:
    seen: dict[str, Path] = {}
    for path in files:
        if path.name in seen:
            reason = f"duplicate file name (already ingesting {seen[path.name]})"
            _fail(report, ingester, path, reason)
            continue
        seen[path.name] = path
        try:
            outcome = ingester.ingest(path, known.get(path.name))
        except DocumentError as exc:
            _fail(report, ingester, path, _reason(path, exc))
            continue
        getattr(report, outcome).append(path.name)
        ingester.emit(ProgressEvent("file_done", file=str(path), outcome=outcome))
    return seen


def _fail(report: IngestReport, ingester: _FileIngester, path: Path, reason: str) -> None:
    report.failed.append((str(path), reason))
    ingester.emit(ProgressEvent("file_done", file=str(path), outcome="failed"))


def _reason(path: Path, exc: DocumentError) -> str:
    """The reason alone: loaders phrase their errors as "<file name>: <reason>"."""
    message = str(exc)
    prefix = f"{path.name}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


class _FileIngester:
    """Ingests one file at a time; counts the chunks it embeds."""

    def __init__(self, library: Library, emit: ProgressCallback) -> None:
        self.library = library
        self.embedder = library.embedder
        self.settings = library.settings
        self.emit = emit
        self.embedded = 0

    def ingest(self, path: Path, known: DocumentInfo | None) -> Outcome:
        max_bytes = int(self.settings.max_file_mb * 1024 * 1024)
        doc = load_document(path, max_bytes=max_bytes)
        if known is not None and known.content_hash == doc.content_hash:
            return "unchanged"
        chunks = chunk_document(doc, self.settings.chunking, self.embedder.token_count)
        if not chunks:
            raise DocumentError(f"{path.name}: no text left to index after cleaning")
        self.emit(ProgressEvent("chunks", count=len(chunks), file=str(path)))
        vectors = self._embed([c.text for c in chunks])
        self.library.write_document(chunks, vectors, _document_info(doc, chunks))
        return "added" if known is None else "updated"

    def _embed(self, texts: list[str]) -> list[list[float]]:
        size = max(1, self.settings.embedding_batch_size)
        vectors: list[list[float]] = []
        for start in range(0, len(texts), size):
            batch = texts[start : start + size]
            vectors.extend(self.embedder.get_text_embedding_batch(batch))
            self.embedded += len(batch)
            self.emit(ProgressEvent("embedded", count=len(batch)))
        return vectors


def _document_info(doc: LoadedDocument, chunks: Sequence[Chunk]) -> DocumentInfo:
    return DocumentInfo(
        source=doc.source,
        doc_id=chunks[0].doc_id,
        title=chunks[0].title or doc.title_hint or doc.source,
        language=_main_language(chunks),
        chunks=len(chunks),
        ingested_at=now_iso(),
        content_hash=doc.content_hash,
    )


def _main_language(chunks: Sequence[Chunk]) -> str:
    """The language most of the document's text is in (an English abstract does not count
    for more than its length)."""
    sizes: Counter[str] = Counter()
    for chunk in chunks:
        if chunk.language != "unknown":
            sizes[chunk.language] += len(chunk.text)
    return sizes.most_common(1)[0][0] if sizes else "unknown"
