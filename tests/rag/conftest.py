"""Fixtures for the rag package's tests: a local OpenAI-compatible server, fake model parts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.openai_server import OpenAICompatibleServer


@pytest.fixture
def openai_server() -> Iterator[OpenAICompatibleServer]:
    """A real OpenAI-compatible HTTP server on 127.0.0.1 (free port), fresh per test."""
    with OpenAICompatibleServer() as server:
        yield server
