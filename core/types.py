"""The domain types every stage shares: chunks with provenance, passages, citations, answers.

Provenance is attached once, when a chunk is made; everything downstream (Chroma metadata, the
keyword index, citations, the page, evals) reads it from here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from core.text.markers import format_markers


def document_id(source: str) -> str:
    """Stable id of a document, from the file name it was ingested from."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def chunk_id(doc_id: str, index: int) -> str:
    """The id of a document's ``index``-th chunk: ``<doc_id>:<index, 5 digits>``."""
    return f"{doc_id}:{index:05d}"


def parse_chunk_id(identifier: str) -> tuple[str, int]:
    """(document id, chunk index) of a chunk id made by ``chunk_id``."""
    doc_id, _, index = identifier.rpartition(":")
    if not doc_id or not index.isdigit():
        raise ValueError(f"not a chunk id: {identifier!r}")
    return doc_id, int(index)


@dataclass(frozen=True)
class DocumentInfo:
    """The record of an ingested document (the commit marker of its chunks in the library)."""

    source: str  # the file name: the document's identity
    doc_id: str
    title: str
    language: str
    chunks: int
    ingested_at: str  # ISO 8601, UTC
    content_hash: str

    def metadata(self) -> dict[str, str | int]:
        return asdict(self)

    @classmethod
    def from_metadata(cls, meta: dict[str, Any]) -> DocumentInfo:
        return cls(
            source=str(meta["source"]),
            doc_id=str(meta["doc_id"]),
            title=str(meta.get("title", "")),
            language=str(meta.get("language", "unknown")),
            chunks=int(meta.get("chunks", 0)),
            ingested_at=str(meta.get("ingested_at", "")),
            content_hash=str(meta.get("content_hash", "")),
        )


@dataclass(frozen=True)
class Chunk:
    """A passage of a document's cleaned text, with where it came from."""

    doc_id: str
    source: str  # file name the document was ingested from, e.g. "report.pdf"
    title: str
    section: str
    language: str  # "en", "id", or "unknown"
    start: int  # character range in the document's cleaned text
    end: int
    text: str
    index: int  # position of the chunk within its document
    page: int | None = None
    content_hash: str = ""  # hash of the whole document's raw content (for incremental ingest)

    @property
    def chunk_id(self) -> str:
        return chunk_id(self.doc_id, self.index)

    def metadata(self) -> dict[str, str | int | float | bool]:
        """Flat metadata as stored in Chroma (no None values: Chroma rejects them)."""
        meta: dict[str, str | int | float | bool] = {
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "language": self.language,
            "start": self.start,
            "end": self.end,
            "chunk_index": self.index,
            "content_hash": self.content_hash,
        }
        if self.page is not None:
            meta["page"] = self.page
        return meta

    @classmethod
    def from_stored(cls, text: str, meta: dict[str, Any]) -> Chunk:
        page = meta.get("page")
        return cls(
            doc_id=str(meta["doc_id"]),
            source=str(meta["source"]),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            language=str(meta.get("language", "unknown")),
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            text=text,
            index=int(meta.get("chunk_index", 0)),
            page=int(page) if page is not None else None,
            content_hash=str(meta.get("content_hash", "")),
        )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the scores that ranked it."""

    chunk: Chunk
    score: float  # fused score used for ranking
    dense_score: float | None = None  # cosine similarity of the query and passage embeddings
    keyword_score: float | None = None  # BM25 score


@dataclass(frozen=True)
class Citation:
    """A passage an answer cites, numbered as in the answer text."""

    n: int
    source: str
    title: str
    section: str
    start: int
    end: int
    text: str
    score: float

    @classmethod
    def from_passage(cls, n: int, passage: Passage) -> Citation:
        chunk = passage.chunk
        return cls(
            n=n,
            source=chunk.source,
            title=chunk.title,
            section=chunk.section,
            start=chunk.start,
            end=chunk.end,
            text=chunk.text,
            score=round(float(passage.score), 6),
        )


@dataclass(frozen=True)
class EvidenceSpan:
    """The part of a cited passage a sentence rests on: ``citation.text[start:end]``."""

    n: int  # the citation's number
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer, the citations it carries and the spans it rests on."""

    text: str  # without markers
    citations: tuple[int, ...]
    evidence: tuple[EvidenceSpan, ...]

    def marked(self) -> str:
        """The sentence as the answer text shows it: markers before the closing stop."""
        if not self.citations:
            return self.text
        markers = format_markers(self.citations)
        match = re.search(r"[.!?。]+[\"')\]]*$", self.text)
        if match:  # "... in 2019 [1]."
            return f"{self.text[: match.start()].rstrip()} {markers}{self.text[match.start() :]}"
        return f"{self.text} {markers}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citations": list(self.citations),
            "evidence": [asdict(span) for span in self.evidence],
        }


@dataclass
class Answer:
    """What every front end receives: the answer text, its sentences and citations as data."""

    question: str
    answer: str
    language: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    backend: dict[str, str] = field(default_factory=dict)  # {"llm": ..., "embedding": ...}
    timings_ms: dict[str, float] = field(default_factory=dict)  # retrieve, generate, total
    # Not part of the JSON contract: the passages the model saw, for the page and evals.
    passages: list[Passage] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "language": self.language,
            "refused": self.refused,
            "citations": [asdict(c) for c in self.citations],
            "sentences": [s.to_dict() for s in self.sentences],
            "backend": dict(self.backend),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
