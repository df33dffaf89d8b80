"""The BM25 keyword index: tokens, scores (against bm25s), filters, persistence, rebuilds."""

from __future__ import annotations

import logging
import re

import bm25s
import pytest

from ingest.keyword_index import KeywordIndex, Tokenizer
from ingest.library import Library
from tests.ingest.conftest import make_chunks, store
from tests.library_state import damage_file, stored_chunks

DOC_A = [
    "Program CPAP adalah kerja sama pemerintah Indonesia dan UNICEF.",
    "Perdagangan anak di Indonesia meningkat pada tahun 2021-2025.",
    "Undang-undang No. 66/2011 mengatur perlindungan anak dari eksploitasi.",
]
DOC_B = [
    "ECPAT works against child trafficking and sexual exploitation.",
    "KPAI monitors child protection and receives reports from victims.",
    "The police protect victims of trafficking in Vietnam.",
]


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


def test_the_index_reads_text_with_the_shared_terms(tokenizer):
    # The rules themselves are tested in tests/core/test_text_terms.py; the index uses them.
    from core.text.terms import tokenize

    text = "Menurut CPAP, ECPAT dan KPAI (UU 66/2011) untuk 2021-2025 di Filipina."
    assert tokenizer(text) == tokenize(text)
    assert {"cpap", "~ecpat", "~kpai", "66/2011", "2021", "2025", "~philippines"} <= set(
        tokenizer(text)
    )


def test_a_name_in_one_language_finds_the_passage_in_the_other(library):
    store(
        library,
        make_chunks(
            "en.txt", ["Trafficking cases in the Philippines rose in 2020."], language="en"
        ),
    )
    store(library, make_chunks("id.txt", ["Harga beras di pasar naik lagi minggu ini."]))
    [(hit, _)] = library.keyword_index.search("kasus perdagangan di Filipina", 5)
    assert hit == make_chunks("en.txt", ["x"])[0].chunk_id


def test_scores_match_bm25s(tokenizer, library):
    store(library, make_chunks("a.txt", DOC_A))
    store(library, make_chunks("b.txt", DOC_B, language="en"))
    index = library.keyword_index
    rows = sorted(stored_chunks(library))
    reference = bm25s.BM25()  # same defaults: Lucene, k1=1.5, b=0.75
    reference.index([tokenizer(text) for _, text, _ in rows], show_progress=False)
    for query in ("perdagangan anak Indonesia", "child trafficking victims", "CPAP"):
        expected = reference.get_scores(tokenizer(query))
        got = dict(index.search(query, k=10))
        for (chunk_id, _, _), score in zip(rows, expected, strict=True):
            assert got.get(chunk_id, 0.0) == pytest.approx(float(score), rel=1e-5, abs=1e-6)


def test_search_ranks_and_filters(library):
    a = make_chunks("a.txt", DOC_A)
    b = make_chunks("b.txt", DOC_B, language="en")
    store(library, a)
    store(library, b)
    index = library.keyword_index
    hits = index.search("trafficking victims", k=2)
    assert hits[0][0] == b[2].chunk_id  # the only chunk with both words
    assert all(cid.startswith(b[0].doc_id) for cid, _ in hits)
    assert hits[0][1] >= hits[1][1] > 0
    assert index.search("meningkat", k=5, sources=["b.txt"]) == []
    assert [cid for cid, _ in index.search("meningkat", k=5, sources=["a.txt"])] == [a[1].chunk_id]
    assert len(index.search("anak", k=5, sources=["b.txt"])) == 2  # "child", across languages
    # "trafficking" meets "Perdagangan" through the lexicon; the filter keeps the language.
    assert [cid for cid, _ in index.search("trafficking", k=5, language="id")] == [a[1].chunk_id]
    assert len(index.search("trafficking", k=5, language="en")) == 2
    assert index.search("the of yang", k=5) == []  # only stop words
    assert index.search("zzzz unknownword", k=5) == []


def test_saved_index_is_reused_until_the_library_changes(library, settings, embedder):
    store(library, make_chunks("a.txt", DOC_A))
    index = library.keyword_index
    assert index.path.is_file()
    fresh = KeywordIndex(index.directory)
    assert fresh.ensure_fresh(library) is False  # loaded from disk, nothing rebuilt
    assert fresh.search("CPAP", 3) == index.search("CPAP", 3)
    store(library, make_chunks("b.txt", DOC_B, language="en"))
    assert fresh.ensure_fresh(library) is True
    assert fresh.search("ECPAT", 3)


@pytest.mark.parametrize("damage", ["truncated", "overwritten", "deleted"])
def test_missing_or_damaged_index_is_rebuilt_from_chroma(
    library, settings, embedder, caplog, damage
):
    store(library, make_chunks("a.txt", DOC_A))
    store(library, make_chunks("b.txt", DOC_B, language="en"))
    expected = library.keyword_index.search("anak trafficking", 10)
    path = library.keyword_index.path
    damage_file(path, damage)
    with caplog.at_level(logging.WARNING):
        reopened = Library.open(settings, embedder)
        assert reopened.keyword_index.search("anak trafficking", 10) == expected
    warned = [r.getMessage() for r in caplog.records if "keyword index" in r.getMessage()]
    if damage == "deleted":
        assert not warned  # a missing index is simply built
    else:
        [line] = warned
        assert "is damaged" in line and "rebuilding it from the library" in line
    assert path.read_bytes()  # saved again, whole
    caplog.clear()
    Library.open(settings, embedder).keyword_index.search("anak", 1)
    assert not [r for r in caplog.records if "damaged" in r.getMessage()]


def test_incremental_index_equals_a_rebuild_from_chroma_alone(library, tmp_path):
    store(library, make_chunks("a.txt", DOC_A))
    _ = library.keyword_index
    store(library, make_chunks("b.txt", DOC_B, language="en"))
    library.refresh_keyword_index()
    store(
        library, make_chunks("a.txt", [*DOC_A[:2], "Versi baru: korban eksploitasi."], version="2")
    )
    library.refresh_keyword_index()
    store(library, make_chunks("c.txt", ["Vietnam dan Indonesia, korban perdagangan."]))
    library.remove("c.txt")
    incremental = library.keyword_index

    rebuilt = KeywordIndex(tmp_path / "rebuilt")
    assert rebuilt.ensure_fresh(library) is True
    assert rebuilt.fingerprint == incremental.fingerprint
    assert len(rebuilt) == len(incremental) == library.count()
    for query in ("anak", "korban eksploitasi", "child trafficking Vietnam", "CPAP 2021"):
        assert rebuilt.search(query, 10) == incremental.search(query, 10)


def _paragraph_chunks(path, language="id"):
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", path.read_text()) if len(p) > 80]
    return make_chunks(path.name, paragraphs, language=language)


def test_finds_acronyms_in_the_sample_corpus(library, corpus_dir):
    chunks = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        chunks[path.name] = _paragraph_chunks(path)
        store(library, chunks[path.name])
    index = library.keyword_index
    for acronym in ("CPAP", "ECPAT", "KPAI"):
        hits = index.search(acronym, k=3)
        assert hits, acronym
        texts = [c.text for c in library.get_chunks([cid for cid, _ in hits])]
        assert all(acronym in text for text in texts), acronym
    cpap = index.search("CPAP", 1, sources=["indonesia-unicef-cyber-sexual-violence-2016-2020.txt"])
    assert cpap and "CPAP" in library.get_chunks([cpap[0][0]])[0].text


def test_empty_index_finds_nothing(tmp_path):
    index = KeywordIndex(tmp_path / "empty")
    assert index.load() is False
    assert len(index) == 0
    assert index.search("anak", 5) == []


def test_vocabulary_of_removed_documents_is_forgotten(library):
    store(library, make_chunks("a.txt", DOC_A))
    store(library, make_chunks("big.txt", [f"istilahunik{i} lain{i}" for i in range(50)]))
    index = library.keyword_index
    before = len(index._vocab)
    library.remove("big.txt")
    assert len(index._vocab) < before / 2
    assert [cid for cid, _ in index.search("CPAP", 1)] == [make_chunks("a.txt", DOC_A)[0].chunk_id]
    assert index.search("istilahunik7", 1) == []
    store(library, make_chunks("c.txt", ["Korban istilahunik7 di Vietnam."]))
    library.refresh_keyword_index()
    assert index.search("istilahunik7", 1)[0][0].startswith(make_chunks("c.txt", ["x"])[0].doc_id)
    reloaded = KeywordIndex(index.directory)
    assert reloaded.ensure_fresh(library) is False
    for query in ("istilahunik7 korban", "CPAP", "perlindungan anak"):
        assert reloaded.search(query, 5) == index.search(query, 5)
