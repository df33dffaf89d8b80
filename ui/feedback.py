"""Feedback given on the page: a durable store, and an export of unhelpful answers as drafts of
gold questions for the evals.

The store is a JSON-lines file under ``settings.feedback_dir``. Each record is written with one
``write`` on a file opened for appending and ``fsync``-ed before the page says "saved", so a
crash loses nothing that was acknowledged and concurrent writers never interleave lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from core.errors import LenteraError

Rating = Literal["helpful", "unhelpful"]
FEEDBACK_FILE = "feedback.jsonl"


class FeedbackError(LenteraError):
    """The feedback file cannot be written or read."""


@dataclass(frozen=True)
class FeedbackRecord:
    question: str
    answer: str
    rating: Rating
    citations: list[dict[str, Any]] = field(default_factory=list)
    backend: dict[str, str] = field(default_factory=dict)
    language: str = "unknown"
    refused: bool = False
    comment: str = ""
    user: str = ""  # who rated it, when the page has logins
    timestamp: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    @classmethod
    def from_answer(
        cls, answer: dict[str, Any], rating: Rating, comment: str = "", user: str = ""
    ) -> FeedbackRecord:
        """A record for an answer as the page keeps it (``Answer.to_dict()``)."""
        return cls(
            question=str(answer.get("question", "")),
            answer=str(answer.get("answer", "")),
            rating=rating,
            citations=list(answer.get("citations", [])),
            backend=dict(answer.get("backend", {})),
            language=str(answer.get("language", "unknown")),
            refused=bool(answer.get("refused", False)),
            comment=comment.strip(),
            user=user,
        )


class FeedbackStore:
    """Append-only feedback records in ``<directory>/feedback.jsonl``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / FEEDBACK_FILE
        self._lock = threading.Lock()

    def add(self, record: FeedbackRecord) -> None:
        line = (json.dumps(asdict(record), ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._lock:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    os.write(fd, line)
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            raise FeedbackError(f"{self.path}: cannot save feedback ({exc.strerror})") from exc

    def records(self) -> Iterator[FeedbackRecord]:
        """Every stored record, oldest first; a damaged line (a torn last write) is skipped."""
        if not self.path.is_file():
            return
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise FeedbackError(f"{self.path}: cannot read feedback ({exc.strerror})") from exc
        for line in lines:
            try:
                data = json.loads(line)
                yield FeedbackRecord(**data)
            except (json.JSONDecodeError, TypeError):
                continue


def gold_draft(record: FeedbackRecord) -> dict[str, Any]:
    """A gold question draft (eval format) for an answer someone found unhelpful.

    ``docs`` are the stems of the cited files, a starting point for the reviewer; ``facts``
    stay empty because only a person can say what the right answer contains.
    """
    docs = sorted({Path(str(c.get("source", ""))).stem for c in record.citations} - {""})
    digest = hashlib.sha256(f"{record.question}\n{record.timestamp}".encode()).hexdigest()[:8]
    note_parts = [f"unhelpful on {record.timestamp}"]
    if record.backend.get("llm"):
        note_parts.append(f"backend {record.backend['llm']}")
    if record.refused:
        note_parts.append("Lentera refused")
    if record.comment:
        note_parts.append(f"comment: {record.comment}")
    note_parts.append(f"answer was: {record.answer[:300]}")
    return {
        "id": f"fb-{digest}",
        "q": record.question,
        "lang": record.language if record.language in ("en", "id") else "en",
        "docs": docs,
        "facts": [],
        "unanswerable": False,
        "note": "; ".join(note_parts),
    }


def export_unhelpful(store: FeedbackStore, out: Path | None) -> list[dict[str, Any]]:
    """Write one gold draft per unhelpful answer (the latest per question) to ``out``."""
    latest: dict[str, FeedbackRecord] = {}
    for record in store.records():
        if record.rating == "unhelpful":
            latest[record.question.strip().lower()] = record
    drafts = [gold_draft(r) for r in latest.values()]
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as handle:
            for draft in drafts:
                handle.write(json.dumps(draft, ensure_ascii=False) + "\n")
    return drafts
