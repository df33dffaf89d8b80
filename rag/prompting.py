"""The answer model's messages: a fixed system prompt, then the numbered evidence and the question.

The system prompt is the same for every question and language, so llama.cpp's prompt cache
holds it and only the user message (~150-300 tokens) is read per question. What changes per
question (the answer language) comes last, next to where the model writes. The refusal word
(``REFUSAL_SENTINEL``) is named in the system prompt only: asked for again at the end of the
user message, the small model replied with it for 10 of 14 answerable sample questions.
Evidence is framed as quoted data between ``<<<`` and ``>>>``; those marks are taken out of
the quoted text so that a document cannot close the frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.language import LANGUAGE_NAMES
from prompts import load_prompt
from rag.evidence import Evidence

if TYPE_CHECKING:
    from llama_index.core.base.llms.types import ChatMessage

REFUSAL_SENTINEL = "NOT_IN_SOURCES"  # written out in prompts/answer_system.txt


def evidence_block(evidence: Evidence) -> str:
    """The numbered evidence, a ``Document:`` line before each document's sentences."""
    lines: list[str] = []
    current = None
    for n, item in enumerate(evidence.items, start=1):
        chunk = item.passage.chunk
        if chunk.doc_id != current:
            current = chunk.doc_id
            lines.append(f"Document: {_quoted(chunk.title or chunk.source)}")
        lines.append(f"[{n}] {_quoted(item.text)}")
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return " ".join(text.replace("<<<", "«").replace(">>>", "»").split())


def warm_up_messages() -> list[ChatMessage]:
    """The fixed system prompt and a stub question: what the model reads once at start."""
    from llama_index.core.base.llms.types import ChatMessage, MessageRole

    return [
        ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("answer_system").text),
        ChatMessage(role=MessageRole.USER, content="Evidence:\n<<<\n>>>\nQuestion: ?"),
    ]


def answer_messages(evidence: Evidence, question: str, language: str) -> list[ChatMessage]:
    from llama_index.core.base.llms.types import ChatMessage, MessageRole

    user = load_prompt("answer_user").format(
        evidence=evidence_block(evidence),
        question=question,
        language_name=LANGUAGE_NAMES.get(language, "English"),
    )
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("answer_system").text),
        ChatMessage(role=MessageRole.USER, content=user),
    ]
