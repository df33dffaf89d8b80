"""Fakes for the eval tests: a scripted answer engine and retriever, a word-list detector."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.types import Answer, Chunk, Citation, Passage

_ID_WORDS = {"yang", "dan", "adalah", "tidak", "dengan", "dalam", "untuk", "ini", "ada", "di"}
_EN_WORDS = {"the", "and", "is", "of", "in", "to", "not", "with", "for", "was", "by"}


def word_language(text: str) -> str:
    """A tiny stand-in for core.language.detect_language: counts common function words."""
    words = re.findall(r"\w+", text.lower())
    en = sum(w in _EN_WORDS for w in words)
    idn = sum(w in _ID_WORDS for w in words)
    if en == idn:
        return "unknown"
    return "en" if en > idn else "id"


def passage(source: str, text: str, index: int = 0, score: float = 0.5) -> Passage:
    chunk = Chunk(
        doc_id=source[:8],
        source=source,
        title=source,
        section="ABSTRACT",
        language="en",
        start=0,
        end=len(text),
        text=text,
        index=index,
    )
    return Passage(chunk=chunk, score=score)


@dataclass
class Script:
    """What the fake engine says to one question and what the fake retriever ranks for it."""

    answer: str
    cites: Sequence[Passage] = ()
    refused: bool = False
    language: str = "en"
    retrieved: Sequence[Passage] = ()


@dataclass
class ScriptedEngine:
    """Answers questions from a script, like AnswerEngine.ask: returns a real core.types.Answer."""

    scripts: dict[str, Script]
    asked: list[str] = field(default_factory=list)

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        sources: Sequence[str] | None = None,
    ) -> Answer:
        self.asked.append(question)
        s = self.scripts[question]
        return Answer(
            question=question,
            answer=s.answer,
            language=s.language,
            refused=s.refused,
            citations=[Citation.from_passage(i, p) for i, p in enumerate(s.cites, start=1)],
            backend={"llm": "scripted", "embedding": "hashing-bow-256"},
            timings_ms={
                "retrieve": 12.0 + len(self.asked),
                "generate": 40.0,
                "total": 52.0 + len(self.asked),
            },
            passages=list(s.cites),
        )


@dataclass
class ScriptedRetriever:
    scripts: dict[str, Script]
    calls: list[tuple[str, int]] = field(default_factory=list)

    def retrieve(
        self,
        question: str,
        top_k: int,
        sources: Sequence[str] | None = None,
        language: str | None = None,
    ) -> list[Passage]:
        self.calls.append((question, top_k))
        return list(self.scripts[question].retrieved)[:top_k]
