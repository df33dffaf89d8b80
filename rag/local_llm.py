"""The bundled GGUF answer model, run in process by llama.cpp through ``xllamacpp``.

``LocalLLM`` is a llama-index ``CustomLLM``: ``chat`` returns a ``ChatResponse``,
``stream_chat`` yields ``ChatResponse`` items with ``.delta``. The model loads on first use (a
few seconds) or when ``load()`` is called. A missing or unreadable model file raises
``ModelMissingError``; a request the model rejects (e.g. a prompt longer than the context)
raises ``BackendUnavailableError``. Built by ``rag.llm.build_llm`` for ``LENTERA_LLM=local``.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from pydantic import Field, PrivateAttr

from core.errors import BackendUnavailableError, ModelMissingError
from core.text.display import one_line
from rag.models import LOCAL_MODEL

# llama.cpp's enum values by setting name, filled when xllamacpp is first imported.
_FLASH: dict[str, Any] = {}
_KV_TYPES: dict[str, Any] = {}
_CALL_OPTIONS = frozenset({"max_tokens", "temperature", "stop", "seed", "top_p"})


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
    threads: int = Field(0, description="CPU threads for generation; 0 = all cores.")
    batch_threads: int = Field(0, description="CPU threads for the prompt; 0 = all cores.")
    batch: int = Field(512, description="Prompt tokens per evaluation step.")
    flash_attention: str = Field("auto", description="auto, on or off.")
    kv_cache: str = Field("f16", description="f16 or q8_0.")
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

        _FLASH.update(
            {
                "auto": xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_AUTO,
                "on": xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_ENABLED,
                "off": xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_DISABLED,
            }
        )
        params = xllamacpp.CommonParams()
        kv = type(params.cache_type_k)
        _KV_TYPES.update({"f16": kv.GGML_TYPE_F16, "q8_0": kv.GGML_TYPE_Q8_0})
        params.model.path = str(self.model_path)
        params.n_ctx = self.context_window
        params.n_parallel = 1  # one slot gets the whole context; 2 cores gain nothing from more
        cores = os.cpu_count() or 1
        params.cpuparams.n_threads = self.threads or cores
        params.cpuparams_batch.n_threads = self.batch_threads or cores
        params.n_batch = params.n_ubatch = self.batch
        params.flash_attn_type = _FLASH[self.flash_attention]
        params.cache_type_k = params.cache_type_v = _KV_TYPES[self.kv_cache]
        params.verbosity = 0  # llama.cpp logs every request to stderr otherwise
        try:
            return xllamacpp.Server(params)
        except Exception as exc:
            raise ModelMissingError(
                f"local model {self.model_path.name} could not be loaded: {one_line(str(exc))}"
            ) from exc

    def _request(
        self, messages: Sequence[ChatMessage], stream: bool, overrides: dict[str, Any]
    ) -> dict[str, Any]:
        request = {
            "messages": _message_dicts(messages),
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "stream": stream,
        }
        # Per-call options llama-index callers pass as kwargs (e.g. a judge's max_tokens=5).
        request.update({k: v for k, v in overrides.items() if k in _CALL_OPTIONS})
        return request

    def _failure(self, error: Any) -> BackendUnavailableError:
        message = error.get("message", error) if isinstance(error, dict) else error
        return BackendUnavailableError(
            f"local backend ({self.model_path.name}): {one_line(str(message))}"
        )

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        server = self.load()
        try:
            result = server.handle_chat_completions(self._request(messages, False, kwargs))
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
        return self._stream(server, self._request(messages, True, kwargs))

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
                delta = _chunk_text(item)
                # The last chunk has no text but llama.cpp's timings (prompt and cached tokens).
                if delta or "timings" in item:
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
