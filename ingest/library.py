"""The library: Chroma is the store of record for chunks and for one record per document.

Layout (see docs/architecture.md): ``chunks-<key>`` holds every chunk (text, ``Chunk.metadata()``
and its vector); ``documents-<key>`` holds one record per document. ``<key>`` hashes the
embedding model's name and the chunking settings, so changing either starts a new index.

Crash safety rests on one rule: a document record exists only while all of its chunks do.
Writing a document deletes its old record first, then its old chunks, adds the new chunks and
writes the new record last (the commit marker). Removing deletes the record first. So whatever
an interrupted run leaves behind is chunks without a record, which ``repair`` deletes; the
document is then simply not ingested, and the next run ingests it again.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import BackendUnavailableError
from core.protocols import Embedder, StoredChunk
from core.settings import Settings
from core.types import Chunk, DocumentInfo, parse_chunk_id
from ingest.chunking import CHUNKER_VERSION

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from ingest.keyword_index import KeywordIndex

PAGE_SIZE = 1000
# Document records carry no meaningful vector, but Chroma wants one (without it, it calls its
# default embedding function, which downloads a model).
_RECORD_VECTOR = [1.0]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def index_key(embedder: Embedder, settings: Settings) -> str:
    """Short hash of what built the vectors and the chunks."""
    blob = json.dumps(
        {
            "embedding": embedder.name,
            "chunking": settings.chunking.model_dump(),
            "chunker": CHUNKER_VERSION,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def connect(settings: Settings) -> ClientAPI:
    """The Chroma client the settings ask for: a server when a host is set, else embedded."""
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if not settings.chroma_host:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    where = f"{settings.chroma_host}:{settings.chroma_port}"
    try:
        client = chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
        client.heartbeat()
    except Exception as exc:  # chromadb raises plain ValueError / httpx errors here
        raise BackendUnavailableError(f"Chroma server {where} is unreachable: {exc}") from exc
    return client


class Library:
    """Documents and their chunks in Chroma; the keyword index is derived from them."""

    def __init__(
        self,
        client: ClientAPI,
        embedder: Embedder,
        settings: Settings,
        *,
        write_batch: int | None = None,
        repair: bool = True,
    ) -> None:
        self.client = client
        self.embedder = embedder
        self.settings = settings
        self.key = index_key(embedder, settings)
        self._write_batch = write_batch
        self._keyword_index: KeywordIndex | None = None
        meta: dict[str, Any] = {
            "hnsw:space": "cosine",
            "embedding": embedder.name,
            "chunk_tokens": settings.chunking.chunk_tokens,
            "overlap_sentences": settings.chunking.overlap_sentences,
        }
        self._chunks = client.get_or_create_collection(
            f"chunks-{self.key}", embedding_function=None, metadata=meta
        )
        self._records = client.get_or_create_collection(
            f"documents-{self.key}", embedding_function=None, metadata=meta
        )
        if repair:
            self.repair()

    @property
    def where(self) -> str:
        """Where the chunks are kept, for messages."""
        if self.settings.chroma_host:
            return f"Chroma server {self.settings.chroma_host}:{self.settings.chroma_port}"
        return f"Chroma in {self.settings.chroma_dir}"

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder) -> Library:
        return cls(connect(settings), embedder, settings)

    @property
    def collection(self) -> Collection:
        """The chunks collection (documents = chunk text, metadatas = ``Chunk.metadata()``)."""
        return self._chunks

    @property
    def keyword_index(self) -> KeywordIndex:
        """The BM25 index of this library, loaded and brought up to date on first use."""
        if self._keyword_index is None:
            from ingest.keyword_index import KeywordIndex

            self._keyword_index = KeywordIndex(self.settings.keyword_dir / self.key)
            self._keyword_index.ensure_fresh(self)
        return self._keyword_index

    def refresh_keyword_index(self) -> None:
        """Bring the keyword index in line with Chroma (after writes or removals)."""
        if self._keyword_index is None:
            _ = self.keyword_index  # loads and refreshes
        else:
            self._keyword_index.ensure_fresh(self)

    # -- reading --------------------------------------------------------------------------

    def count(self) -> int:
        """Number of chunks stored."""
        return int(self._chunks.count())

    def documents(self) -> list[DocumentInfo]:
        """Every committed document, sorted by file name."""
        found = self._records.get(include=["metadatas"])
        infos = [DocumentInfo.from_metadata(dict(m)) for m in found["metadatas"] or []]
        return sorted(infos, key=lambda info: info.source)

    def document(self, source: str) -> DocumentInfo | None:
        found = self._records.get(where={"source": source}, include=["metadatas"])
        metas = found["metadatas"] or []
        return DocumentInfo.from_metadata(dict(metas[0])) if metas else None

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        """Chunks by id, in the order asked for; unknown ids are left out."""
        if not ids:
            return []
        found = self._chunks.get(ids=list(ids), include=["documents", "metadatas"])
        by_id = {
            chunk_id: Chunk.from_stored(text, dict(meta))
            for chunk_id, text, meta in zip(
                found["ids"], found["documents"] or [], found["metadatas"] or [], strict=True
            )
        }
        return [by_id[i] for i in ids if i in by_id]

    def chunks_of(self, doc_ids: Sequence[str]) -> list[StoredChunk]:
        """Stored chunks of some documents as (id, text, metadata)."""
        if not doc_ids:
            return []
        where: dict[str, Any] = (
            {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        )
        # Paged: one unbounded get of ~100,000 chunks overflows SQLite's variable limit.
        rows: list[StoredChunk] = []
        while True:
            found = self._chunks.get(
                where=where, include=["documents", "metadatas"], limit=PAGE_SIZE, offset=len(rows)
            )
            page = _rows(found)
            rows.extend(page)
            if len(page) < PAGE_SIZE:
                return rows

    # -- writing --------------------------------------------------------------------------

    def write_document(
        self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]], info: DocumentInfo
    ) -> None:
        """Store a document, replacing any earlier version of it; the record goes last."""
        if len(chunks) != len(embeddings):
            raise ValueError(f"{info.source}: {len(chunks)} chunks but {len(embeddings)} vectors")
        self._records.delete(ids=[info.doc_id])
        self._chunks.delete(where={"doc_id": info.doc_id})
        self._put_chunks(chunks, embeddings)
        self._records.upsert(
            ids=[info.doc_id],
            documents=[info.title or info.source],
            metadatas=[info.metadata()],
            embeddings=np.array([_RECORD_VECTOR], dtype=np.float32),
        )
        # A second process ingesting into the same Chroma server may have run its repair while
        # these chunks had no record yet, and deleted some: put them back (upsert is idempotent).
        stored = self._chunks.get(where={"doc_id": info.doc_id}, include=[])["ids"]
        if len(stored) != len(chunks):
            self._put_chunks(chunks, embeddings)

    def _put_chunks(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        size = self._write_batch or self.client.get_max_batch_size()
        for start in range(0, len(chunks), size):
            part = chunks[start : start + size]
            self._chunks.upsert(
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=np.asarray(embeddings[start : start + size], dtype=np.float32),
            )

    def remove(self, source: str) -> bool:
        """Remove a document (record, chunks, keyword entries); False if it was not there."""
        info = self.document(source)
        if info is None:
            return False
        self._records.delete(ids=[info.doc_id])
        self._chunks.delete(where={"doc_id": info.doc_id})
        self.refresh_keyword_index()
        return True

    def repair(self) -> int:
        """Delete what an interrupted write left behind; returns the number of chunks deleted.

        Fast path: when the chunk count equals the sum of the records' chunk counts, the store
        is consistent (records only exist for complete documents), and nothing is scanned.
        """
        records = {info.doc_id: info for info in self.documents()}
        if self.count() == sum(info.chunks for info in records.values()):
            return 0
        # Chunk ids are "<doc_id>:<index>": reading ids alone is ~20x faster than metadata.
        stored = Counter(parse_chunk_id(chunk_id)[0] for chunk_id in self._all_ids())
        deleted = 0
        for doc_id, n in stored.items():
            info = records.get(doc_id)
            if info is not None and info.chunks == n:
                continue
            if info is not None:  # cannot happen by the write order; a record that lies goes
                self._records.delete(ids=[doc_id])
            self._chunks.delete(where={"doc_id": doc_id})
            deleted += n
        for doc_id in records.keys() - stored.keys():
            if records[doc_id].chunks:
                self._records.delete(ids=[doc_id])
        return deleted

    def _all_ids(self) -> Iterator[str]:
        offset, page = 0, PAGE_SIZE * 50
        while True:
            ids = self._chunks.get(include=[], limit=page, offset=offset)["ids"]
            yield from ids
            if len(ids) < page:
                return
            offset += len(ids)


def _rows(found: Any) -> list[StoredChunk]:
    return [
        (chunk_id, text, dict(meta))
        for chunk_id, text, meta in zip(
            found["ids"], found["documents"] or [], found["metadatas"] or [], strict=True
        )
    ]
