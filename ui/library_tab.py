"""The library tab's event handlers: list, upload (with progress), remove documents.

``library`` honours ``ingest.library.Library``'s ``documents()`` / ``remove(source)``; ``ingest``
is a callable ``ingest(paths, progress) -> IngestReport`` (the entry point binds the library,
embedder and settings into ``ingest.pipeline.ingest_paths``), or None when the server does not
accept uploads; ``progress`` receives ``ingest.pipeline.ProgressEvent``s.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gradio as gr

from core.errors import LenteraError
from core.protocols import DocumentLibrary
from ui.accounts import Access
from ui.chat import session_language
from ui.labels import text
from ui.uploads import UploadCheck, store_upload

log = logging.getLogger(__name__)

IngestFn = Callable[[list[Path], Callable[[Any], None]], Any]
COLUMNS = ("col_title", "col_file", "col_language", "col_chunks", "col_ingested")


def _when(value: Any) -> str:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value or "")[:19].replace("T", " ")


def _names(items: Any) -> set[str]:
    """File names in an ``IngestReport`` field, which may hold paths, names or (name, x) pairs."""
    if not isinstance(items, list | tuple | set):
        return set()
    names = set()
    for item in items:
        first = item[0] if isinstance(item, tuple | list) and item else item
        names.add(Path(str(getattr(first, "source", first))).name)
    return names


def _failures(report: Any) -> dict[str, str]:
    failed: dict[str, str] = {}
    for item in getattr(report, "failed", None) or []:
        name, reason = (item[0], item[1]) if isinstance(item, tuple | list) else (item, "")
        failed[Path(str(name)).name] = str(reason)
    return failed


class ProgressRelay:
    """Turns the ingest pipeline's ``ProgressEvent``s into ``gr.Progress`` updates.

    Files done, plus the embedded share of the file in hand, over the files to look at.
    """

    def __init__(self, progress: gr.Progress) -> None:
        self.progress = progress
        self.files = 0
        self.done = 0
        self.chunks = 0
        self.embedded = 0

    def __call__(self, event: Any) -> None:
        kind = getattr(event, "kind", "")
        count = int(getattr(event, "count", 0) or 0)
        if kind == "files":
            self.files = count
        elif kind == "chunks":
            self.chunks, self.embedded = count, 0
        elif kind == "embedded":
            self.embedded += count
        elif kind == "file_done":
            self.done += 1
            self.chunks = self.embedded = 0
        if not self.files:
            return
        within = self.embedded / self.chunks if self.chunks else 0.0
        fraction = min(1.0, (self.done + within) / self.files)
        desc = str(getattr(event, "file", "") or "")
        try:
            self.progress(fraction, desc=desc or None)
        except Exception:  # progress is cosmetic: never let it stop an ingest
            log.debug("progress update failed", exc_info=True)


class LibraryHandlers:
    def __init__(
        self,
        library: DocumentLibrary,
        ingest: IngestFn | None,
        uploads_dir: Path,
        max_mb: int,
        fixed_language: str,
        access: Access | None = None,
    ) -> None:
        self.access = access or Access(None)
        self.library = library
        self.ingest = ingest
        self.uploads_dir = uploads_dir
        self.max_mb = max_mb
        self.fixed_language = fixed_language

    def sources(self) -> list[str]:
        return sorted(str(d.source) for d in self.library.documents())

    def table(self, language: str) -> dict[str, Any]:
        rows = [
            [d.title or d.source, d.source, d.language, int(d.chunks), _when(d.ingested_at)]
            for d in sorted(self.library.documents(), key=lambda d: str(d.source))
        ]
        return {"headers": [text(c, language) for c in COLUMNS], "data": rows}

    def refresh(self, restrict: list[str] | None, request: gr.Request) -> tuple[Any, Any, Any]:
        """Table and both document pickers, after any change (or when a page loads)."""
        language = session_language(request, self.fixed_language)
        choices = self.sources()
        kept = [s for s in (restrict or []) if s in choices]
        return (
            self.table(language),
            gr.update(choices=choices, value=kept),
            gr.update(choices=choices, value=None),
        )

    def controls(self, request: gr.Request) -> tuple[Any, Any, Any, Any]:
        """Upload and remove controls shown to admins only (the handlers check again)."""
        admin = self.access.allows(request.username, "upload")
        return tuple(gr.update(visible=admin) for _ in range(4))  # type: ignore[return-value]

    def _require(self, action: str, request: gr.Request, language: str) -> None:
        if not self.access.allows(request.username, action):
            log.warning("refused %s for user %r", action, request.username)
            raise gr.Error(text("admin_only", language))

    def upload(
        self,
        files: list[Any] | None,
        restrict: list[str] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio injects it by default value
    ) -> tuple[str, Any, Any, Any]:
        """Store and ingest the uploaded files; one result line per file, failures included."""
        language = session_language(request, self.fixed_language)
        self._require("upload", request, language)
        if self.ingest is None:
            raise gr.Error(text("upload_disabled", language))
        if not files:
            gr.Warning(text("no_files", language))
            return text("no_files", language), *self.refresh(restrict, request)
        known = {d.source: d.content_hash for d in self.library.documents()}
        checks = [self._check(f, known) for f in files]
        stored = [c.stored for c in checks if c.stored is not None]
        report = None
        if stored:
            progress(0.0, desc=text("upload_button", language))
            try:
                report = self.ingest(stored, ProgressRelay(progress))
            except LenteraError as exc:
                raise gr.Error(str(exc)) from exc
        lines = [self._result_line(c, report, language) for c in checks]
        return "\n".join(lines), *self.refresh(restrict, request)

    def remove(
        self, source: str | None, restrict: list[str] | None, request: gr.Request
    ) -> tuple[str, Any, Any, Any]:
        language = session_language(request, self.fixed_language)
        self._require("remove", request, language)
        if not source:
            gr.Warning(text("nothing_to_remove", language))
            return text("nothing_to_remove", language), *self.refresh(restrict, request)
        try:
            removed = self.library.remove(source)
        except LenteraError as exc:
            raise gr.Error(str(exc)) from exc
        if removed is False:
            message = f"{text('not_in_library', language)}: {source}"
            gr.Warning(message)
            return message, *self.refresh(restrict, request)
        return f"{text('removed', language)}: {source}", *self.refresh(restrict, request)

    def _check(self, upload: Any, known: dict[str, str]) -> UploadCheck:
        path = Path(str(getattr(upload, "name", upload)))
        # Gradio keeps the browser's file name as the cached file's name.
        original = str(getattr(upload, "orig_name", None) or path.name)
        return store_upload(path, original, self.uploads_dir, self.max_mb, known)

    def _result_line(self, check: UploadCheck, report: Any, language: str) -> str:
        name = Path(check.original).name
        if check.stored is None:
            reason = text(check.problem or "bad_type", language).format(
                limit=self.max_mb, suffix=Path(name).suffix or "?"
            )
            return f"✗ {name}: {text('failed', language)} ({reason})"
        stored = check.stored.name
        failed = _failures(report)
        if stored in failed:
            return f"✗ {stored}: {text('failed', language)} ({failed[stored]})"
        for key in ("updated", "unchanged"):
            if stored in _names(getattr(report, key, None)):
                return f"✓ {stored}: {text(key, language)}"
        line = f"✓ {stored}: {text('added', language)}"
        if check.kept_apart_from:
            line += " (" + text("kept_apart", language).format(name=check.kept_apart_from) + ")"
        return line
