"""Question -> Answer: language, follow-ups, retrieval, refusal, the LLM draft, checked citations.

The steps, each measured into ``Answer.timings_ms``:
1. detect the question's language (the answer must be in it, whatever the sources' language);
2. rewrite a follow-up into a standalone question (the LLM with ``condense_question``, or a
   deterministic fallback that carries the previous question's key terms);
3. retrieve (hybrid) and refuse *before* any LLM call when the evidence is weak (see
   ``rag.evidence``-style checks in ``weak_evidence``);
4. draft with the LLM from a few tight passages (or quote them: ``rag.extractive``);
5. refuse on the model's sentinel, check and attribute citations, refuse if nothing is
   supported.
"""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from rag.citations import (
    Attribution,
    Terms,
    attribute,
    content_terms,
    split_sentences,
    strip_markers,
    word_set,
)
from rag.embedding import embedding_name
from rag.extractive import extractive_answer
from rag.settings import Settings
from rag.types import Answer, Passage


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


History = Sequence[tuple[str, str]]


@dataclass
class _Draft:
    """What one question has gathered on its way through the steps."""

    question: str
    language: str
    standalone: str
    started: float
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


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

        return {"llm": llm_name(self.llm), "embedding": embedding_name(self.embedder)}

    def ask(
        self, question: str, history: History = (), sources: Sequence[str] | None = None
    ) -> Answer:
        answer: Answer | None = None
        for event in self._run(question, history, sources, stream=False):
            if event.kind == "answer":
                answer = event.answer
        assert answer is not None  # _run always ends with an answer event
        return answer

    def ask_stream(
        self, question: str, history: History = (), sources: Sequence[str] | None = None
    ) -> Iterator[AnswerEvent]:
        """Token events as the model writes, then the checked answer (which may differ)."""
        return self._run(question, history, sources, stream=True)

    # ------------------------------------------------------------------ steps

    def _run(
        self, question: str, history: History, sources: Sequence[str] | None, stream: bool
    ) -> Iterator[AnswerEvent]:
        draft = self._prepare(question, history)
        started = time.perf_counter()
        draft.passages = self.retriever.retrieve(
            draft.standalone, top_k=self.settings.retrieval.top_k, sources=sources
        )
        draft.timings["retrieve"] = _ms(started)
        if weak_evidence(draft.standalone, draft.passages, self.settings.answer.min_dense_score):
            yield self._final(draft, None)
            return
        started = time.perf_counter()
        result: Attribution | None
        if self.llm is None:
            result = extractive_answer(draft.standalone, draft.passages)
        else:
            result = yield from self._generate(draft, stream)
        draft.timings["generate"] = _ms(started)
        yield self._final(draft, result)

    def _prepare(self, question: str, history: History) -> _Draft:
        started = time.perf_counter()
        question = " ".join(question.split())
        language = detect(question)
        if language == "unknown":  # "CPAP?" alone: follow the conversation, else English
            language = detect(history[-1][0]) if history else "en"
            language = "en" if language == "unknown" else language
        standalone = self._condense(question, history) if history else question
        return _Draft(question, language, standalone, started)

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
        rewritten = " ".join(str(reply or "").split()).strip("\"'` ")
        rewritten = (
            rewritten.split(":", 1)[1].strip()
            if rewritten.lower().startswith(("standalone", "question", "pertanyaan"))
            and ":" in rewritten
            else rewritten
        )
        # A small model sometimes answers instead of rewriting: keep only a plausible question.
        if not rewritten or len(rewritten) > 3 * len(fallback) + 80:
            return fallback
        return rewritten

    def _generate(
        self, draft: _Draft, stream: bool
    ) -> Generator[AnswerEvent, None, Attribution | None]:
        """Draft with the LLM; returns the checked attribution (None = refused)."""
        messages = self._messages(draft, strict_language=False)
        text = yield from self._complete(messages, stream)
        if is_refusal(text):
            return None
        replied = detect(text)
        if self.settings.answer.language_retry and replied not in ("unknown", draft.language):
            text = yield from self._complete(self._messages(draft, True), False)
            if is_refusal(text):
                return None
        embedder = self.embedder if detect(text) != _passages_language(draft) else None
        result: Attribution = attribute(text, draft.passages, embedder)
        return result

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
            user += f"\nAnswer in {name} only, even though the passages may use another language."
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
_LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}


def detect(text: str) -> str:
    """The language of ``text``: ``en``, ``id`` or ``unknown`` (rag.language decides)."""
    try:
        from rag.language import detect_language
    except ImportError:  # pragma: no cover - only while rag/language.py is missing
        return _stopword_language(strip_markers(text))
    return str(detect_language(strip_markers(text)))


_EN_MARKERS = word_set("the of and is are was were what which who how why did does in to")
_ID_MARKERS = word_set("yang dan di ini itu dengan untuk dari apa siapa bagaimana tidak")


def _stopword_language(text: str) -> str:
    words = [w.lower() for w in text.split()]
    en = sum(w in _EN_MARKERS for w in words)
    indonesian = sum(w in _ID_MARKERS for w in words)
    if en == indonesian:
        return "unknown"
    return "en" if en > indonesian else "id"


def language_name(code: str) -> str:
    try:
        from rag.language import LANGUAGE_NAMES
    except ImportError:  # pragma: no cover - only while rag/language.py is missing
        return _LANGUAGE_NAMES.get(code, "English")
    return str(LANGUAGE_NAMES.get(code) or _LANGUAGE_NAMES.get(code, "English"))


def refusal_message(language: str) -> str:
    return REFUSAL_MESSAGES.get(language, REFUSAL_MESSAGES["en"])


def is_refusal(text: str) -> bool:
    """The model's own 'not in the passages' (or nothing at all)."""
    squeezed = "".join(text.split()).upper().replace("_", "")
    return not squeezed.strip(".,!\"'`*") or REFUSAL_SENTINEL.replace("_", "") in squeezed


def weak_evidence(question: str, passages: Sequence[Passage], min_dense: float) -> str | None:
    """Why the passages cannot answer ``question`` (so no LLM is asked), or None.

    The top e5 cosine alone separates badly (answerable 0.83-0.95, unanswerable 0.75-0.87 on
    the sample library), so it only removes the clearly unrelated; the question's content
    terms must also meet the passages, and every name or acronym it asks about must occur
    (a question about Cambodia is not answered from papers about Vietnam).

    Only countries and acronyms count as names here: they are written the same in English and
    Indonesian. Other capitalised words are often translated in the sources ("Southeast Asian
    Conference" is "Konferensi Asia Tenggara"), so their absence proves nothing.
    """
    if not passages:
        return "no passages"
    dense = [p.dense_score for p in passages if p.dense_score is not None]
    if dense and max(dense) < min_dense:
        return f"best similarity {max(dense):.3f} < {min_dense}"
    asked = content_terms(question)
    found: set[str] = set()
    for passage in passages:
        found |= content_terms(passage.chunk.text).all
    if _coverage(asked, found) < MIN_QUESTION_COVERAGE:
        return "the question's key terms are not in the passages"
    missing = [name for name in _places_and_acronyms(question) if not _name_found(name, found)]
    return f"not in the passages: {', '.join(missing)}" if missing else None


# Share of the question's weighted content terms that must occur in the retrieved passages.
MIN_QUESTION_COVERAGE = 0.34


def _coverage(asked: Terms, found: set[str]) -> float:
    if not asked.all:
        return 1.0  # nothing to check ("Why?"): let the other checks decide
    total = sum(2.0 if t in asked.strong else 1.0 for t in asked.all)
    hit = sum(2.0 if t in asked.strong else 1.0 for t in asked.all if t in found)
    return hit / total


# Countries in English and Indonesian spelling: general vocabulary for policy documents, so
# that a question about another country than the passages' is recognised.
COUNTRIES = word_set(
    """afghanistan algeria argentina australia austria bangladesh belgia belgium bhutan brazil
    brasil brunei burma cambodia cambodian kamboja canada kanada chile china cina tiongkok
    colombia kolombia egypt mesir ethiopia etiopia france prancis perancis germany jerman
    ghana greece yunani india indonesia iran iraq irak ireland irlandia israel italy italia
    japan jepang jordan yordania kenya korea laos lebanon libanon malaysia maldives mexico
    meksiko mongolia morocco maroko myanmar nepal netherlands belanda nigeria norway norwegia
    pakistan philippines filipina filipino poland polandia portugal qatar russia rusia saudi
    singapore singapura spain spanyol sweden swedia switzerland swiss taiwan thailand thai
    timor turkey turki uganda ukraine ukraina vietnam viet yemen yaman america amerika usa
    england inggris britain"""
)


def _places_and_acronyms(question: str) -> list[str]:
    """The question's countries and acronyms (CPAP, KPAI, FIFA), as content terms."""
    names: list[str] = []
    for word in re.findall(r"[A-Za-z]+", question):
        if word.lower() in COUNTRIES or (len(word) >= 3 and word.isupper()):
            names.extend(t for t in content_terms(word).all if t not in names)
    return names


def _name_found(name: str, found: set[str]) -> bool:
    # Prefix match: "Indonesian" / "Vietnamese" name the country the passages call
    # "Indonesia" / "Vietnam".
    stem = name[: max(4, min(len(name), 6))]
    return name in found or any(term.startswith(stem) for term in found)


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
        key=lambda i: (-_coverage(asked, set(content_terms(sentences[i]).all)), i),
    )
    chosen = sorted(scored[:keep])
    parts: list[str] = []
    for position, index in enumerate(chosen):
        if position and index != chosen[position - 1] + 1:
            parts.append("…")
        parts.append(sentences[index])
    return " ".join(parts)


def format_history(history: History, turns: int = 3) -> str:
    lines: list[str] = []
    for user, assistant in list(history)[-turns:]:
        reply = strip_markers(assistant)
        lines += [f"User: {user}", f"Assistant: {reply[:300]}"]
    return "\n".join(lines)


_ELLIPTICAL_STARTS = (
    "and ",
    "what about",
    "how about",
    "what of",
    "same for",
    "also ",
    "in ",
    "dan ",
    "lalu",
    "terus",
    "kalau",
    "bagaimana dengan",
    "bagaimana kalau",
    "di ",
    "untuk ",
)


def condense_deterministic(question: str, history: History) -> str:
    """A follow-up made standalone without a model: carry the previous question's key terms.

    Only elliptical follow-ups ("and in Vietnam?", "bagaimana dengan Vietnam?", "why?") are
    extended; a follow-up with its own subject stands alone. Names in the follow-up replace
    the previous question's names ("Vietnam" replaces "Indonesia"; acronyms such as UNICEF
    are kept, they name the actor rather than the place).
    """
    asked = content_terms(question)
    lowered = question.lower().lstrip()
    if len(asked.all) > 3 and not lowered.startswith(_ELLIPTICAL_STARTS):
        return question
    previous = _previous_question(history)
    if not previous:
        return question
    replaces_names = any(not t.isdigit() for t in asked.strong)
    carried: list[str] = []
    for word in previous.replace("?", " ").split():
        word = word.strip(".,;:!()\"'")
        terms = content_terms(word)
        if not terms.all or terms.all <= asked.all or word in carried:
            continue
        is_place = word[:1].isupper() and not word.isupper()
        if (is_place and replaces_names) or (word.isdigit() and asked.numbers):
            continue
        carried.append(word)
    return f"{question} {' '.join(carried)}".strip()


def _previous_question(history: History) -> str:
    """The last question that stood on its own, with any elliptical ones after it."""
    questions: list[str] = []
    for user, _ in reversed(list(history)):
        questions.insert(0, user)
        if len(content_terms(user).all) > 3:
            break
    return " ".join(questions)


def build_engine(settings: Settings) -> tuple[AnswerEngine, Any]:
    """The default engine and its library (see ``rag.assemble``, which does the wiring)."""
    from rag.assemble import build_engine as assemble

    return assemble(settings)
