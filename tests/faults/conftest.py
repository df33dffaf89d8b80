"""A small real library for the fault campaign: Chroma in a temp directory (or a `chroma run`
server), the ingest pipeline, the hashing embedder in place of e5, the real answer engine."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    # The refusal thresholds on embedding cosines are e5's; bag-of-words vectors sit lower.
    return Settings(
        data_dir=data_dir,
        answer=AnswerSettings(min_dense_score=0.0, min_sentence_similarity=0.0),
        **fields,
    )


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


def slow_model(body: dict[str, Any]) -> str:
    """A model server's reply that takes 1-3 s, as a small remote model's does."""
    time.sleep(random.uniform(1.0, 3.0))
    return "Shelters report to the social ministry every year [1]."


@contextmanager
def running_page(root: Path, scripted_model: bool) -> Iterator[tuple[str, Any]]:
    """The page over a small library on 127.0.0.1, extractive or answering through a local
    OpenAI-compatible server that takes 1-3 s (``slow_model``); yields (url, server)."""
    from tests.openai_server import OpenAICompatibleServer
    from ui.app import build_app

    server = None
    fields: dict[str, Any] = {"llm": "extractive"}
    if scripted_model:
        server = OpenAICompatibleServer().start()
        server.responder = slow_model
        fields = {"llm": "openai-compatible", "llm_base_url": server.base_url, "llm_model": "q"}
    settings = fault_settings(root / "data", **fields)
    library = small_library(settings, root / "documents")
    demo = build_app(page_engine(settings, library), library, settings)
    demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        yield str(demo.local_url), server
    finally:
        demo.close()
        if server is not None:
            server.close()
