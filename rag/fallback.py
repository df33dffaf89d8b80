"""When the answer model is down, answer from the evidence anyway, and say so.

``FallbackEngine`` wraps an ``AnswerEngine``: a question whose model call fails with
``BackendUnavailableError`` (refused, timed out, HTTP 5xx/4xx, garbage, a stream cut off) is
answered again without the model, by quoting the evidence (``rag.extractive``), and the answer
names why in ``backend["fallback"]``. The CLI and the page both use it, so they behave alike.
How long a user waits for the fallback is bounded by the settings: ``llm_timeout`` seconds
per attempt, ``1 + llm_max_retries`` attempts. After a failure the model is left alone for
``llm_retry_after`` seconds (every question meanwhile answered from the evidence at once), so
that a team does not each wait for a dead server. A missing local model is a set-up problem,
not an outage: ``ModelMissingError`` is raised for the front end to show.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from core.errors import BackendUnavailableError
from core.types import Answer
from rag.engine import AnswerEngine, AnswerEvent, History, Trace

log = logging.getLogger(__name__)


class FallbackEngine:
    """An ``AnswerEngine`` that falls back to the extractive answer when its model fails."""

    def __init__(self, engine: AnswerEngine, clock: Any = time.monotonic) -> None:
        self.engine = engine
        self.extractive = AnswerEngine(
            engine.retriever, None, engine.embedder, engine.settings, chunks=engine.chunks
        )
        self.last_failure: str | None = None
        self._clock = clock
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def _resting(self) -> bool:
        """Whether the model failed less than ``llm_retry_after`` seconds ago."""
        with self._lock:
            if self._failed_at is None or self.engine.llm is None:
                return False
            if self._clock() - self._failed_at >= self.engine.settings.llm_retry_after:
                self._failed_at = None
                return False
            return True

    def __getattr__(self, name: str) -> Any:
        # retriever, llm, settings, backend, warm_up...: the wrapped engine's.
        return getattr(self.engine, name)

    def ask(
        self, question: str, history: History = (), sources: Sequence[str] | None = None
    ) -> Answer:
        return self.ask_traced(question, history, sources)[0]

    def ask_traced(
        self, question: str, history: History = (), sources: Sequence[str] | None = None
    ) -> tuple[Answer, Trace]:
        if self._resting():
            answer, trace = self.extractive.ask_traced(question, history, sources)
            return self._marked(answer, None), trace
        try:
            return self.engine.ask_traced(question, history, sources)
        except BackendUnavailableError as exc:
            answer, trace = self.extractive.ask_traced(question, history, sources)
            return self._marked(answer, exc), trace

    def ask_stream(
        self,
        question: str,
        history: History = (),
        sources: Sequence[str] | None = None,
        trace: Trace | None = None,
    ) -> Iterator[AnswerEvent]:
        failure: BackendUnavailableError | None = None
        if not self._resting():
            try:
                yield from self.engine.ask_stream(question, history, sources, trace)
                return
            except BackendUnavailableError as exc:
                failure = exc
        for event in self.extractive.ask_stream(question, history, sources, trace):
            if event.kind == "answer" and event.answer is not None:
                event = AnswerEvent(kind="answer", answer=self._marked(event.answer, failure))
            yield event

    def _marked(self, answer: Answer, exc: BackendUnavailableError | None) -> Answer:
        """The extractive answer, naming the failure (a new one, or the one still resting)."""
        if exc is not None:
            with self._lock:
                self._failed_at = self._clock()
                self.last_failure = str(exc)
            log.warning("the answer model failed; answering from the evidence: %s", exc)
        answer.backend = {**answer.backend, "fallback": self.last_failure or "model unavailable"}
        return answer
