"""LLM backends: configuration errors, remote backends against a real local HTTP server,
failures as one-line BackendUnavailableErrors, and the local GGUF for real (slow)."""

from __future__ import annotations

import time
from pathlib import Path

import openai
import pytest
from llama_index.core.llms import ChatMessage

from core.errors import BackendUnavailableError, ConfigurationError, ModelMissingError
from core.settings import Settings
from rag.llm import LocalLLM, build_llm, llm_name
from rag.models import LOCAL_MODEL
from tests.openai_server import OpenAICompatibleServer, free_port

QUESTION = [
    ChatMessage(role="system", content="Answer from the passages only."),
    ChatMessage(role="user", content="Who signed the MoU?"),
]


def _compatible(data_dir: Path, base_url: str, **overrides: object) -> Settings:
    fields: dict[str, object] = {
        "data_dir": data_dir,
        "llm": "openai-compatible",
        "llm_base_url": base_url,
        "llm_model": "qwen2.5",
        "llm_max_retries": 0,
        "llm_timeout": 5.0,
    }
    fields.update(overrides)
    return Settings(**fields)  # type: ignore[arg-type]


# --- building ------------------------------------------------------------------------------


def test_extractive_has_no_llm(data_dir: Path) -> None:
    llm = build_llm(Settings(data_dir=data_dir, llm="extractive"))
    assert llm is None
    assert llm_name(llm) == "extractive"


def test_local_backend_is_built_without_loading_the_model(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, llm="local", llm_max_tokens=64)
    settings.local_model.threads = 1

    llm = build_llm(settings)

    assert isinstance(llm, LocalLLM)
    assert not llm.loaded
    assert llm.model_path == data_dir / "models" / LOCAL_MODEL.file_name
    assert (llm.threads, llm.max_tokens, llm.temperature) == (1, 64, 0.0)
    assert llm_name(llm) == f"local:{LOCAL_MODEL.name}"


def test_local_backend_without_the_model_says_how_to_install(data_dir: Path) -> None:
    llm = build_llm(Settings(data_dir=data_dir, llm="local"))
    assert llm is not None
    with pytest.raises(
        ModelMissingError, match=r"local model not installed.*lentera models install"
    ):
        llm.chat(QUESTION)
    with pytest.raises(ModelMissingError):
        llm.stream_chat(QUESTION)  # raised at the call, not at the first next()


def test_openai_needs_a_key(data_dir: Path) -> None:
    with pytest.raises(ConfigurationError, match="LENTERA_LLM=openai needs OPENAI_API_KEY"):
        build_llm(Settings(data_dir=data_dir, llm="openai"))


def test_openai_takes_the_standard_key_and_defaults_to_gpt_4o_mini(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    llm = build_llm(Settings(data_dir=data_dir, llm="openai", llm_timeout=7, llm_max_retries=2))
    assert llm is not None
    assert llm_name(llm) == "openai:gpt-4o-mini"
    assert (llm.timeout, llm.max_retries, llm.temperature) == (7.0, 2, 0.0)  # type: ignore[attr-defined]


def test_openai_rejects_unknown_model_names_at_build_time(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, llm="openai", llm_api_key="k", llm_model="qwen2.5")
    with pytest.raises(ConfigurationError, match="openai-compatible"):
        build_llm(settings)


def test_openai_compatible_needs_a_base_url_and_a_model(data_dir: Path) -> None:
    with pytest.raises(ConfigurationError, match="LENTERA_LLM_BASE_URL"):
        build_llm(Settings(data_dir=data_dir, llm="openai-compatible", llm_model="m"))
    with pytest.raises(ConfigurationError, match="LENTERA_LLM_MODEL"):
        build_llm(_compatible(data_dir, "http://127.0.0.1:1/v1", llm_model=None))


def test_openai_compatible_honours_openai_base_url(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    llm = build_llm(Settings(data_dir=data_dir, llm="openai-compatible", llm_model="qwen2.5"))
    assert llm is not None
    assert llm_name(llm) == "openai-compatible:qwen2.5@http://127.0.0.1:9/v1"
    assert llm.metadata.is_chat_model


# --- remote backends against a real HTTP server --------------------------------------------


def test_openai_compatible_chat(data_dir: Path, openai_server: OpenAICompatibleServer) -> None:
    openai_server.queue_reply("Indonesia's police and ECPAT signed it [1].")
    llm = build_llm(_compatible(data_dir, openai_server.base_url, llm_max_tokens=99))
    assert llm is not None

    response = llm.chat(QUESTION)

    assert response.message.content == "Indonesia's police and ECPAT signed it [1]."
    (request,) = openai_server.requests
    assert request["path"] == "/v1/chat/completions"  # chat endpoint, not /v1/completions
    body = request["body"]
    assert body["model"] == "qwen2.5"
    assert (body["temperature"], body["max_tokens"]) == (0.0, 99)
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert request["headers"]["Authorization"] == "Bearer not-needed"


def test_openai_compatible_stream(data_dir: Path, openai_server: OpenAICompatibleServer) -> None:
    reply = "The MoU was signed by ECPAT Indonesia and the national police [2]."
    openai_server.queue_reply(reply)
    llm = build_llm(_compatible(data_dir, openai_server.base_url))
    assert llm is not None

    chunks = list(llm.stream_chat(QUESTION))

    deltas = [c.delta for c in chunks if c.delta]
    assert len(deltas) > 5
    assert "".join(deltas) == reply
    assert chunks[-1].message.content == reply
    assert openai_server.chat_requests()[0]["stream"] is True


@pytest.mark.parametrize(
    ("status", "said"), [(500, "The server had an error"), (401, "Incorrect API key provided")]
)
def test_http_errors_become_backend_unavailable(
    data_dir: Path, openai_server: OpenAICompatibleServer, status: int, said: str
) -> None:
    openai_server.fail_with(status)
    llm = build_llm(_compatible(data_dir, openai_server.base_url))
    assert llm is not None

    with pytest.raises(BackendUnavailableError) as error:
        llm.chat(QUESTION)

    message = str(error.value)
    assert message.startswith(f"openai-compatible backend at {openai_server.base_url}: ")
    assert message.endswith(f"HTTP {status}: {said}")
    with pytest.raises(BackendUnavailableError, match=f"HTTP {status}"):
        list(llm.stream_chat(QUESTION))


def test_server_down_fails_quickly(data_dir: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm = build_llm(_compatible(data_dir, url))
    assert llm is not None

    start = time.perf_counter()
    with pytest.raises(BackendUnavailableError, match=f"{url}: connection refused"):
        llm.chat(QUESTION)
    with pytest.raises(BackendUnavailableError, match="connection refused"):
        list(llm.stream_chat(QUESTION))
    assert time.perf_counter() - start < 3


def test_slow_server_times_out(data_dir: Path, openai_server: OpenAICompatibleServer) -> None:
    openai_server.delay = 5
    llm = build_llm(_compatible(data_dir, openai_server.base_url, llm_timeout=1))
    assert llm is not None

    start = time.perf_counter()
    with pytest.raises(BackendUnavailableError, match="timed out after 1 s"):
        llm.chat(QUESTION)
    assert time.perf_counter() - start < 4


def test_openai_backend_against_a_compatible_server(
    data_dir: Path, openai_server: OpenAICompatibleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    openai_server.queue_reply("First answer.", "Second answer, streamed.")
    llm = build_llm(Settings(data_dir=data_dir, llm="openai", llm_max_retries=0))
    assert llm is not None

    assert llm.chat(QUESTION).message.content == "First answer."
    streamed = "".join(c.delta or "" for c in llm.stream_chat(QUESTION))

    assert streamed == "Second answer, streamed."
    bodies = openai_server.chat_requests()
    assert [b["model"] for b in bodies] == ["gpt-4o-mini", "gpt-4o-mini"]
    assert openai_server.requests[0]["headers"]["Authorization"] == "Bearer sk-test-key"
    openai_server.fail_with(500)
    with pytest.raises(BackendUnavailableError, match=r"^openai backend at .*HTTP 500"):
        llm.chat(QUESTION)


def test_server_fixture_serves_models_and_embeddings(
    openai_server: OpenAICompatibleServer,
) -> None:
    client = openai.OpenAI(base_url=openai_server.base_url, api_key="x", max_retries=0)
    assert [m.id for m in client.models.list()] == ["gpt-4o-mini", "qwen2.5"]
    vectors = client.embeddings.create(model="e5", input=["a", "b", "a"]).data
    assert len(vectors[0].embedding) == 8
    assert vectors[0].embedding == vectors[2].embedding != vectors[1].embedding
