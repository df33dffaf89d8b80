"""Shared test set-up: offline by construction, a temp data dir, the sample corpus.

Every test runs with the network blocked except for loopback, so a component that tries to
download a model or call a paid API fails loudly instead of passing by luck.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.openai_server import OpenAICompatibleServer

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from core.settings import Settings
    from ingest.library import Library
    from ingest.pipeline import IngestReport

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT / "corpus"

_LOOPBACK_PREFIXES = ("127.", "::1", "localhost", "0.0.0.0")
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host.startswith(_LOOPBACK_PREFIXES)
    return True  # unix sockets and the like


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise OSError(f"network blocked in tests: tried to connect to {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_loopback(address):
        raise OSError(f"network blocked in tests: tried to connect to {address!r}")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


def _isolate_settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("LENTERA_") or key in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LENTERA_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture(autouse=True)
def _isolated_settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own config, keys or data directory."""
    _isolate_settings_env(monkeypatch, tmp_path)


@pytest.fixture
def openai_server() -> Iterator[OpenAICompatibleServer]:
    """A real OpenAI-compatible HTTP server on 127.0.0.1 (free port), fresh per test."""
    with OpenAICompatibleServer() as server:
        yield server


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS_DIR


@pytest.fixture
def corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    """A writable copy of the sample corpus, for tests that change or damage files."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data"
    path.mkdir()
    yield path


# Seconds the session's real model install took (0 when it was reused); read by a slow test.
LOCAL_MODEL_INSTALL: dict[str, float] = {}


@pytest.fixture(scope="session")
def installed_local_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 1.1 GB GGUF, joined once per test session into ``<tmp>/models``.

    Tests that need the local LLM share it (joining takes ~10 s and 1.1 GB of disk).
    Its data directory is the file's grandparent: ``Settings(data_dir=path.parent.parent)``.
    """
    import time

    from rag.models import install_local_model

    models_dir = tmp_path_factory.mktemp("local-model-data") / "models"
    start = time.perf_counter()
    path = install_local_model(models_dir)
    LOCAL_MODEL_INSTALL["seconds"] = time.perf_counter() - start
    return path


@dataclass(frozen=True)
class SampleLibrary:
    """The sample corpus ingested with the real e5 model and the default settings.

    Shared by the whole session: treat it as read-only. A test that adds, updates or removes
    documents builds its own library (or copies ``data_dir``); the fixture checks at the end of
    the session that nothing changed.
    """

    settings: Settings
    embedder: BaseEmbedding
    library: Library
    data_dir: Path
    report: IngestReport  # what the one real ingest did (all five documents added)

    def state(self) -> tuple[list[tuple[str, int, str]], int]:
        """Records (source, chunks, content hash) and the chunk count: what must not change."""
        records = [(d.source, d.chunks, d.content_hash) for d in self.library.documents()]
        return records, self.library.count()


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleLibrary]:
    """corpus/ ingested once per session with the real e5 model (~40 s on 2 cores).

    Several test modules need the same real library (retrieval, the ingest check, the CLI and
    the eval gate); ingesting it once instead of once per module saves minutes.
    """
    from core.settings import Settings
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from ingest.pipeline import ingest_paths

    data_dir = tmp_path_factory.mktemp("sample-library")
    # Session fixtures are set up before the per-test env isolation: isolate here too, so the
    # library is built with the defaults and not with the developer's LENTERA_* settings.
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate_settings_env(monkeypatch, data_dir)
        settings = Settings(data_dir=data_dir)
    embedder = build_embedder(settings)
    library = Library.open(settings, embedder)
    report = ingest_paths([CORPUS_DIR], library)
    assert report.ok, f"sample corpus failed to ingest: {report.failed}"
    sample = SampleLibrary(settings, embedder, library, data_dir, report)
    before = sample.state()
    yield sample
    assert sample.state() == before, "a test changed the shared sample library"
