"""Question -> Answer: language, follow-ups, retrieval, refusal, the LLM draft, checked citations.

The steps, each measured into ``Answer.timings_ms``:
1. detect the question's language (the answer must be in it, whatever the sources' language);
2. rewrite a follow-up into a standalone question (the LLM with ``condense_question``, or
   ``rag.followup.condense_deterministic``);
3. retrieve (hybrid) and refuse *before* any LLM call when the evidence is weak
   (``rag.evidence.weak_evidence``);
4. draft with the LLM from a few tight passages (or quote them: ``rag.extractive``);
5. refuse on the model's sentinel, check and attribute citations, refuse if nothing is
   supported.

``ask_traced`` also returns what happened on the way (``Trace``), for diagnosis.
"""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from core.language import LANGUAGE_NAMES, detect_language
from core.settings import Settings
from core.types import Answer, Passage
from rag.citations import (
    Attribution,
    attribute,
    content_terms,
    parse_markers,
    split_sentences,
    strip_markers,
)
from rag.evidence import COUNTRIES, coverage, weak_evidence
from rag.extractive import extractive_answer
from rag.followup import History, clean_rewrite, condense_deterministic, format_history

__all__ = [
    "COUNTRIES",
    "REFUSAL_MESSAGES",
    "REFUSAL_SENTINEL",
    "AnswerEngine",
    "AnswerEvent",
    "History",
    "Trace",
    "condense_deterministic",
    "detect",
    "format_history",
    "has_content",
    "is_refusal",
    "language_name",
    "refusal_message",
    "states_a_fact",
    "trim_passage",
    "weak_evidence",
    "without_sentinel",
]


class Retriever(Protocol):
    def retrieve(
        self,
        question: str,
        top_k: int | None = None,
        sources: Sequence[str] | None = None,
        language: str | None = None,
    ) -> list[Passage]: ...


@dataclass(frozen=True)
class AnswerEvent:
    """A streamed piece of an answer: ``token`` events, then one final ``answer`` event."""

    kind: Literal["token", "answer"]
    text: str = ""
    answer: Answer | None = None


@dataclass
class Trace:
    """What happened to one question: why it was refused, what the model replied."""

    standalone: str = ""
    weak_evidence: str | None = None
    replies: list[str] = field(default_factory=list)
    sentinel: bool = False
    attribution: Attribution | None = None


@dataclass
class _Draft:
    """What one question has gathered on its way through the steps."""

    question: str
    language: str
    standalone: str
    started: float
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    trace: Trace = field(default_factory=Trace)


class AnswerEngine:
    """Answers questions from a retriever with an LLM (or extractively when ``llm`` is None)."""

    def __init__(
        self, retriever: Retriever, llm: Any | None, embedder: Any, settings: Settings
    ) -> None:
        self.retriever = retriever
        self.llm = llm
        self.embedder = embedder
        self.settings = settings

    @property
    def backend(self) -> dict[str, str]:
        from rag.llm import llm_name

        return {"llm": llm_name(self.llm), "embedding": self.embedder.name}

    def ask(
        self, question: str, history: History = (), sources: Sequence[str] | None = None
    ) -> Answer:
        return self.ask_traced(question, history, sources)[0]

    def ask_traced(
        self, question: str, history: History = (), sources: Sequence[str] | None = None
    ) -> tuple[Answer, Trace]:
        """The answer and its ``Trace`` (refusal reason, raw replies, sentence attribution)."""
        trace = Trace()
        answer: Answer | None = None
        for event in self._run(question, history, sources, stream=False, trace=trace):
            if event.kind == "answer":
                answer = event.answer
        assert answer is not None  # _run always ends with an answer event
        return answer, trace

    def ask_stream(
        self, question: str, history: History = (), sources: Sequence[str] | None = None
    ) -> Iterator[AnswerEvent]:
        """Token events as the model writes, then the checked answer (which may differ)."""
        return self._run(question, history, sources, stream=True)

    # ------------------------------------------------------------------ steps

    def _run(
        self,
        question: str,
        history: History,
        sources: Sequence[str] | None,
        stream: bool,
        trace: Trace | None = None,
    ) -> Iterator[AnswerEvent]:
        draft = self._prepare(question, history, trace or Trace())
        started = time.perf_counter()
        draft.passages = self.retriever.retrieve(
            draft.standalone, top_k=self.settings.retrieval.top_k, sources=sources
        )
        draft.timings["retrieve"] = _ms(started)
        reason = weak_evidence(
            draft.standalone, draft.passages, self.settings.answer.min_dense_score
        )
        draft.trace.weak_evidence = reason
        if reason:
            yield self._final(draft, None)
            return
        started = time.perf_counter()
        result: Attribution | None
        if self.llm is None:
            result = extractive_answer(draft.standalone, draft.passages)
        else:
            result = yield from self._generate(draft, stream)
        draft.trace.attribution = result
        draft.timings["generate"] = _ms(started)
        yield self._final(draft, result)

    def _prepare(self, question: str, history: History, trace: Trace) -> _Draft:
        started = time.perf_counter()
        question = " ".join(question.split())
        language = detect(question)
        if language == "unknown":  # "CPAP?" alone: follow the conversation, else English
            language = detect(history[-1][0]) if history else "en"
            language = "en" if language == "unknown" else language
        standalone = self._condense(question, history) if history else question
        trace.standalone = standalone
        return _Draft(question, language, standalone, started, trace=trace)

    def _condense(self, question: str, history: History) -> str:
        fallback = condense_deterministic(question, history)
        if self.llm is None:
            return fallback
        from llama_index.core.llms import ChatMessage

        from prompts import load_prompt

        prompt = load_prompt("condense_question").format(
            history=format_history(history), question=question
        )
        reply = self.llm.chat([ChatMessage(role="user", content=prompt)]).message.content
        return clean_rewrite(str(reply or ""), fallback)

    def _generate(
        self, draft: _Draft, stream: bool
    ) -> Generator[AnswerEvent, None, Attribution | None]:
        """Draft with the LLM; returns the checked attribution (None = refused)."""
        text = yield from self._reply(draft, strict=False, stream=stream)
        if is_refusal(text):
            return None
        # One retry, with stronger instructions, for a reply in the wrong language or one
        # that is only passage numbers ("[2]": the small model's way of pointing, not answering).
        wrong_language = detect(text) not in ("unknown", draft.language)
        if not has_content(text) or (self.settings.answer.language_retry and wrong_language):
            pointed = parse_markers(text)
            text = yield from self._reply(draft, strict=True, stream=False)
            if is_refusal(text):
                return None
            if not has_content(text):
                return self._quote(draft, pointed + parse_markers(text))
        embedder = self.embedder if detect(text) != _passages_language(draft) else None
        result: Attribution = attribute(text, draft.passages, embedder)
        if result.supported and not states_a_fact(result, draft.standalone):
            # "The author of this study is [1].": the model found the passage but restated the
            # question; quote the passage it pointed at rather than cite an empty sentence.
            return self._quote(draft, parse_markers(text))
        return result

    def _reply(
        self, draft: _Draft, strict: bool, stream: bool
    ) -> Generator[AnswerEvent, None, str]:
        """One model reply, recorded in the trace, with a trailing sentinel taken off."""
        text = yield from self._complete(self._messages(draft, strict), stream)
        draft.trace.replies.append(text)
        answer = without_sentinel(text)
        draft.trace.sentinel = draft.trace.sentinel or is_refusal(answer)
        return answer

    def _quote(self, draft: _Draft, pointed: list[int]) -> Attribution:
        """Sentences quoted from the passages the model pointed at (all when it pointed at none)."""
        chosen = [draft.passages[n - 1] for n in pointed if 1 <= n <= len(draft.passages)]
        return extractive_answer(draft.standalone, list(dict.fromkeys(chosen)) or draft.passages)

    def _messages(self, draft: _Draft, strict_language: bool) -> list[Any]:
        from llama_index.core.llms import ChatMessage

        from prompts import load_prompt

        name = language_name(draft.language)
        system = load_prompt("answer_system").format(language_name=name, refusal=REFUSAL_SENTINEL)
        keep = self.settings.answer.passage_sentences
        numbered = "\n\n".join(
            f"[{i}] {trim_passage(p.chunk.text, draft.standalone, keep)}"
            for i, p in enumerate(draft.passages, start=1)
        )
        question = draft.question if draft.standalone == draft.question else draft.standalone
        user = load_prompt("answer_user").format(passages=numbered, question=question)
        if strict_language:
            user += (
                f"\nAnswer in {name} only, even though the passages may use another language."
                " Write the facts in full sentences, not only passage numbers."
            )
        return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]

    def _complete(self, messages: list[Any], stream: bool) -> Generator[AnswerEvent, None, str]:
        """The model's reply; when streaming, its pieces are yielded as token events."""
        assert self.llm is not None
        if not stream:
            reply = self.llm.chat(messages)
            return str(reply.message.content or "").strip()
        text, shown = "", 0
        for chunk in self.llm.stream_chat(messages):
            text += chunk.delta or ""
            # Hold back a reply that is (becoming) the refusal sentinel: it is never shown.
            if REFUSAL_SENTINEL.startswith(text.strip()) or is_refusal(text):
                continue
            if len(text) > shown:
                yield AnswerEvent(kind="token", text=text[shown:])
                shown = len(text)
        return text.strip()

    def _final(self, draft: _Draft, result: Attribution | None) -> AnswerEvent:
        draft.timings.setdefault("retrieve", 0.0)
        draft.timings.setdefault("generate", 0.0)
        draft.timings["total"] = _ms(draft.started)
        refused = result is None or result.supported == 0
        answer = Answer(
            question=draft.question,
            answer=refusal_message(draft.language) if refused else result.text,  # type: ignore[union-attr]
            language=draft.language,
            refused=refused,
            citations=[] if refused else list(result.citations),  # type: ignore[union-attr]
            backend=self.backend,
            timings_ms=dict(draft.timings),
            passages=list(draft.passages),
        )
        return AnswerEvent(kind="answer", answer=answer)


def _passages_language(draft: _Draft) -> str:
    languages = {p.chunk.language for p in draft.passages}
    return languages.pop() if len(languages) == 1 else "mixed"


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


# ---------------------------------------------------------------------- language, refusal

REFUSAL_SENTINEL = "NOT_IN_SOURCES"
REFUSAL_MESSAGES = {
    "en": "The library does not contain an answer to this question.",
    "id": "Perpustakaan tidak memuat jawaban untuk pertanyaan ini.",
}


def detect(text: str) -> str:
    """The language of ``text`` without its citation markers: ``en``, ``id`` or ``unknown``."""
    return detect_language(strip_markers(text))


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, "English")


def refusal_message(language: str) -> str:
    return REFUSAL_MESSAGES.get(language, REFUSAL_MESSAGES["en"])


def states_a_fact(result: Attribution, question: str) -> bool:
    """Whether a supported sentence says more than the question's own words."""
    asked = content_terms(question).all
    return any(s.cited and not content_terms(s.text).all <= asked for s in result.sentences)


def has_content(text: str) -> bool:
    """Whether the reply says anything besides citation markers and punctuation."""
    return any(ch.isalnum() for ch in strip_markers(_MARKER_WORDS.sub(" ", text)))


# "[1] and [3]", "[1], [2]": markers joined by a word are still only markers.
_MARKER_WORDS = re.compile(r"(?<=\])\s*(?:and|dan|or|atau)\s*(?=\[)", re.IGNORECASE)


def without_sentinel(text: str) -> str:
    """The reply without a sentinel that follows (or precedes) a real answer.

    The small model sometimes writes an answer and then the sentinel, or the sentinel and then
    an answer; the answer part still goes through the citation check, which refuses it when
    the passages do not support it. A reply that is only the sentinel stays as it is.
    """
    rest = _SENTINEL.sub(" ", text)
    return text if not has_content(rest) else " ".join(rest.split())


_SENTINEL = re.compile(r"\bNOT[_ ]?IN[_ ]?SOURCES\b[.!]?", re.IGNORECASE)


def is_refusal(text: str) -> bool:
    """The model's own 'not in the passages' (or nothing at all)."""
    squeezed = "".join(text.split()).upper().replace("_", "")
    return not squeezed.strip(".,!\"'`*") or REFUSAL_SENTINEL.replace("_", "") in squeezed


# ---------------------------------------------------------------------- prompt material


def trim_passage(text: str, question: str, keep: int) -> str:
    """The ``keep`` sentences of a passage most relevant to the question, in their order.

    The local model reads ~70 prompt tokens/s: three whole 220-token passages cost ~10 s
    before the first answer token; four sentences each keep the prompt near 450 tokens.
    """
    sentences = split_sentences(text)
    if keep <= 0 or len(sentences) <= keep:
        return " ".join(sentences)
    asked = content_terms(question)
    scored = sorted(
        range(len(sentences)),
        key=lambda i: (-coverage(asked, content_terms(sentences[i]).all), i),
    )
    chosen = sorted(scored[:keep])
    parts: list[str] = []
    for position, index in enumerate(chosen):
        if position and index != chosen[position - 1] + 1:
            parts.append("…")
        parts.append(sentences[index])
    return " ".join(parts)
