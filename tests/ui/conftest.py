"""The page launched in process on 127.0.0.1 with fakes of the engine and library."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.settings import Settings, UISettings
from tests.ui.ui_fakes import FakeEngine, FakeLibrary, fake_ingest

SHELTERS = (
    "Child Protection Act\n"
    "The child protection act requires every district to run a shelter for trafficked children. "
    "Shelters report to the social ministry every year."
)
LABOUR = (
    "Labour Inspection Rules\n"
    "Factory inspectors visit garment factories twice a year. "
    "Inspectors fine employers who hire children under fifteen in garment factories."
)


@dataclass
class RunningApp:
    url: str
    engine: FakeEngine
    library: FakeLibrary
    settings: Settings


def make_settings(data_dir: Path, **ui: object) -> Settings:
    return Settings(data_dir=data_dir, llm="extractive", ui=UISettings(**ui))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    from ui.app import build_app

    library = FakeLibrary()
    library.add("shelters.txt", SHELTERS)
    library.add("labour.txt", LABOUR)
    engine = FakeEngine(library)
    settings = make_settings(tmp_path_factory.mktemp("ui-data"), max_upload_mb=1)
    demo = build_app(engine, library, settings, ingest=fake_ingest(library))
    demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        yield RunningApp(demo.local_url or "", engine, library, settings)
    finally:
        demo.close()


@pytest.fixture
def app(running_app: RunningApp) -> Iterator[RunningApp]:
    """The module's app, with its library and engine reset for each test."""
    running_app.library.texts.clear()
    running_app.library.add("shelters.txt", SHELTERS)
    running_app.library.add("labour.txt", LABOUR)
    running_app.engine.unavailable = False
    running_app.engine.delay = 0.0
    running_app.engine.calls.clear()
    yield running_app
