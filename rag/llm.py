"""Answer-model backends behind llama-index's ``LLM`` interface.

``build_llm(settings)`` returns the backend the settings ask for, or None for the extractive
mode (no LLM). Callers use ``llm.chat(messages) -> ChatResponse`` and
``llm.stream_chat(messages)`` (``ChatResponse`` items with ``.delta``). Every LLM built here
already turns transport failures into ``BackendUnavailableError`` (one line: backend, URL, what
happened) and a missing local model into ``ModelMissingError``, so the engine can call
``chat`` / ``stream_chat`` directly. ``safe_chat`` / ``safe_stream_chat`` give the same promise
for any other LLM handed in (a test fake, a custom llama-index LLM).

Backends:
- ``local``: the bundled GGUF in process through xllamacpp (``LocalLLM``), loaded on first use.
- ``openai``: llama-index ``OpenAI``; needs a key; knows only OpenAI's model names.
- ``openai-compatible``: llama-index ``OpenAILike`` against any ``/v1/chat/completions`` server
  (vLLM, Ollama, llama.cpp server); no tokenizer name, so nothing goes to the hub.
"""

from __future__ import annotations

import functools
import os
import queue
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms import LLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from pydantic import Field, PrivateAttr

from rag.errors import BackendUnavailableError, ConfigurationError, LenteraError, ModelMissingError
from rag.models import LOCAL_MODEL, local_model_path
from rag.settings import Settings

if TYPE_CHECKING:
    from llama_index.llms.openai import OpenAI

T = TypeVar("T")

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"


# --- error translation --------------------------------------------------------------------


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
        return _one_line(f"HTTP {exc.status_code}: {body or exc.message}")
    if isinstance(exc, httpx.HTTPStatusError):
        return _one_line(f"HTTP {exc.response.status_code} {exc.response.reason_phrase}")
    if _caused_by(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, openai.APIConnectionError) and exc.__cause__ is not None:
        return _one_line(f"connection failed: {exc.__cause__}")
    return _one_line(f"{type(exc).__name__}: {exc}")


def _transport_errors() -> tuple[type[BaseException], ...]:
    import httpx
    import openai

    return (openai.OpenAIError, httpx.HTTPError, ConnectionError, TimeoutError)


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


def _guarded_stream(
    stream: Iterator[T], backend: str, where: str, timeout: float | None
) -> Generator[T, None, None]:
    # The HTTP request of a stream starts on the first next(), so guard the iteration too.
    with translate_errors(backend, where, timeout):
        yield from stream


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


# --- the local model in process (xllamacpp) ------------------------------------------------


def _message_dicts(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    return [{"role": m.role.value, "content": m.content or ""} for m in messages]


def _chunk_text(chunk: dict[str, Any]) -> str:
    choices = chunk.get("choices") or [{}]
    return str((choices[0].get("delta") or {}).get("content") or "")


class LocalLLM(CustomLLM):
    """The bundled GGUF, run in process by llama.cpp (xllamacpp); loaded on first use."""

    model_path: Path = Field(description="The GGUF file.")
    model_label: str = Field(LOCAL_MODEL.name, description="Name shown in answers.")
    context_window: int = Field(4096, description="Context window in tokens.")
    threads: int = Field(0, description="CPU threads; 0 = all cores.")
    max_tokens: int = Field(256, description="Longest answer, in tokens.")
    temperature: float = Field(0.0, description="0 = deterministic answers.")
    _server: Any = PrivateAttr(default=None)
    _load_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def class_name(cls) -> str:
        return "LenteraLocalLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=self.model_label,
        )

    @property
    def loaded(self) -> bool:
        return self._server is not None

    def load(self) -> Any:
        """Load the model now (a few seconds) instead of on the first question."""
        with self._load_lock:
            if self._server is None:
                self._server = self._start_server()
        return self._server

    def _start_server(self) -> Any:
        if not self.model_path.is_file():
            raise ModelMissingError(
                f"local model not installed ({self.model_path}): run `lentera models install`"
            )
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.n_ctx = self.context_window
        params.n_parallel = 1  # one slot gets the whole context; 2 cores gain nothing from more
        threads = self.threads or os.cpu_count() or 1
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.verbosity = 0  # llama.cpp logs every request to stderr otherwise
        try:
            return xllamacpp.Server(params)
        except Exception as exc:
            raise ModelMissingError(
                f"local model {self.model_path.name} could not be loaded: {_one_line(str(exc))}"
            ) from exc

    def _request(self, messages: Sequence[ChatMessage], stream: bool) -> dict[str, Any]:
        return {
            "messages": _message_dicts(messages),
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "stream": stream,
        }

    def _failure(self, error: Any) -> BackendUnavailableError:
        message = error.get("message", error) if isinstance(error, dict) else error
        return BackendUnavailableError(
            f"local backend ({self.model_path.name}): {_one_line(str(message))}"
        )

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        server = self.load()
        try:
            result = server.handle_chat_completions(self._request(messages, stream=False))
        except ValueError as exc:  # xllamacpp rejects malformed requests this way
            raise self._failure(str(exc)) from exc
        if "error" in result:
            raise self._failure(result["error"])
        text = result["choices"][0]["message"].get("content") or ""
        return ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, content=text), raw=result
        )

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        server = self.load()  # raise ModelMissingError now, not on the first next()
        return self._stream(server, self._request(messages, stream=True))

    def _stream(self, server: Any, request: dict[str, Any]) -> ChatResponseGen:
        # xllamacpp pushes chunks into a callback until the answer is done; a worker thread
        # turns that into a generator. Closing the generator early cancels the generation.
        chunks: queue.Queue[Any] = queue.Queue()
        cancel = threading.Event()
        done = object()

        def on_chunk(chunk: dict[str, Any]) -> bool:
            chunks.put(chunk)
            return cancel.is_set()

        def run() -> None:
            try:
                server.handle_chat_completions(request, on_chunk)
            except Exception as exc:  # handed to the consumer, raised there
                chunks.put(exc)
            finally:
                chunks.put(done)

        worker = threading.Thread(target=run, name="lentera-local-llm", daemon=True)
        worker.start()
        text = ""
        try:
            while (item := chunks.get()) is not done:
                if isinstance(item, Exception):
                    raise self._failure(str(item)) from item
                if "error" in item:
                    raise self._failure(item["error"])
                if delta := _chunk_text(item):
                    text += delta
                    message = ChatMessage(role=MessageRole.ASSISTANT, content=text)
                    yield ChatResponse(message=message, delta=delta, raw=item)
        finally:
            cancel.set()
            worker.join()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        response = self.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        return CompletionResponse(text=response.message.content or "", raw=response.raw)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        message = ChatMessage(role=MessageRole.USER, content=prompt)
        for response in self.stream_chat([message]):
            yield CompletionResponse(
                text=response.message.content or "", delta=response.delta, raw=response.raw
            )


def _build_local(settings: Settings) -> LLM:
    return LocalLLM(
        model_path=local_model_path(settings),
        context_window=settings.local_model.context,
        threads=settings.local_model.threads,
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


def llm_name(llm: LLM | None) -> str:
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
    model = getattr(llm, "model", None) or llm.metadata.model_name
    return f"{llm.class_name()}:{model}"


def _backend_of(llm: LLM) -> tuple[str, str, float | None]:
    label = str(getattr(llm, "backend_label", None) or llm.class_name())
    where = str(getattr(llm, "api_base", None) or getattr(llm, "model_path", None) or "-")
    timeout = getattr(llm, "timeout", None)
    return label, where, float(timeout) if isinstance(timeout, int | float) else None


def safe_chat(llm: LLM, messages: Sequence[ChatMessage]) -> ChatResponse:
    """``llm.chat`` for any LLM, with transport failures as BackendUnavailableError."""
    with translate_errors(*_backend_of(llm)):
        return llm.chat(messages)


def safe_stream_chat(llm: LLM, messages: Sequence[ChatMessage]) -> Iterator[ChatResponse]:
    """``llm.stream_chat`` for any LLM, with transport failures as BackendUnavailableError."""
    label, where, timeout = _backend_of(llm)
    with translate_errors(label, where, timeout):
        stream = llm.stream_chat(messages)
    return _guarded_stream(stream, label, where, timeout)
