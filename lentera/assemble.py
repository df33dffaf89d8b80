"""The one place that assembles the default answer engine from the settings.

Used by the CLI, the page and the eval runner, each at its entry point, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from ingest.library import Library
    from rag.fallback import FallbackEngine


def build_engine(settings: Settings) -> tuple[FallbackEngine, Library]:
    """Embedder, library, hybrid retriever and LLM (None = extractive) wired together; when
    the LLM fails, questions are answered from the evidence (``rag.fallback``)."""
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from rag.engine import AnswerEngine
    from rag.fallback import FallbackEngine
    from rag.llm import build_llm
    from rag.retrieval import HybridRetriever

    embedder = build_embedder(settings)
    library = Library.open(settings, embedder)
    retriever = HybridRetriever(library, embedder, settings.retrieval)
    llm = build_llm(settings)
    engine = AnswerEngine(retriever, llm, embedder, settings, chunks=library)
    return FallbackEngine(engine), library
