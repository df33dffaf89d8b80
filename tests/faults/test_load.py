"""Twenty people on the page at once (gradio_client, loopback): no errors, every session gets
its own answers in its own order, extractive and with a model server that takes 1-3 s."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faults.conftest import QUESTION, fault_settings, page_engine, small_library
from tests.load import run_load
from tests.openai_server import OpenAICompatibleServer

pytestmark = [pytest.mark.integration, pytest.mark.faults]

USERS, ROUNDS = 20, 3
QUESTIONS = [
    QUESTION,
    "Who must run a shelter for trafficked children?",
    "Which children do the district shelters serve?",
    "Kepada siapa tempat penampungan anak melapor setiap tahun?",
]


def slow_model(body: dict[str, Any]) -> str:
    time.sleep(random.uniform(1.0, 3.0))
    return "Shelters report to the social ministry every year [1]."


@pytest.fixture
def page(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    from ui.app import build_app

    server = None
    fields: dict[str, Any] = {"llm": "extractive"}
    if request.param == "model":
        server = OpenAICompatibleServer().start()
        server.responder = slow_model
        fields = {"llm": "openai-compatible", "llm_base_url": server.base_url, "llm_model": "q"}
    settings = fault_settings(tmp_path / "data", **fields)
    library = small_library(settings, tmp_path / "documents")
    demo = build_app(page_engine(settings, library), library, settings)
    demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        yield str(demo.local_url), server
    finally:
        demo.close()
        if server is not None:
            server.close()


@pytest.mark.parametrize("page", ["extractive", "model"], indirect=True)
def test_twenty_users_at_once(page: tuple[str, Any]) -> None:
    url, server = page
    result = run_load(url, USERS, QUESTIONS, rounds=ROUNDS)
    assert result.errors == []
    assert result.mixups == []
    assert result.answers == USERS * ROUNDS
    if server is not None:  # every answer came from the model, none from the fallback
        assert len(server.chat_requests()) >= USERS * ROUNDS * 3 // 4
    print(
        f"\n{USERS} users x {ROUNDS}: p50 {statistics.median(result.latencies_ms):.0f} ms, "
        f"max {max(result.latencies_ms):.0f} ms, wall {result.wall_s:.1f} s"
    )
