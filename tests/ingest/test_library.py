"""The library in real Chroma: embedded (PersistentClient) and a real `chroma run` server."""

from __future__ import annotations

import chromadb
import pytest

from core.errors import BackendUnavailableError
from core.settings import ChunkingSettings, Settings
from ingest.library import Library, connect, index_key
from tests.fakes import HashingEmbedding
from tests.ingest.conftest import make_chunks, store
from tests.library_state import stored_chunks

TEXTS_A = [
    "Program CPAP adalah kerja sama Indonesia dan UNICEF.",
    "Perdagangan anak di Indonesia tahun 2021-2025.",
    "Undang-undang No. 66/2011 tentang perlindungan anak.",
]
TEXTS_B = ["ECPAT works against child trafficking.", "KPAI monitors child protection."]


def test_collections_are_keyed_by_embedding_and_chunking(settings, embedder):
    other_chunking = settings.model_copy(update={"chunking": ChunkingSettings(chunk_tokens=100)})
    assert index_key(embedder, settings) != index_key(embedder, other_chunking)
    assert index_key(embedder, settings) != index_key(HashingEmbedding(dimensions=64), settings)
    library = Library.open(settings, embedder)
    names = {c.name for c in library.client.list_collections()}
    assert names == {f"chunks-{library.key}", f"documents-{library.key}"}
    meta = library.collection.metadata
    assert meta["hnsw:space"] == "cosine"
    assert meta["embedding"] == embedder.name
    assert meta["chunk_tokens"] == settings.chunking.chunk_tokens


def test_write_list_get_and_reopen(library, settings, embedder):
    chunks_a = make_chunks("a.txt", TEXTS_A)
    info = store(library, chunks_a)
    store(library, make_chunks("b.txt", TEXTS_B, language="en"))
    assert library.count() == 5
    docs = library.documents()
    assert [d.source for d in docs] == ["a.txt", "b.txt"]
    assert docs[0] == info
    assert docs[0].chunks == 3 and docs[0].ingested_at.startswith("20")
    assert library.document("a.txt").content_hash == "hash-a.txt-1"
    assert library.document("nope.txt") is None

    ids = [chunks_a[2].chunk_id, "missing:00001", chunks_a[0].chunk_id]
    assert library.get_chunks(ids) == [chunks_a[2], chunks_a[0]]  # order kept, unknown left out

    reopened = Library.open(settings, embedder)  # persisted on disk
    assert reopened.count() == 5
    assert [d.source for d in reopened.documents()] == ["a.txt", "b.txt"]


def test_chunk_rows_are_what_llama_index_reads(library):
    chunks = make_chunks("a.txt", TEXTS_A)
    store(library, chunks)
    found = library.collection.get(ids=[chunks[1].chunk_id], include=["documents", "metadatas"])
    assert found["documents"] == [TEXTS_A[1]]
    assert found["metadatas"][0] == chunks[1].metadata()
    query = library.embedder.get_query_embedding("perdagangan anak Indonesia")
    hits = library.collection.query(query_embeddings=[query], n_results=1)
    assert hits["ids"][0] == [chunks[1].chunk_id]


def test_rewrite_replaces_old_chunks(library):
    store(library, make_chunks("a.txt", TEXTS_A))
    store(library, make_chunks("a.txt", ["Versi baru yang pendek."], version="2"))
    assert library.count() == 1
    [info] = library.documents()
    assert info.chunks == 1 and info.content_hash == "hash-a.txt-2"
    rows = list(stored_chunks(library))
    assert [text for _, text, _ in rows] == ["Versi baru yang pendek."]


def test_writes_in_batches_no_larger_than_asked(settings, embedder):
    library = Library.open(settings, embedder)
    small = Library(library.client, embedder, settings, write_batch=2)
    texts = [f"kalimat nomor {i} tentang anak" for i in range(7)]
    store(small, make_chunks("long.txt", texts))
    assert small.count() == 7
    [info] = small.documents()
    assert len(small.chunks_of([info.doc_id])) == 7


def test_remove_deletes_chunks_record_and_keyword_entries(library):
    store(library, make_chunks("a.txt", TEXTS_A))
    store(library, make_chunks("b.txt", TEXTS_B, language="en"))
    assert library.keyword_index.search("CPAP", 5)
    assert library.remove("a.txt") is True
    assert library.remove("a.txt") is False
    assert [d.source for d in library.documents()] == ["b.txt"]
    assert library.count() == 2
    assert library.keyword_index.search("CPAP", 5) == []
    assert library.keyword_index.search("KPAI", 5)


def test_repair_deletes_chunks_without_a_record(library, settings, embedder):
    store(library, make_chunks("a.txt", TEXTS_A))
    # An interrupted write: chunks of b.txt added, its record never written.
    orphans = make_chunks("b.txt", TEXTS_B)
    vectors = embedder.get_text_embedding_batch([c.text for c in orphans])
    library.collection.add(
        ids=[c.chunk_id for c in orphans],
        documents=[c.text for c in orphans],
        metadatas=[c.metadata() for c in orphans],
        embeddings=vectors,
    )
    assert library.count() == 5
    reopened = Library.open(settings, embedder)  # repairs on open
    assert reopened.count() == 3
    assert [d.source for d in reopened.documents()] == ["a.txt"]
    assert reopened.repair() == 0


def test_repair_drops_a_record_whose_chunks_are_incomplete(library, settings, embedder):
    chunks = make_chunks("a.txt", TEXTS_A)
    store(library, chunks)
    store(library, make_chunks("b.txt", TEXTS_B))
    library.collection.delete(ids=[chunks[0].chunk_id])  # damage from outside Lentera
    assert library.repair() == 2
    assert [d.source for d in library.documents()] == ["b.txt"]
    assert library.count() == 2


def test_unreachable_server_is_one_clear_error(data_dir, embedder):
    settings = Settings(data_dir=data_dir, chroma_host="127.0.0.1", chroma_port=9)
    with pytest.raises(BackendUnavailableError, match=r"Chroma server 127\.0\.0\.1:9"):
        Library.open(settings, embedder)


@pytest.mark.integration
def test_library_on_a_chroma_server(chroma_server, data_dir, embedder):
    host, port = chroma_server
    settings = Settings(data_dir=data_dir / "server", chroma_host=host, chroma_port=port)
    assert isinstance(connect(settings), type(chromadb.HttpClient(host=host, port=port)))
    library = Library.open(settings, embedder)
    for doc in library.documents():  # the server outlives a test: start from empty
        library.remove(doc.source)
    store(library, make_chunks("a.txt", TEXTS_A))
    store(library, make_chunks("b.txt", TEXTS_B, language="en"))
    store(library, make_chunks("a.txt", TEXTS_A[:2], version="2"))
    assert library.count() == 4
    assert [(d.source, d.chunks) for d in library.documents()] == [("a.txt", 2), ("b.txt", 2)]
    assert [cid for cid, _ in library.keyword_index.search("ECPAT", 3)] == [
        make_chunks("b.txt", TEXTS_B)[0].chunk_id
    ]
    assert library.remove("b.txt")
    again = Library.open(settings, embedder)
    assert again.count() == 2
    assert not (settings.data_dir / "chroma").exists()  # nothing stored locally but the index


class RacedLibrary(Library):
    """A library whose chunk writes are interleaved with another process's repair."""

    rival: Library | None = None

    def _put_chunks(self, chunks, embeddings):
        super()._put_chunks(chunks[:2], embeddings[:2])
        if self.rival is not None:
            self.rival.repair()  # sees chunks without a record and deletes them
            self.rival = None
        super()._put_chunks(chunks[2:], embeddings[2:])


def test_a_concurrent_repair_does_not_leave_a_document_short(library, settings, embedder):
    raced = RacedLibrary(library.client, embedder, settings)
    raced.rival = library
    chunks = make_chunks("a.txt", TEXTS_A)
    store(raced, chunks)
    assert library.count() == 3
    assert library.get_chunks([c.chunk_id for c in chunks]) == chunks
    assert library.repair() == 0


def test_chunks_of_reads_large_documents_page_by_page(library, monkeypatch):
    # A keyword-index sync asks for every chunk of many documents at once; at library scale
    # one unpaged get overflows SQLite's variable limit, so reads are paged.
    import ingest.library as library_module

    monkeypatch.setattr(library_module, "PAGE_SIZE", 3)
    first = make_chunks("big.txt", [f"bagian {i} tentang anak" for i in range(8)])
    second = make_chunks("other.txt", [f"part {i} about children" for i in range(5)])
    store(library, first)
    store(library, second)
    rows = library.chunks_of([first[0].doc_id, second[0].doc_id])
    assert sorted(chunk_id for chunk_id, _, _ in rows) == sorted(c.chunk_id for c in first + second)
