"""Incremental, crash-safe ingest into real embedded Chroma (HashingEmbedding for speed)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.errors import BackendUnavailableError
from core.settings import Settings
from core.types import chunk_id as make_chunk_id
from ingest.library import Library
from ingest.pipeline import ProgressEvent, ingest_paths
from tests.conftest import CORPUS_DIR, PROJECT_ROOT
from tests.fakes import HashingEmbedding
from tests.library_state import stored_chunks

CORPUS_FILES = 5


class CountingEmbedding(HashingEmbedding):
    """Counts the passages it embeds, to prove what incremental ingest does not embed."""

    embedded: int = 0

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super()._get_text_embeddings(texts)


@pytest.fixture
def counting() -> CountingEmbedding:
    return CountingEmbedding()


@pytest.fixture
def counted_library(settings: Settings, counting: CountingEmbedding) -> Library:
    return Library.open(settings, counting)


def snapshot(library: Library) -> tuple[list[tuple[str, int, str]], list[tuple[str, str]]]:
    """What a library holds: its records and every chunk (id, text)."""
    docs = [(d.source, d.chunks, d.content_hash) for d in library.documents()]
    chunks = sorted((chunk_id, text) for chunk_id, text, _ in stored_chunks(library))
    return docs, chunks


def assert_consistent(library: Library) -> None:
    """Every record's chunks are all there, with ids 0..n-1, and no chunk lacks a record."""
    records = {d.doc_id: d for d in library.documents()}
    ids_by_doc: dict[str, list[str]] = {}
    for chunk_id, _, meta in stored_chunks(library):
        ids_by_doc.setdefault(str(meta["doc_id"]), []).append(chunk_id)
    assert set(ids_by_doc) == set(records)
    for doc_id, ids in ids_by_doc.items():
        expected = [make_chunk_id(doc_id, i) for i in range(records[doc_id].chunks)]
        assert sorted(ids) == expected


def test_first_ingest_then_unchanged_embeds_nothing(corpus, counted_library, counting, settings):
    report = ingest_paths([corpus], counted_library)
    assert sorted(report.added) == sorted(p.name for p in corpus.iterdir())
    assert report.ok and report.chunks_embedded == counting.embedded == counted_library.count()
    assert report.summary() == (
        f"added {CORPUS_FILES}, updated 0, unchanged 0, failed 0 "
        f"(chunks embedded: {report.chunks_embedded})"
    )
    assert_consistent(counted_library)

    counting.embedded = 0
    again = ingest_paths([corpus], counted_library)
    assert len(again.unchanged) == CORPUS_FILES
    assert again.added == again.updated == [] and again.chunks_embedded == 0
    assert counting.embedded == 0


def test_changed_file_is_replaced_without_stale_chunks(corpus, counted_library, counting):
    ingest_paths([corpus], counted_library)
    before = {d.source: d for d in counted_library.documents()}
    changed = corpus / "indonesia-unicef-child-economic-exploitation-2016-2020.txt"
    changed.write_text(
        "Judul Baru\n\nABSTRAK\n\nDokumen ini sekarang membahas zebrafish di Jakarta saja.\n",
        encoding="utf-8",
    )
    counting.embedded = 0
    report = ingest_paths([corpus], counted_library)
    assert report.updated == [changed.name] and len(report.unchanged) == CORPUS_FILES - 1
    info = counted_library.document(changed.name)
    assert info is not None and info.content_hash != before[changed.name].content_hash
    assert counting.embedded == info.chunks  # only the changed file was embedded
    texts = [
        text for _, text, meta in stored_chunks(counted_library) if meta["source"] == changed.name
    ]
    assert len(texts) == info.chunks and all("Eksploitasi" not in t for t in texts)
    assert_consistent(counted_library)
    index = counted_library.keyword_index
    [(hit, _)] = index.search("zebrafish", 5)
    assert hit.startswith(info.doc_id)


def test_removed_document_is_gone_from_chroma_and_keyword_index(corpus, counted_library):
    ingest_paths([corpus], counted_library)
    name = "indonesia-unicef-cyber-sexual-violence-2016-2020.txt"
    assert counted_library.keyword_index.search("KPAI", 10, sources=[name])
    doc_id = counted_library.document(name).doc_id
    assert counted_library.remove(name)
    assert counted_library.document(name) is None
    assert not counted_library.collection.get(where={"doc_id": doc_id})["ids"]
    assert counted_library.keyword_index.search("KPAI", 10, sources=[name]) == []
    assert all(
        not cid.startswith(doc_id)
        for cid, _ in counted_library.keyword_index.search("KPAI anak", 50)
    )
    assert_consistent(counted_library)


def test_prune_removes_documents_whose_files_are_gone(corpus, counted_library):
    ingest_paths([corpus], counted_library)
    gone = corpus / "unicef-child-trafficking-indonesia-2021-2023.txt"
    gone.unlink()
    report = ingest_paths([corpus], counted_library, prune=True)
    assert report.removed == [gone.name]
    assert gone.name not in {d.source for d in counted_library.documents()}
    assert "removed 1" in report.summary()


def _bad_inputs(folder: Path) -> dict[str, str]:
    """file name -> a word its one error line must contain."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf \x00\xff")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "huge.txt").write_text("kata " * 400_000, encoding="utf-8")  # ~2 MB
    return {"empty.txt": "empty", "corrupt.pdf": "pdf", "binary.txt": "binary", "huge.txt": "large"}


def test_bad_inputs_fail_one_line_each_and_the_rest_is_ingested(corpus, tmp_path, data_dir):
    settings = Settings(data_dir=data_dir, max_file_mb=1)
    library = Library.open(settings, HashingEmbedding())
    ingest_paths([corpus], library)
    stored_before = snapshot(library)

    bad = _bad_inputs(tmp_path / "incoming")
    latin1 = tmp_path / "incoming" / "catatan-latin1.txt"
    latin1.write_bytes("Kebijakan perlindungan anak: café, naïve, São Tomé.\n".encode("latin-1"))
    # A file that was ingested before and is now damaged keeps its stored version.
    damaged = corpus / "indonesia-unicef-child-economic-exploitation-2016-2020.txt"
    damaged.write_bytes(b"\x00\x01\x02" * 500)
    (corpus / "notes.xyz").write_text("not a document")

    report = ingest_paths([corpus, tmp_path / "incoming"], library)
    failed = {Path(file).name: reason for file, reason in report.failed}
    assert set(failed) == {*bad, damaged.name}
    for name, word in bad.items():
        assert word in failed[name].lower(), (name, failed[name])
        assert "\n" not in failed[name]
    assert report.added == [latin1.name]
    assert any("notes.xyz" in line for line in report.skipped)
    assert not report.ok
    [chunk] = [t for _, t, m in stored_chunks(library) if m["source"] == latin1.name]
    assert "São Tomé" in chunk
    docs_after, chunks_after = snapshot(library)
    assert set(stored_before[0]) <= set(docs_after)  # nothing stored was lost
    assert set(stored_before[1]) <= set(chunks_after)
    assert_consistent(library)


def test_same_file_name_in_two_folders_is_refused(tmp_path, library):
    for folder, text in (
        ("one", "Isi pertama tentang anak."),
        ("two", "Isi kedua tentang korban."),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text, encoding="utf-8")
    report = ingest_paths([tmp_path / "one", tmp_path / "two"], library)
    assert report.added == ["report.txt"]
    [(file, reason)] = report.failed
    assert file == str(tmp_path / "two" / "report.txt")
    assert reason.startswith("duplicate file name")
    [chunk] = library.get_chunks([cid for cid, _, _ in stored_chunks(library)])
    assert "pertama" in chunk.text


def test_progress_reports_files_and_chunks(corpus, library):
    events: list[ProgressEvent] = []
    report = ingest_paths([corpus], library, progress=events.append)
    assert events[0] == ProgressEvent("files", count=CORPUS_FILES)
    done = [e for e in events if e.kind == "file_done"]
    assert len(done) == CORPUS_FILES and {e.outcome for e in done} == {"added"}
    planned = sum(e.count for e in events if e.kind == "chunks")
    embedded = sum(e.count for e in events if e.kind == "embedded")
    assert planned == embedded == report.chunks_embedded == library.count()
    assert (
        max(e.count for e in events if e.kind == "embedded")
        <= library.settings.embedding_batch_size
    )


class FailingEmbedding(HashingEmbedding):
    """An embedding server that goes away after some calls."""

    calls_left: int = 3

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if self.calls_left == 0:
            raise BackendUnavailableError("embedding server 127.0.0.1:1 failed: 503")
        self.calls_left -= 1
        return super()._get_text_embeddings(texts)


def test_backend_failure_stops_the_run_and_keeps_what_was_committed(corpus, settings, tmp_path):
    # Let the server die after the first two documents (files are taken in sorted order).
    probe = Library.open(Settings(data_dir=tmp_path / "probe"), HashingEmbedding())
    ingest_paths([corpus], probe)
    first_two = [probe.document(p.name).chunks for p in sorted(corpus.iterdir())[:2]]
    batch = settings.embedding_batch_size
    failing = FailingEmbedding(calls_left=sum(-(-n // batch) for n in first_two))
    library = Library.open(settings, failing)
    with pytest.raises(BackendUnavailableError, match="embedding server"):
        ingest_paths([corpus], library)
    assert_consistent(library)
    committed = library.documents()
    assert [d.source for d in committed] == [p.name for p in sorted(corpus.iterdir())[:2]]
    # The keyword index already covers exactly the committed documents.
    assert set(library.keyword_index.documents) == {d.doc_id for d in committed}
    failing.calls_left = 1000
    report = ingest_paths([corpus], library)
    assert len(report.unchanged) == len(committed)
    assert len(report.added) == CORPUS_FILES - len(committed)


# -- crash safety: a real process killed mid-way, then a re-run --------------------------

CRASHING_INGEST = textwrap.dedent(
    """
    import os, signal, sys
    from chromadb.api.models.Collection import Collection
    from ingest.library import Library, connect
    from ingest.pipeline import ingest_paths
    from core.settings import Settings
    from tests.fakes import HashingEmbedding

    data_dir, corpus, where, after = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    calls = 0
    original = Collection.upsert

    def dying(self, *args, **kwargs):
        global calls
        result = original(self, *args, **kwargs)
        if self.name.startswith(where + "-"):  # "chunks" batches or "documents" records
            calls += 1
            if calls == after:
                os.kill(os.getpid(), signal.SIGKILL)  # no clean-up, like a power cut
        return result

    Collection.upsert = dying
    settings = Settings(data_dir=data_dir, embedding_batch_size=4)
    library = Library(connect(settings), HashingEmbedding(), settings, write_batch=3)
    ingest_paths([corpus], library)
    print("finished without being killed")
    """
)


def _run_and_kill(data_dir: Path, corpus: Path, where: str, after: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_INGEST, str(data_dir), str(corpus), where, str(after)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == -9, result.stdout + result.stderr


@pytest.fixture(scope="module")
def reference_state(tmp_path_factory) -> tuple:
    """What a clean, uninterrupted ingest of the corpus stores."""
    data_dir = tmp_path_factory.mktemp("reference")
    settings = Settings(data_dir=data_dir, embedding_batch_size=4)
    library = Library.open(settings, HashingEmbedding())
    ingest_paths([CORPUS_DIR], library)
    return snapshot(library), library.keyword_index.search("perdagangan anak UNICEF", 20)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("where", "after"),
    [
        ("chunks", 1),  # after the very first chunk batch
        ("chunks", 4),  # inside the first document's chunk batches
        ("chunks", 8),  # first document's chunks complete, its record not yet written
        ("documents", 3),  # right after the third document record
        ("documents", 5),  # after the last record, before the keyword index is saved
    ],
)
def test_killed_ingest_converges_on_rerun(tmp_path, corpus_dir, reference_state, where, after):
    data_dir = tmp_path / "data"
    _run_and_kill(data_dir, corpus_dir, where, after)
    settings = Settings(data_dir=data_dir, embedding_batch_size=4)
    library = Library.open(settings, HashingEmbedding())
    assert_consistent(library)  # repaired on open: no partial document remains
    report = ingest_paths([corpus_dir], library)
    assert report.ok
    assert len(report.added) + len(report.unchanged) == CORPUS_FILES
    expected_snapshot, expected_hits = reference_state
    assert snapshot(library) == expected_snapshot
    assert library.keyword_index.search("perdagangan anak UNICEF", 20) == expected_hits
    assert _answers(library, "Apa peran ECPAT dalam perdagangan anak di Indonesia?")


def _answers(library: Library, question: str) -> bool:
    """Whether the library answers a question (extractive engine, hashing embedder)."""
    from core.settings import AnswerSettings
    from rag.engine import AnswerEngine
    from rag.retrieval import HybridRetriever

    # the refusal floors on cosines are e5's; bag-of-words vectors sit lower
    floors = AnswerSettings(min_dense_score=0, min_sentence_similarity=0)
    settings = library.settings.model_copy(update={"answer": floors})
    retriever = HybridRetriever(library, library.embedder, settings.retrieval)
    answer = AnswerEngine(retriever, None, library.embedder, settings, chunks=library).ask(question)
    return not answer.refused and bool(answer.citations)


@pytest.mark.integration
def test_killed_update_keeps_no_half_new_document(tmp_path, corpus, reference_state):
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, embedding_batch_size=4)
    ingest_paths([corpus], Library.open(settings, HashingEmbedding()))
    changed = corpus / "unicef-child-trafficking-vietnam-2017-2020.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nLampiran baru.\n", "utf-8")
    _run_and_kill(data_dir, corpus, "chunks", 2)  # mid-way through rewriting that document
    library = Library.open(settings, HashingEmbedding())
    assert_consistent(library)
    assert changed.name not in {d.source for d in library.documents()}  # old one withdrawn
    report = ingest_paths([corpus], library)
    assert report.added == [changed.name] and len(report.unchanged) == CORPUS_FILES - 1
    assert_consistent(library)
    [(hit, _)] = library.keyword_index.search("lampiran", 1)
    assert hit.startswith(library.document(changed.name).doc_id)


# -- the real e5 model over the whole sample corpus -----------------------------------------


@pytest.mark.slow
@pytest.mark.integration
def test_real_e5_ingest_of_the_sample_corpus(sample_library):
    # The session's shared library: its one real ingest is what this test checks.
    library, report = sample_library.library, sample_library.report
    assert report.ok and len(report.added) == CORPUS_FILES
    assert report.chunks_embedded == library.count() == sum(d.chunks for d in library.documents())
    assert_consistent(library)
    found = library.collection.get(limit=1, include=["embeddings"])
    assert len(found["embeddings"][0]) == 384
    query = library.embedder.get_query_embedding("child trafficking cases in Vietnam")
    hits = library.collection.query(query_embeddings=[query], n_results=3, include=["metadatas"])
    assert hits["metadatas"][0][0]["source"] == "unicef-child-trafficking-vietnam-2017-2020.txt"
    for acronym in ("CPAP", "ECPAT", "KPAI"):
        [chunk] = library.get_chunks([library.keyword_index.search(acronym, 1)[0][0]])
        assert acronym in chunk.text

    again = ingest_paths([CORPUS_DIR], library)
    assert len(again.unchanged) == CORPUS_FILES and again.chunks_embedded == 0


@pytest.mark.integration
def test_ingest_into_a_chroma_server(chroma_server, corpus, tmp_path):
    host, port = chroma_server
    settings = Settings(data_dir=tmp_path / "client", chroma_host=host, chroma_port=port)
    embedder = CountingEmbedding(dimensions=128)  # its own collections on the shared server
    library = Library.open(settings, embedder)
    report = ingest_paths([corpus], library)
    assert len(report.added) == CORPUS_FILES and report.chunks_embedded == library.count()
    assert_consistent(library)
    embedder.embedded = 0
    again = ingest_paths([corpus], Library.open(settings, embedder))
    assert len(again.unchanged) == CORPUS_FILES and embedder.embedded == 0
    [(hit, _)] = library.keyword_index.search("ECPAT Polri", 1)
    assert library.get_chunks([hit])[0].source == "indonesia-ecpat-child-trafficking.txt"
