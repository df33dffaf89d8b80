"""Backends that fail: the model server (closed port, silent, HTTP errors, garbage, a stream cut
off) and a Chroma server that goes away between two questions. Each is one clear line and, for
the model, the quoted answer from the evidence, marked as such, within ``llm_timeout``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.errors import StoreUnavailableError
from core.types import Answer
from tests.chroma_server import ChromaServer
from tests.faults.conftest import (
    QUESTION,
    SHELTERS,
    fault_settings,
    page_engine,
    small_library,
)
from tests.openai_server import OpenAICompatibleServer, free_port

pytestmark = [pytest.mark.integration, pytest.mark.faults]

REPLY = (
    "Shelters report to the social ministry every year [1]. "
    "Every district runs a shelter for trafficked children [1]. The act requires it [1]."
)


def _break(server: OpenAICompatibleServer, fault: str) -> str:
    """Make ``server`` fail as named; returns the base URL the engine should use."""
    if fault == "closed port":
        return f"http://127.0.0.1:{free_port()}/v1"
    if fault.startswith("HTTP "):
        server.fail_with(int(fault.removeprefix("HTTP ")))
    else:
        server.fault = fault
    return server.base_url


FAULTS = [
    ("closed port", "connection refused"),
    ("hang", "timed out after 15 s"),
    ("HTTP 500", "HTTP 500"),
    ("HTTP 401", "HTTP 401"),
    ("HTTP 429", "HTTP 429"),
    ("garbage", "not a valid reply"),
    ("cut", "cut off"),
]


@pytest.mark.parametrize(("fault", "reason"), FAULTS, ids=[f for f, _ in FAULTS])
def test_a_failing_model_gives_the_marked_quoted_answer_within_the_timeout(
    tmp_path: Path, openai_server: OpenAICompatibleServer, fault: str, reason: str
) -> None:
    openai_server.queue_reply(REPLY, REPLY)
    url = _break(openai_server, fault)
    settings = fault_settings(
        tmp_path / "data", llm="openai-compatible", llm_base_url=url, llm_model="qwen2.5"
    )
    assert settings.llm_timeout == 15 and settings.llm_max_retries == 0  # the defaults
    engine = page_engine(settings, small_library(settings, tmp_path / "documents"))

    start = time.perf_counter()
    events = list(engine.ask_stream(QUESTION))
    took = time.perf_counter() - start

    answer = events[-1].answer
    assert answer is not None and not answer.refused
    assert reason in answer.backend["fallback"]
    assert "\n" not in answer.backend["fallback"] and len(answer.backend["fallback"]) < 300
    assert [c.source for c in answer.citations] == ["shelters.txt"]
    assert "every year" in answer.answer
    assert took < settings.llm_timeout + 3
    _assert_quoted_only(answer)

    # While the model rests, the next question is answered from the evidence at once.
    start = time.perf_counter()
    again = list(engine.ask_stream(QUESTION))[-1].answer
    assert again is not None and "fallback" in again.backend
    assert time.perf_counter() - start < 2


def _assert_quoted_only(answer: Answer) -> None:
    """The answer shown at the end is the document's own sentences: whatever the model streamed
    before it failed (a cut-off reply's first sentence) is replaced, not kept."""
    assert answer.sentences
    for sentence in answer.sentences:
        assert sentence.text in " ".join(SHELTERS.split()), sentence.text


def test_a_chroma_server_that_goes_away_between_questions(tmp_path: Path) -> None:
    with ChromaServer(tmp_path / "chroma") as server:
        settings = fault_settings(
            tmp_path / "client", llm="extractive", chroma_host=server.host, chroma_port=server.port
        )
        engine = page_engine(settings, small_library(settings, tmp_path / "documents"))
        first = engine.ask(QUESTION)
        assert not first.refused and first.citations
        server.kill()
        start = time.perf_counter()
        with pytest.raises(StoreUnavailableError) as error:
            engine.ask(QUESTION)
        assert time.perf_counter() - start < 10
    message = str(error.value)
    assert message.startswith("the library (") and "\n" not in message and len(message) < 260
