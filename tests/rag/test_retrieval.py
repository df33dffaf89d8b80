"""Hybrid retrieval over the sample library: real Chroma, BM25, and the real e5 model."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import RetrievalSettings, Settings
from ingest.library import Library
from ingest.pipeline import ingest_paths
from rag.retrieval import HybridRetriever
from tests.conftest import CORPUS_DIR, SampleLibrary
from tests.fakes import HashingEmbedding

ECPAT = "indonesia-ecpat-child-trafficking.txt"
VIETNAM = "unicef-child-trafficking-vietnam-2017-2020.txt"

ECONOMIC = "indonesia-unicef-child-economic-exploitation-2016-2020.txt"
CYBER = "indonesia-unicef-cyber-sexual-violence-2016-2020.txt"


def _library(directory: Path, embedder: object) -> Library:
    settings = Settings(data_dir=directory)
    library = Library.open(settings, embedder)  # type: ignore[arg-type]
    report = ingest_paths([CORPUS_DIR], library)
    assert report.ok
    return library


@pytest.fixture(scope="module")
def hashed_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    yield _library(tmp_path_factory.mktemp("hashed"), HashingEmbedding())


@pytest.fixture(scope="module")
def e5_library(sample_library: SampleLibrary) -> Library:
    """The session's shared real-e5 library (read-only: these tests only retrieve)."""
    return sample_library.library


def retriever(library: Library, **settings: int) -> HybridRetriever:
    return HybridRetriever(library, library.embedder, RetrievalSettings(**settings))


# ------------------------------------------------------------------ fast: fake embeddings


def test_passages_ranked_by_fused_score(hashed_library: Library) -> None:
    passages = retriever(hashed_library).retrieve("UNICEF perdagangan anak Vietnam", top_k=5)
    assert len(passages) == 5
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)
    rrf = RetrievalSettings().rrf_k
    for p in passages:
        assert p.score <= 2.0 / (rrf + 1) + 1e-9
        assert p.dense_score is not None or p.keyword_score is not None
        assert p.chunk.text and p.chunk.source.endswith(".txt")


def test_top_k_defaults_to_settings(hashed_library: Library) -> None:
    assert len(retriever(hashed_library, top_k=2).retrieve("UNICEF")) == 2
    assert retriever(hashed_library).retrieve("UNICEF", top_k=0) == []


def test_dense_score_is_the_true_cosine(hashed_library: Library) -> None:
    question = "kerja sama Indonesia dan UNICEF"
    passages = retriever(hashed_library).retrieve(question, top_k=3)
    query = hashed_library.embedder.get_query_embedding(question)
    for p in passages:
        assert p.dense_score is not None
        stored = hashed_library.collection.get(ids=[p.chunk.chunk_id], include=["embeddings"])
        vector = [float(x) for x in stored["embeddings"][0]]
        cosine = sum(a * b for a, b in zip(query, vector, strict=True)) / (
            math.sqrt(sum(a * a for a in query)) * math.sqrt(sum(b * b for b in vector))
        )
        assert p.dense_score == pytest.approx(cosine, abs=1e-4)


def test_keyword_only_hits_get_their_text(hashed_library: Library) -> None:
    passages = retriever(hashed_library, dense_k=0).retrieve("CPAP 2021-2025", top_k=3)
    assert passages
    for p in passages:
        assert p.dense_score is None and p.keyword_score is not None
        assert "CPAP" in p.chunk.text or "2021" in p.chunk.text


def test_document_filter(hashed_library: Library) -> None:
    passages = retriever(hashed_library).retrieve(
        "perdagangan anak", top_k=6, sources=[ECPAT, CYBER]
    )
    assert passages
    assert {p.chunk.source for p in passages} <= {ECPAT, CYBER}
    assert retriever(hashed_library).retrieve("perdagangan anak", sources=[]) == []


def test_language_filter(hashed_library: Library) -> None:
    passages = retriever(hashed_library).retrieve("child trafficking", top_k=5, language="en")
    assert passages
    assert {p.chunk.language for p in passages} == {"en"}


# ------------------------------------------------------------------ slow: the real e5 model


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "source", "language"),
    [
        # English questions find Indonesian passages ...
        ("When did ECPAT sign a memorandum of understanding with the police?", ECPAT, "id"),
        (
            "In which year did Vietnam ratify the Convention on the Rights of the Child?",
            VIETNAM,
            "id",
        ),
        # ... and Indonesian questions find passages of the right paper, in either language.
        (
            "Melalui kebijakan apa Indonesia dan UNICEF menanggulangi eksploitasi ekonomi anak?",
            ECONOMIC,
            None,
        ),
        (
            "Lembaga apa saja yang terlibat dalam mengatasi kekerasan seksual anak di ranah siber?",
            CYBER,
            None,
        ),
    ],
)
def test_cross_lingual_retrieval(
    e5_library: Library, question: str, source: str, language: str | None
) -> None:
    passages = retriever(e5_library).retrieve(question, top_k=3)
    assert passages[0].chunk.source == source
    if language:
        assert any(p.chunk.language == language for p in passages if p.chunk.source == source)
    assert 0.7 < (passages[0].dense_score or 0) <= 1.0


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "term", "source"),
    [
        ("CPAP", "CPAP", None),  # three papers discuss it
        ("ECPAT", "ECPAT", ECPAT),
        ("KPAI", "KPAI", None),
        ("2021-2025", "2021-2025", None),
    ],
)
def test_keyword_side_finds_acronyms_and_years(
    e5_library: Library, question: str, term: str, source: str | None
) -> None:
    passages = retriever(e5_library).retrieve(question, top_k=3)
    assert passages[0].keyword_score is not None
    assert term in passages[0].chunk.text
    if source:
        assert any(p.chunk.source == source for p in passages)


@pytest.mark.slow
@pytest.mark.integration
def test_e5_filters(e5_library: Library) -> None:
    only = retriever(e5_library).retrieve("What did UNICEF do?", top_k=4, sources=[VIETNAM])
    assert {p.chunk.source for p in only} == {VIETNAM}
    english = retriever(e5_library).retrieve("UNICEF child trafficking", language="en")
    assert english and {p.chunk.language for p in english} == {"en"}
