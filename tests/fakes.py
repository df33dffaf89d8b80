"""Fakes with real behaviour, for fast unit tests (the real parts are tested elsewhere)."""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
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
from pydantic import PrivateAttr

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedding(BaseEmbedding):
    """Bag-of-words vectors hashed into a fixed number of dimensions, L2-normalised.

    Texts that share words are close, texts that share none are orthogonal (up to hash
    collisions), so rankings in tests follow word overlap and can be asserted.
    """

    dimensions: int = 256

    def __init__(self, dimensions: int = 256, **kwargs: Any) -> None:
        super().__init__(model_name="hashing-bow", dimensions=dimensions, **kwargs)

    @property
    def name(self) -> str:
        return f"hashing-bow-{self.dimensions}"

    @property
    def dim(self) -> int:
        return self.dimensions

    def token_count(self, text: str) -> int:
        return len(_WORD.findall(text)) + 2

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dimensions
        for word in _WORD.findall(text.lower()):
            digest = hashlib.md5(word.encode()).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dimensions] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)


class ScriptedLLM(CustomLLM):
    """A chat model that answers with queued replies, in order, then ``default_reply``.

    A queued ``Exception`` is raised instead of answering (in ``stream_chat`` on the first
    ``next()``, like a remote stream). Every call's messages are kept in ``calls``; streams
    yield word by word, so joined deltas equal the reply.
    """

    default_reply: str = "OK"
    model_label: str = "scripted"
    delay: float = 0.0  # seconds before each streamed piece, to make streaming observable
    _replies: deque[str | Exception] = PrivateAttr(default_factory=deque)
    _calls: list[list[ChatMessage]] = PrivateAttr(default_factory=list)

    def __init__(self, replies: Iterable[str | Exception] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._replies.extend(replies)

    @classmethod
    def class_name(cls) -> str:
        return "ScriptedLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=4096, is_chat_model=True, model_name=self.model_label)

    @property
    def calls(self) -> list[list[ChatMessage]]:
        return self._calls

    def queue(self, *replies: str | Exception) -> None:
        self._replies.extend(replies)

    def _next(self, messages: Sequence[ChatMessage]) -> str:
        self._calls.append(list(messages))
        reply = self._replies.popleft() if self._replies else self.default_reply
        if isinstance(reply, Exception):
            raise reply
        return reply

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = self._next(messages)
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def gen() -> ChatResponseGen:
            text = self._next(messages)
            so_far = ""
            for delta in re.findall(r"\S+\s*|\s+", text):
                if self.delay:
                    time.sleep(self.delay)
                so_far += delta
                message = ChatMessage(role=MessageRole.ASSISTANT, content=so_far)
                yield ChatResponse(message=message, delta=delta)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        text = self._next([ChatMessage(role=MessageRole.USER, content=prompt)])
        return CompletionResponse(text=text)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        text = self.complete(prompt).text
        yield CompletionResponse(text=text, delta=text)
