"""Question -> Answer, evidence first: the model only phrases what code has already found.

The steps, each timed into ``Answer.timings_ms``:
1. the question's language (the answer must be in it, whatever the sources' language) and,
   in a conversation, the standalone question (``rag.followup``: the rule, else one short
   model call);
2. retrieve (hybrid) and choose the evidence: the few sentences of the passages and their
   neighbouring chunks that answer the question (``rag.evidence``); refuse before any model
   call when they cannot (``weak_evidence``);
3. draft: the model reads only the numbered evidence (``rag.prompting``), one call; or, with
   no model, the best evidence is quoted (``rag.extractive``);
4. check every drafted sentence against the evidence it cites (``rag.citations``): a sentence
   nothing supports is dropped, never shown. Streaming emits each sentence once it is checked.
   A reply that is the refusal word refuses; one that is only markers, or that has no
   supported sentence left, becomes the quoted evidence it pointed at.

``ask_traced`` also returns what happened on the way (``Trace``), for diagnosis and benchmarks.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from core.language import detect_language
from core.protocols import ChatModel, ChunkSource, Embedder, Retriever
from core.settings import Settings
from core.text.markers import only_markers, parse_markers, strip_markers
from core.text.sentences import split_sentences
from core.types import Answer, AnswerSentence, Passage
from rag.citations import Checked, Numbering, SupportCheck
from rag.evidence import (
    Evidence,
    candidates,
    choose,
    embed_cross_language,
    held_to_closeness,
    measure_closeness,
    weak_evidence,
    with_neighbours,
)
from rag.extractive import fill_in, quote
from rag.followup import (
    History,
    clean_rewrite,
    condense_deterministic,
    format_history,
    rule_rewrite,
    subject_of,
)
from rag.prompting import REFUSAL_SENTINEL, answer_messages, warm_up_messages
from rag.question import analyse

REFUSAL_MESSAGES = {
    "en": "The library does not contain an answer to this question.",
    "id": "Perpustakaan tidak memuat jawaban untuk pertanyaan ini.",
}


@dataclass(frozen=True)
class AnswerEvent:
    """A streamed piece of an answer: ``token`` events (checked sentences), then one final
    ``answer`` event."""

    kind: Literal["token", "answer"]
    text: str = ""
    answer: Answer | None = None


@dataclass
class Trace:
    """What happened to one question: evidence, refusal reason, model replies, timings."""

    standalone: str = ""
    evidence: Evidence | None = None
    weak_evidence: str | None = None
    replies: list[str] = field(default_factory=list)
    sentinel: bool = False
    checked: list[Checked] = field(default_factory=list)
    quoted: bool = False  # the answer quotes the evidence instead of the model's words
    filled_in: int = 0  # evidence sentences quoted for a kind of fact the model left out
    model_calls: int = 0
    first_token_ms: float | None = None  # the model's first piece of text
    first_sentence_ms: float | None = None  # the first checked sentence shown
    usage: dict[str, Any] = field(default_factory=dict)  # the model server's token counts

    def to_dict(self) -> dict[str, Any]:
        """How the answer came about, as plain data (eval results keep it per question)."""
        return {
            "model_calls": self.model_calls,
            "refused_before_model": self.weak_evidence,
            "model_refused": self.sentinel,
            "quoted": self.quoted,
            "filled_in": self.filled_in,
            "first_token_ms": self.first_token_ms,
            "first_sentence_ms": self.first_sentence_ms,
        }


@dataclass
class _Run:
    question: str
    language: str
    standalone: str
    started: float
    trace: Trace
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def elapsed(self) -> float:
        return (time.perf_counter() - self.started) * 1000.0


class AnswerEngine:
    """Answers questions from a retriever with a chat model (or extractively when it is None)."""

    def __init__(
        self,
        retriever: Retriever,
        llm: ChatModel | None,
        embedder: Embedder,
        settings: Settings,
        chunks: ChunkSource | None = None,
    ) -> None:
        self.retriever = retriever
        self.llm = llm
        self.embedder = embedder
        self.settings = settings
        self.chunks = chunks  # where neighbouring chunks are read (None: passages only)

    def warm_up(self) -> None:
        """Load the local model and have it read the fixed system prompt once, so that the
        first question pays neither the load (~5 s) nor the system prompt (~3 s): llama.cpp
        keeps the prompt's cache. Remote and extractive backends need nothing."""
        from rag.local_llm import LocalLLM

        if isinstance(self.llm, LocalLLM):
            self.llm.load()
            self.llm.chat(warm_up_messages(), max_tokens=1)

    def warm_up_in_background(self) -> threading.Thread:
        """``warm_up`` while the front end starts; a failure shows at the first question."""
        thread = threading.Thread(
            target=_quietly(self.warm_up), name="lentera-warm-up", daemon=True
        )
        thread.start()
        return thread

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
        trace = Trace()
        answer: Answer | None = None
        for event in self._run(question, history, sources, trace):
            if event.kind == "answer":
                answer = event.answer
        assert answer is not None  # _run always ends with an answer event
        return answer, trace

    def ask_stream(
        self,
        question: str,
        history: History = (),
        sources: Sequence[str] | None = None,
        trace: Trace | None = None,
    ) -> Iterator[AnswerEvent]:
        """Checked sentences as the model writes them, then the whole answer; ``trace``, when
        given, records what happened on the way."""
        return self._run(question, history, sources, trace or Trace())

    # ------------------------------------------------------------------ steps

    def _run(
        self, question: str, history: History, sources: Sequence[str] | None, trace: Trace
    ) -> Iterator[AnswerEvent]:
        run = self._prepare(question, history, trace)
        evidence = self._evidence(run, sources)
        trace.evidence = evidence
        reason = weak_evidence(
            evidence.question,
            run.passages,
            evidence,
            self.settings.answer.min_dense_score,
            self.settings.answer.min_dense_score_cross,
            self.settings.answer.min_sentence_similarity,
        )
        trace.weak_evidence = reason
        if reason:
            yield self._final(run, evidence, None)
            return
        started = time.perf_counter()
        if self.llm is None:
            kept: list[Checked] | None = quote(evidence)
            trace.quoted = True
        else:
            kept = yield from self._draft(run, evidence)
        run.timings["generate"] = (time.perf_counter() - started) * 1000.0
        yield self._final(run, evidence, kept)

    def _prepare(self, question: str, history: History, trace: Trace) -> _Run:
        started = time.perf_counter()
        question = " ".join(question.split())
        language = detect_language(strip_markers(question))
        if language == "unknown":  # "CPAP?" alone: follow the conversation, else English
            previous = detect_language(history[-1][0]) if history else "en"
            language = "en" if previous == "unknown" else previous
        standalone = self._standalone(question, history, trace)
        trace.standalone = standalone
        run = _Run(question, language, standalone, started, trace)
        run.timings["condense"] = run.elapsed()
        return run

    def _standalone(self, question: str, history: History, trace: Trace) -> str:
        decided = rule_rewrite(question, history)
        if decided is not None:
            return decided
        fallback = condense_deterministic(question, history)
        if self.llm is None:
            return fallback
        from llama_index.core.base.llms.types import ChatMessage, MessageRole

        from prompts import load_prompt

        prompt = load_prompt("condense_question").format(
            history=format_history(history), question=question
        )
        trace.model_calls += 1
        reply = self.llm.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        subject = subject_of(question, history)
        return clean_rewrite(str(reply.message.content or ""), fallback, subject)

    def _evidence(self, run: _Run, sources: Sequence[str] | None) -> Evidence:
        started = time.perf_counter()
        run.passages = self.retriever.retrieve(
            run.standalone, top_k=self.settings.retrieval.top_k, sources=sources
        )
        run.timings["retrieve"] = (time.perf_counter() - started) * 1000.0
        started = time.perf_counter()
        asked = analyse(run.standalone)
        scored = candidates(asked, with_neighbours(run.passages, self.chunks))
        foreign = any(s.language not in (run.language, "unknown") for s in scored)
        closeness = held_to_closeness(asked)
        if foreign or closeness:
            query = self.embedder.get_query_embedding(run.standalone)  # as retrieval did
        if foreign:
            scored = embed_cross_language(asked, scored, query, self.embedder, run.language)
        answer = self.settings.answer
        evidence = choose(asked, scored, answer.evidence_sentences, answer.evidence_chars)
        if closeness:
            evidence = measure_closeness(evidence, query, self.embedder)
        run.timings["evidence"] = (time.perf_counter() - started) * 1000.0
        return evidence

    def _draft(
        self, run: _Run, evidence: Evidence
    ) -> Generator[AnswerEvent, None, list[Checked] | None]:
        """The model's reply, checked sentence by sentence; None when it refuses."""
        assert self.llm is not None
        check = SupportCheck(evidence.question, evidence.items, self.embedder)
        numbering = Numbering(evidence.items)
        messages = answer_messages(
            evidence,
            run.question if run.standalone == run.question else run.standalone,
            run.language,
        )
        run.trace.model_calls += 1
        kept: list[Checked] = []
        text, done = "", 0
        for chunk in self.llm.stream_chat(messages):
            if run.trace.first_token_ms is None and chunk.delta:
                run.trace.first_token_ms = run.elapsed()
            text += chunk.delta or ""
            _record_usage(run.trace, chunk)
            sentences = split_sentences(text)
            # Every sentence but the last is complete: check it and show it if it holds.
            for sentence in sentences[done : max(done, len(sentences) - 1)]:
                yield from self._checked(run, check, numbering, sentence, kept)
            done = max(done, len(sentences) - 1)
        reply = text.strip()
        run.trace.replies.append(reply)
        if is_refusal(without_sentinel(reply)):
            run.trace.sentinel = True
            return None
        for sentence in split_sentences(without_sentinel(reply))[done:]:
            yield from self._checked(run, check, numbering, sentence, kept)
        if kept:
            for quoted in fill_in(evidence, kept):
                run.trace.filled_in += 1
                kept.append(quoted)
                yield AnswerEvent(kind="token", text=" " + numbering.sentence(quoted).marked())
            return kept
        # Only markers, or nothing the evidence supports: quote what it pointed at (or the best).
        run.trace.quoted = True
        pointed = [n for n in parse_markers(reply) if 1 <= n <= len(evidence.items)]
        if pointed and only_markers(without_sentinel(reply)):
            return [Checked(evidence.items[n - 1].text, (n - 1,)) for n in pointed[:2]]
        return quote(evidence)

    def _checked(
        self,
        run: _Run,
        check: SupportCheck,
        numbering: Numbering,
        sentence: str,
        kept: list[Checked],
    ) -> Iterator[AnswerEvent]:
        if _SENTINEL.search(sentence):
            return
        checked = check.check(sentence)
        if checked is None:
            return
        run.trace.checked.append(checked)
        if not checked.supported:
            return
        kept.append(checked)
        if run.trace.first_sentence_ms is None:
            run.trace.first_sentence_ms = run.elapsed()
        shown = numbering.sentence(checked).marked()
        yield AnswerEvent(kind="token", text=shown if len(kept) == 1 else " " + shown)

    def _final(self, run: _Run, evidence: Evidence, kept: list[Checked] | None) -> AnswerEvent:
        for stage in ("retrieve", "evidence", "generate"):
            run.timings.setdefault(stage, 0.0)
        run.timings["total"] = run.elapsed()
        numbering = Numbering(evidence.items)
        sentences: list[AnswerSentence] = [numbering.sentence(c) for c in kept or []]
        refused = not sentences
        answer = Answer(
            question=run.question,
            answer=refusal_message(run.language)
            if refused
            else " ".join(s.marked() for s in sentences),
            language=run.language,
            refused=refused,
            citations=[] if refused else numbering.citations,
            sentences=[] if refused else sentences,
            backend=self.backend,
            timings_ms=dict(run.timings),
            passages=list(run.passages),
        )
        return AnswerEvent(kind="answer", answer=answer)


def _quietly(action: Any) -> Any:
    def run() -> None:
        with contextlib.suppress(Exception):
            action()

    return run


def _record_usage(trace: Trace, chunk: Any) -> None:
    raw = getattr(chunk, "raw", None)
    if isinstance(raw, dict):
        for key in ("usage", "timings"):
            if raw.get(key):
                trace.usage[key] = raw[key]


# ---------------------------------------------------------------------- refusal


def refusal_message(language: str) -> str:
    return REFUSAL_MESSAGES.get(language, REFUSAL_MESSAGES["en"])


_SENTINEL = re.compile(r"\bNOT[_ ]?IN[_ ]?SOURCES\b[.!]?", re.IGNORECASE)


def without_sentinel(text: str) -> str:
    """The reply without a sentinel that follows (or precedes) a real answer; a reply that is
    only the sentinel stays as it is (the answer part still goes through the check)."""
    rest = _SENTINEL.sub(" ", text)
    return text if only_markers(rest) else " ".join(rest.split())


def is_refusal(text: str) -> bool:
    """The model's own 'not in the evidence' (or nothing at all)."""
    squeezed = "".join(text.split()).upper().replace("_", "")
    return not squeezed.strip(".,!\"'`*") or REFUSAL_SENTINEL.replace("_", "") in squeezed
