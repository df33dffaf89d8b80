"""A small real library for the fault campaign: Chroma in a temp directory (or a `chroma run`
server), the ingest pipeline, the hashing embedder in place of e5, the real answer engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.settings import AnswerSettings, Settings
from ingest.library import Library, connect
from ingest.pipeline import ingest_paths
from rag.engine import AnswerEngine
from rag.fallback import FallbackEngine
from rag.llm import build_llm
from rag.retrieval import HybridRetriever
from tests.fakes import HashingEmbedding

SHELTERS = (
    "Child Protection Act\n\n"
    "The child protection act requires every district to run a shelter for trafficked children. "
    "Shelters report to the social ministry every year."
)
QUESTION = "How often do shelters report to the social ministry?"


def fault_settings(data_dir: Path, **fields: Any) -> Settings:
    # The refusal threshold on the embedding cosine is e5's; bag-of-words vectors sit lower.
    return Settings(data_dir=data_dir, answer=AnswerSettings(min_dense_score=0.0), **fields)


def small_library(settings: Settings, documents: Path) -> Library:
    library = Library(connect(settings), HashingEmbedding(), settings)
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "shelters.txt").write_text(SHELTERS, encoding="utf-8")
    assert ingest_paths([documents], library).ok
    return library


def page_engine(settings: Settings, library: Library) -> FallbackEngine:
    """The engine as `lentera serve` and `lentera ask` build it, over ``library``."""
    retriever = HybridRetriever(library, library.embedder, settings.retrieval)
    engine = AnswerEngine(
        retriever, build_llm(settings), library.embedder, settings, chunks=library
    )
    return FallbackEngine(engine)
