"""Fakes with real behaviour, for fast unit tests (the real parts are tested elsewhere)."""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding

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
