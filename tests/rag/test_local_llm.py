"""The local GGUF backend: clear errors without a usable model file, and the real model (slow)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_index.core.llms import ChatMessage

from core.errors import BackendUnavailableError, ModelMissingError
from core.settings import Settings
from rag.llm import build_llm
from rag.local_llm import LocalLLM

CAPITAL = [
    ChatMessage(role="system", content="Answer in one short sentence."),
    ChatMessage(role="user", content="What is the capital of Indonesia?"),
]


def test_missing_model_file_says_how_to_install(tmp_path: Path) -> None:
    llm = LocalLLM(model_path=tmp_path / "absent.gguf")
    with pytest.raises(ModelMissingError, match=r"not installed.*run `lentera models install`"):
        llm.load()
    assert not llm.loaded


def test_damaged_model_file_says_so(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.gguf"
    damaged.write_bytes(b"GGUF" + bytes(4096))
    llm = LocalLLM(model_path=damaged)
    with pytest.raises(ModelMissingError, match=r"damaged\.gguf could not be loaded"):
        llm.chat(CAPITAL)
    assert not llm.loaded


@pytest.fixture(scope="module")
def local_llm(installed_local_model: Path) -> Iterator[LocalLLM]:
    """The real model, loaded once for this module, with a small context to test its limit."""
    settings = Settings(data_dir=installed_local_model.parent.parent, llm_max_tokens=48)
    settings.local_model.context = 1024
    llm = build_llm(settings)
    assert isinstance(llm, LocalLLM)
    start = time.perf_counter()
    llm.load()
    print(f"\nlocal model loaded in {time.perf_counter() - start:.1f} s")
    yield llm


@pytest.mark.slow
def test_local_model_answers_and_streams(local_llm: LocalLLM) -> None:
    # Stream first: the model caches the prompt, so only the first request shows the real
    # time to first token.
    start = time.perf_counter()
    first_token_s = None
    deltas: list[str] = []
    for chunk in local_llm.stream_chat(CAPITAL):
        first_token_s = first_token_s or time.perf_counter() - start
        deltas.append(chunk.delta or "")
    total_s = time.perf_counter() - start
    assert first_token_s is not None
    rate = (len(deltas) - 1) / max(total_s - first_token_s, 1e-6)
    print(
        f"\nfirst token {first_token_s:.2f} s, {len(deltas)} deltas in {total_s:.2f} s "
        f"(~{rate:.1f} tokens/s): {''.join(deltas)!r}"
    )
    answer = local_llm.chat(CAPITAL).message.content or ""

    assert "jakarta" in answer.lower()
    assert len(deltas) >= 3
    assert "".join(deltas) == answer  # temperature 0: the same answer both ways


@pytest.mark.slow
def test_prompt_longer_than_the_context_is_a_clear_error(local_llm: LocalLLM) -> None:
    too_long = [ChatMessage(role="user", content="kata " * 3000)]
    with pytest.raises(BackendUnavailableError, match="exceeds the available context size"):
        local_llm.chat(too_long)
    with pytest.raises(BackendUnavailableError, match="exceeds the available context size"):
        list(local_llm.stream_chat(too_long))


@pytest.mark.slow
def test_closing_a_stream_early_stops_the_generation(local_llm: LocalLLM) -> None:
    count = [ChatMessage(role="user", content="Count from 1 to 200, separated by commas.")]
    stream = local_llm.stream_chat(count)
    received = [next(stream).delta for _ in range(3)]
    stream.close()  # cancels in the worker thread; must not wait for 48 more tokens
    assert all(received)
    # The model is free again at once: a new request is answered.
    assert "jakarta" in (local_llm.chat(CAPITAL).message.content or "").lower()


@pytest.mark.slow
def test_per_call_options_override_the_settings(local_llm: LocalLLM) -> None:
    response = local_llm.chat(CAPITAL, max_tokens=2)
    assert response.raw["usage"]["completion_tokens"] <= 2
    assert response.message.content
