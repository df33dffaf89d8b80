"""The one place that assembles the default answer engine from the settings.

Used by the CLI, the page and the eval runner, each at its entry point, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from ingest.library import Library
    from rag.engine import AnswerEngine


def build_engine(settings: Settings) -> tuple[AnswerEngine, Library]:
    """Embedder, library, hybrid retriever and LLM (None = extractive) wired together."""
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from rag.engine import AnswerEngine
    from rag.llm import build_llm
    from rag.retrieval import HybridRetriever

    embedder = build_embedder(settings)
    library = Library.open(settings, embedder)
    retriever = HybridRetriever(library, embedder, settings.retrieval)
    llm = build_llm(settings)
    return AnswerEngine(retriever, llm, embedder, settings, chunks=library), library
