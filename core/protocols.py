"""The collaborators the stages hand each other, as protocols: whatever has these methods fits.

- ``Embedder``: e5 (``ingest.embedding_models.E5Embedding``), an OpenAI-compatible endpoint,
  the deferred stand-in (``ingest.embedding.DeferredEmbedder``), the hashing fake in tests.
- ``ChatModel``: llama-index's chat interface (``chat`` / ``stream_chat``), as the local GGUF
  (``rag.local_llm.LocalLLM``), the guarded OpenAI classes (``rag.llm``) and the scripted fake
  offer it. Each backend raises ``BackendUnavailableError`` / ``ModelMissingError`` itself.
- ``ChunkSource``: what can be read back from the store of record (``ingest.library.Library``):
  the keyword index is rebuilt from it, answers read neighbouring chunks from it.
- ``Retriever``: question -> passages, best first (``rag.retrieval.HybridRetriever``).
- ``QuestionAnswerer``: question -> answer, whole or streamed (the engines in ``rag``).
- ``DocumentLibrary``: the documents the page lists and removes (``ingest.library.Library``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from llama_index.core.base.llms.types import ChatMessage, ChatResponse

    from core.types import Answer, Chunk, DocumentInfo, Passage

StoredChunk = tuple[str, str, dict[str, Any]]  # (chunk id, text, metadata) as Chroma holds it


class Embedder(Protocol):
    """Vectors for questions and passages (e5 wants the two kinds told apart)."""

    @property
    def name(self) -> str:
        """The model's identity, part of the index key."""
        ...

    def get_query_embedding(self, query: str) -> list[float]: ...

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]: ...

    def token_count(self, text: str) -> int:
        """Tokens the model reads for ``text`` as a passage (an estimate where it cannot say)."""
        ...


class ChatModel(Protocol):
    """An answer model, in llama-index's chat interface."""

    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse: ...

    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Iterator[ChatResponse]:
        """Responses whose ``delta`` is the next piece of the reply."""
        ...


class ChunkSource(Protocol):
    """The store of record, read back."""

    def count(self) -> int: ...

    def documents(self) -> list[DocumentInfo]: ...

    def chunks_of(self, doc_ids: Sequence[str]) -> list[StoredChunk]: ...

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]: ...


class Retriever(Protocol):
    """Passages for a question, best first; ``sources`` (file names) restricts the documents."""

    def retrieve(
        self,
        question: str,
        top_k: int | None = None,
        sources: Sequence[str] | None = None,
        language: str | None = None,
    ) -> list[Passage]: ...


class QuestionAnswerer(Protocol):
    """Questions -> answers (``rag.engine.AnswerEngine``, ``rag.fallback.FallbackEngine``):
    what the page, the CLI and the evals need of the answering side."""

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        sources: Sequence[str] | None = None,
    ) -> Answer: ...

    def ask_stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        sources: Sequence[str] | None = None,
    ) -> Iterator[Any]:
        """Events with ``kind`` "token" (``text``) and, last, "answer" (``answer``)."""
        ...


class DocumentLibrary(Protocol):
    """What the page's library tab reads and changes (``ingest.library.Library``)."""

    def documents(self) -> list[DocumentInfo]: ...

    def remove(self, source: str) -> bool: ...
