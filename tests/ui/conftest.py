"""The page launched in process on 127.0.0.1 over the real parts that run in milliseconds:
the extractive answer engine, a Chroma library in a temp directory, the ingest pipeline, with
the hashing embedder in place of e5. A test may hand the engine a scripted chat model."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from core.settings import AnswerSettings, Settings, UISettings
from ingest.library import Library, connect
from ingest.pipeline import ingest_paths
from rag.engine import AnswerEngine, AnswerEvent, Trace
from rag.fallback import FallbackEngine
from rag.retrieval import HybridRetriever
from tests.fakes import HashingEmbedding

SHELTERS = (
    "Child Protection Act\n\n"
    "The child protection act requires every district to run a shelter for trafficked children. "
    "Shelters report to the social ministry every year."
)
LABOUR = (
    "Labour Inspection Rules\n\n"
    "Factory inspectors visit garment factories twice a year. "
    "Inspectors fine employers who hire children under fifteen in garment factories."
)


class RecordingEngine(AnswerEngine):
    """The real engine, recording what each question arrived with (history, sources)."""

    calls: list[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...] | None]]

    def ask_stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        sources: Sequence[str] | None = None,
        trace: Trace | None = None,
    ) -> Iterator[AnswerEvent]:
        self.calls.append((question, tuple(history), tuple(sources) if sources else None))
        return super().ask_stream(question, history, sources, trace)


class Swappable:
    """The page's engine, replaceable between tests (a fresh fallback state for each)."""

    def __init__(self, inner: FallbackEngine) -> None:
        self.inner = inner

    def ask_stream(self, *args: Any, **kwargs: Any) -> Iterator[AnswerEvent]:
        return self.inner.ask_stream(*args, **kwargs)


@dataclass
class RunningApp:
    url: str
    engine: RecordingEngine
    fallback: FallbackEngine  # what the page talks to, as `lentera serve` builds it
    library: Library
    settings: Settings
    documents: Path
    extra: list[str] = field(default_factory=list)

    def add_document(self, name: str, text: str) -> None:
        """Write a document and ingest it, as a maintainer would."""
        (self.documents / name).write_text(text, encoding="utf-8")
        report = ingest_paths([self.documents / name], self.library)
        assert report.ok, report.failed
        self.extra.append(name)

    def reset(self) -> None:
        for source in [d.source for d in self.library.documents()]:
            if source not in ("shelters.txt", "labour.txt"):
                self.library.remove(source)
        ingest_paths([self.documents / "shelters.txt", self.documents / "labour.txt"], self.library)
        self.engine.llm = None
        self.engine.calls.clear()
        self.fallback = FallbackEngine(self.engine)
        self.page_engine.inner = self.fallback


def make_settings(data_dir: Path, **ui: object) -> Settings:
    # The refusal threshold on the embedding cosine is e5's; bag-of-words vectors sit lower.
    return Settings(
        data_dir=data_dir,
        llm="extractive",
        ui=UISettings(**ui),  # type: ignore[arg-type]
        answer=AnswerSettings(min_dense_score=0.0, min_sentence_similarity=0.0),
    )


def real_parts(settings: Settings, documents: Path) -> tuple[RecordingEngine, Library, Any]:
    embedder = HashingEmbedding()
    library = Library(connect(settings), embedder, settings)
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "shelters.txt").write_text(SHELTERS, encoding="utf-8")
    (documents / "labour.txt").write_text(LABOUR, encoding="utf-8")
    assert ingest_paths([documents], library).ok
    retriever = HybridRetriever(library, embedder, settings.retrieval)
    engine = RecordingEngine(retriever, None, embedder, settings, chunks=library)
    engine.calls = []

    def ingest(paths: list[Path], progress: Any) -> Any:
        return ingest_paths(paths, library, progress=progress)

    return engine, library, ingest


@pytest.fixture(scope="module")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    from ui.app import build_app

    root = tmp_path_factory.mktemp("ui")
    settings = make_settings(root / "data", max_upload_mb=1)
    engine, library, ingest = real_parts(settings, root / "documents")
    fallback = FallbackEngine(engine)
    page_engine = Swappable(fallback)
    demo = build_app(page_engine, library, settings, ingest=ingest)
    demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    running = RunningApp(
        demo.local_url or "", engine, fallback, library, settings, root / "documents"
    )
    running.page_engine = page_engine  # type: ignore[attr-defined]
    try:
        yield running
    finally:
        demo.close()


@pytest.fixture
def app(running_app: RunningApp) -> Iterator[RunningApp]:
    """The module's app, with its library and engine reset for each test."""
    running_app.reset()
    yield running_app
