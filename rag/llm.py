"""Answer-model backends behind llama-index's ``LLM`` interface.

``build_llm(settings)`` returns the backend the settings ask for, or None for the extractive
mode (no LLM). Callers use ``llm.chat(messages) -> ChatResponse`` and
``llm.stream_chat(messages)`` (``ChatResponse`` items with ``.delta``). Every LLM built here
already turns transport failures into ``BackendUnavailableError`` (one line: backend, URL, what
happened) and a missing local model into ``ModelMissingError``, so the engine can call
``chat`` / ``stream_chat`` directly: translating its own failures is each backend's job (a
custom model handed to the engine must do the same, as ``core.protocols.ChatModel`` says).

Backends:
- ``local``: the bundled GGUF in process through xllamacpp (``rag.local_llm.LocalLLM``),
  loaded on first use.
- ``openai``: llama-index ``OpenAI``; needs a key; knows only OpenAI's model names.
- ``openai-compatible``: llama-index ``OpenAILike`` against any ``/v1/chat/completions`` server
  (vLLM, Ollama, llama.cpp server); no tokenizer name, so nothing goes to the hub.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
)
from llama_index.core.llms import LLM

from core.errors import BackendUnavailableError, ConfigurationError, LenteraError
from core.protocols import ChatModel
from core.settings import Settings
from core.text.display import one_line
from rag.local_llm import LocalLLM
from rag.models import local_model_path

if TYPE_CHECKING:
    from llama_index.llms.openai import OpenAI

T = TypeVar("T")

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"


# --- error translation --------------------------------------------------------------------


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def describe_failure(exc: BaseException, timeout: float | None) -> str:
    """What went wrong with a remote call, in a few words: "timed out after 5 s", "HTTP 500 ..."."""
    import httpx
    import openai

    after = f" after {timeout:g} s" if timeout else ""
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return f"timed out{after}"
    if isinstance(exc, openai.APIStatusError):
        # The server's own words (the body's error message) beat openai's "Error code: ..." text.
        body = exc.body.get("message") if isinstance(exc.body, dict) else None
        return one_line(f"HTTP {exc.status_code}: {body or exc.message}")
    if isinstance(exc, httpx.HTTPStatusError):
        return one_line(f"HTTP {exc.response.status_code} {exc.response.reason_phrase}")
    if _caused_by(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, openai.APIConnectionError) and exc.__cause__ is not None:
        return one_line(f"connection failed: {exc.__cause__}")
    if isinstance(exc, json.JSONDecodeError):
        return "the server sent something that is not a valid reply (not JSON)"
    if isinstance(exc, httpx.RemoteProtocolError):
        return one_line(f"the reply was cut off ({exc})")
    return one_line(f"{type(exc).__name__}: {exc}")


def _transport_errors() -> tuple[type[BaseException], ...]:
    import httpx
    import openai

    # A garbage body from the server surfaces as a JSON error from inside the client.
    return (
        openai.OpenAIError,
        httpx.HTTPError,
        ConnectionError,
        TimeoutError,
        json.JSONDecodeError,
    )


@contextmanager
def translate_errors(backend: str, where: str, timeout: float | None) -> Iterator[None]:
    """Turn transport failures inside the block into one-line BackendUnavailableErrors."""
    try:
        yield
    except LenteraError:
        raise
    except _transport_errors() as exc:
        raise BackendUnavailableError(
            f"{backend} backend at {where}: {describe_failure(exc, timeout)}"
        ) from exc


def _finish_reason(response: object) -> str | None:
    choices = getattr(getattr(response, "raw", None), "choices", None) or []
    return getattr(choices[0], "finish_reason", None) if choices else None


def _guarded_stream(
    stream: Iterator[T], backend: str, where: str, timeout: float | None
) -> Generator[T, None, None]:
    """The stream, failing as a call does; and failing when it ends without an end.

    A connection that closes mid-reply ends the event stream quietly (the client sees EOF, not
    an error), and a body that is no event stream at all yields nothing: only the missing
    ``finish_reason`` that every OpenAI-compatible stream sends last tells them apart from a
    complete reply.
    """
    chunks, finished = 0, False
    # The HTTP request of a stream starts on the first next(), so guard the iteration too.
    with translate_errors(backend, where, timeout):
        for response in stream:
            chunks += 1
            finished = finished or _finish_reason(response) is not None
            yield response
    if not finished:
        what = (
            "the reply was cut off before its end"
            if chunks
            else "the server sent something that is not a valid reply (no event stream)"
        )
        raise BackendUnavailableError(f"{backend} backend at {where}: {what}")


# --- remote backends (OpenAI, OpenAI-compatible) -------------------------------------------


class _GuardedCalls:
    """Mixed in before llama-index's OpenAI classes: their calls raise Lentera errors."""

    backend_label: ClassVar[str] = "openai"

    def _where(self) -> str:
        return str(getattr(self, "api_base", None) or OPENAI_URL)

    def _timeout(self) -> float | None:
        timeout = getattr(self, "timeout", None)
        return float(timeout) if timeout else None

    def _guard(self) -> Any:
        return translate_errors(self.backend_label, self._where(), self._timeout())

    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        with self._guard():
            response: ChatResponse = super().chat(messages, **kwargs)  # type: ignore[misc]
        return response

    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        with self._guard():
            stream = super().stream_chat(messages, **kwargs)  # type: ignore[misc]
        return _guarded_stream(stream, self.backend_label, self._where(), self._timeout())

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        with self._guard():
            response: CompletionResponse = super().complete(  # type: ignore[misc]
                prompt, formatted=formatted, **kwargs
            )
        return response


@functools.cache
def _remote_classes() -> tuple[type[OpenAI], type[OpenAI]]:
    """The guarded OpenAI / OpenAILike classes, defined on first use (openai costs ~1 s)."""
    from llama_index.llms.openai import OpenAI
    from llama_index.llms.openai_like import OpenAILike

    class GuardedOpenAI(_GuardedCalls, OpenAI):
        backend_label: ClassVar[str] = "openai"

    class GuardedOpenAILike(_GuardedCalls, OpenAILike):
        backend_label: ClassVar[str] = "openai-compatible"

    for cls in (GuardedOpenAI, GuardedOpenAILike):
        cls.__qualname__ = cls.__name__  # reprs and tracebacks name them like module classes
    return GuardedOpenAI, GuardedOpenAILike


def _build_openai(settings: Settings) -> LLM:
    key = settings.resolved_llm_api_key()
    if not key:
        raise ConfigurationError(
            "LENTERA_LLM=openai needs OPENAI_API_KEY (or LENTERA_LLM_API_KEY); "
            "use LENTERA_LLM=local or extractive to run without a key"
        )
    model = settings.llm_model or DEFAULT_OPENAI_MODEL
    openai_class, _ = _remote_classes()
    llm = openai_class(
        model=model,
        api_key=key,
        api_base=settings.resolved_llm_base_url(),
        temperature=0.0,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
    )
    try:
        llm.metadata  # noqa: B018 -- the OpenAI class checks the model name here
    except ValueError as exc:
        raise ConfigurationError(
            f"LENTERA_LLM=openai does not know model {model!r}; for other servers' models "
            "use LENTERA_LLM=openai-compatible"
        ) from exc
    return llm


def _build_openai_compatible(settings: Settings) -> LLM:
    base_url = settings.resolved_llm_base_url()
    if not base_url:
        raise ConfigurationError(
            "LENTERA_LLM=openai-compatible needs LENTERA_LLM_BASE_URL (or OPENAI_BASE_URL), "
            "e.g. http://127.0.0.1:8080/v1"
        )
    if not settings.llm_model:
        raise ConfigurationError(
            "LENTERA_LLM=openai-compatible needs LENTERA_LLM_MODEL (the server's model name)"
        )
    _, like_class = _remote_classes()
    return like_class(
        model=settings.llm_model,
        api_base=base_url,
        api_key=settings.resolved_llm_api_key() or "not-needed",
        is_chat_model=True,
        context_window=settings.local_model.context,
        temperature=0.0,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
    )


def _build_local(settings: Settings) -> LLM:
    return LocalLLM(
        model_path=local_model_path(settings),
        context_window=settings.local_model.context,
        threads=settings.local_model.threads,
        batch_threads=settings.local_model.batch_threads,
        batch=settings.local_model.batch,
        flash_attention=settings.local_model.flash_attention,
        kv_cache=settings.local_model.kv_cache,
        max_tokens=settings.llm_max_tokens,
    )


# --- entry points --------------------------------------------------------------------------

_BUILDERS: dict[str, Callable[[Settings], LLM]] = {
    "local": _build_local,
    "openai": _build_openai,
    "openai-compatible": _build_openai_compatible,
}


def build_llm(settings: Settings) -> LLM | None:
    """The answer model the settings ask for; None means extractive answers (no LLM).

    Configuration problems raise ConfigurationError here, not at the first question. The local
    model is loaded lazily (on the first call, or by ``LocalLLM.load()``).
    """
    if settings.llm == "extractive":
        return None
    return _BUILDERS[settings.llm](settings)


def llm_name(llm: ChatModel | None) -> str:
    """The backend's name for ``Answer.backend["llm"]``, e.g. ``openai:gpt-4o-mini``."""
    if llm is None:
        return "extractive"
    if isinstance(llm, LocalLLM):
        return f"local:{llm.model_label}"
    label = getattr(llm, "backend_label", None)
    if label == "openai-compatible":
        return f"openai-compatible:{getattr(llm, 'model', '?')}@{getattr(llm, 'api_base', '')}"
    if label == "openai":
        return f"openai:{getattr(llm, 'model', '?')}"
    metadata = getattr(llm, "metadata", None)
    model = getattr(llm, "model", None) or getattr(metadata, "model_name", "?")
    return f"{type(llm).__name__}:{model}"
