"""Twenty people on the page at once (gradio_client, loopback): no errors, every session gets
its own answers in its own order, extractive and with a model server that takes 1-3 s."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faults.conftest import QUESTION, running_page
from tests.load import run_load

pytestmark = [pytest.mark.integration, pytest.mark.faults]

USERS, ROUNDS = 20, 3
QUESTIONS = [
    QUESTION,
    "Who must run a shelter for trafficked children?",
    "Which children do the district shelters serve?",
    "Kepada siapa tempat penampungan anak melapor setiap tahun?",
]


@pytest.fixture
def page(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    with running_page(tmp_path, scripted_model=request.param == "model") as running:
        yield running


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
