"""Fixtures for the store side of ingest: settings, an embedded library, a real Chroma server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from core.types import Chunk, document_id
from ingest.library import DocumentInfo, Library, now_iso
from tests.chroma_server import ChromaServer
from tests.fakes import HashingEmbedding


def make_chunks(
    source: str, texts: list[str], language: str = "id", version: str = "1"
) -> list[Chunk]:
    doc_id = document_id(source)
    chunks, start = [], 0
    for i, text in enumerate(texts):
        chunks.append(
            Chunk(
                doc_id=doc_id,
                source=source,
                title=f"Title of {source}",
                section="Pendahuluan",
                language=language,
                start=start,
                end=start + len(text),
                text=text,
                index=i,
                page=1 if i == 0 else None,
                content_hash=f"hash-{source}-{version}",
            )
        )
        start += len(text) + 1
    return chunks


def store(library: Library, chunks: list[Chunk]) -> DocumentInfo:
    """Write a document the way the pipeline does: vectors from the library's embedder."""
    first = chunks[0]
    info = DocumentInfo(
        source=first.source,
        doc_id=first.doc_id,
        title=first.title,
        language=first.language,
        chunks=len(chunks),
        ingested_at=now_iso(),
        content_hash=first.content_hash,
    )
    vectors = library.embedder.get_text_embedding_batch([c.text for c in chunks])
    library.write_document(chunks, vectors, info)
    return info


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, embedding_batch_size=4)


@pytest.fixture
def embedder() -> HashingEmbedding:
    return HashingEmbedding()


@pytest.fixture
def library(settings: Settings, embedder: HashingEmbedding) -> Library:
    return Library.open(settings, embedder)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real `chroma run` server on a free loopback port, for the whole session."""
    with ChromaServer(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server.host, server.port
