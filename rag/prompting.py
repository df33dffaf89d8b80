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

import functools
import re
from typing import TYPE_CHECKING

from core.language import LANGUAGE_NAMES
from prompts import load_prompt
from rag.evidence import Evidence

if TYPE_CHECKING:
    from llama_index.core.base.llms.types import ChatMessage

REFUSAL_SENTINEL = "NOT_IN_SOURCES"  # written out in prompts/answer_system.txt
# The labels of the prompt's own frame (prompts/answer_user.txt, the system prompt's example).
# A reply sentence that starts with one is the prompt read back, as a server that echoes its
# input does, not an answer; "Answer:" alone is the model's habit of labelling its reply.
FRAME_LABELS = ("Document:", "Question:", "Evidence:", "Example:", "Answer in ", "<<<", ">>>")
_REPLY_LABEL = re.compile(r"^\s*(?:Answer|Jawaban|Jawab)\s*:\s*", re.IGNORECASE)


def restates_prompt(sentence: str) -> bool:
    """Whether a reply sentence is the prompt's frame or one of its rules read back."""
    head = sentence.lstrip(" -*>\u2022")
    if head.startswith(FRAME_LABELS):
        return True
    return any(rule in sentence for rule in _system_rules())


def without_reply_label(sentence: str) -> str:
    """The sentence without a leading "Answer:" label."""
    return _REPLY_LABEL.sub("", sentence, count=1)


@functools.cache
def _system_rules() -> tuple[str, ...]:
    """The system prompt's rules, each as a phrase of 5+ words that no answer would contain."""
    rules = []
    for line in load_prompt("answer_system").text.splitlines():
        words = line.strip(" -").split()
        if len(words) >= 5 and not line.startswith(("[", "Document:", "Question:", "Answer")):
            rules.append(" ".join(words[:5]))
    return tuple(rules)


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
