"""Run gold questions through an answer engine and a retriever; collect per-question results.

The result is plain JSON: per question the gold entry, the answer exactly as
``lentera ask --json`` prints it, the retrieved ranking and every metric; then aggregates
(overall, per language, per document), latency percentiles, the settings with their hash, the
corpus identity (file names + sha256) and the model identities, so two results can be told
apart and compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.protocols import QuestionAnswerer, Retriever
from core.settings import Settings
from core.types import Passage
from evals.gold import GoldQuestion
from evals.metrics import (
    Detector,
    Scores,
    aggregate,
    latency_summary,
    percentile,
    score_question,
)

RESULT_VERSION = 1
RETRIEVE_TOP_K = 5
PREVIEW_CHARS = 600


@dataclass
class QuestionResult:
    gold: GoldQuestion
    answer: dict[str, Any]  # Answer.to_dict(): the contract of `lentera ask --json`
    retrieved: list[dict[str, Any]]
    scores: Scores
    # how the answer came about (``rag.engine.Trace.to_dict``); empty for an engine that does
    # not trace
    path: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold.to_dict(),
            "answer": self.answer,
            "retrieved": self.retrieved,
            "scores": self.scores,
            "path": self.path,
        }


@dataclass
class EvalResult:
    timestamp: str
    config_hash: str
    settings: dict[str, Any]
    corpus: list[dict[str, str]]
    models: dict[str, str]
    questions: list[QuestionResult] = field(default_factory=list)
    aggregates: dict[str, Any] = field(default_factory=dict)
    latency: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, Any] = field(default_factory=dict)  # path_summary of the questions

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": RESULT_VERSION,
            "timestamp": self.timestamp,
            "config_hash": self.config_hash,
            "settings": self.settings,
            "corpus": self.corpus,
            "models": self.models,
            "aggregates": self.aggregates,
            "latency": self.latency,
            "paths": self.paths,
            "questions": [q.to_dict() for q in self.questions],
        }


Progress = Callable[[int, int, QuestionResult], None]


def corpus_identity(files: Sequence[Path]) -> list[dict[str, str]]:
    """File name and sha256 of each corpus file, sorted by name."""
    identity = []
    for path in sorted(files, key=lambda p: p.name):
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        identity.append({"file": path.name, "sha256": digest})
    return identity


def ranking(passages: Sequence[Passage]) -> list[dict[str, Any]]:
    return [
        {
            "rank": rank,
            "source": p.chunk.source,
            "section": p.chunk.section,
            "chunk_id": p.chunk.chunk_id,
            "score": round(float(p.score), 6),
            "text": p.chunk.text[:PREVIEW_CHARS],
        }
        for rank, p in enumerate(passages, start=1)
    ]


def evaluate_question(
    engine: QuestionAnswerer, retriever: Retriever, gold: GoldQuestion, detect: Detector
) -> QuestionResult:
    answer, path = _answered(engine, gold.q)
    retrieved = ranking(retriever.retrieve(gold.q, top_k=RETRIEVE_TOP_K))
    scores = score_question(gold, answer, [r["source"] for r in retrieved], detect)
    return QuestionResult(gold=gold, answer=answer, retrieved=retrieved, scores=scores, path=path)


def _answered(engine: QuestionAnswerer, question: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer and, from an engine that traces (``AnswerEngine``, ``FallbackEngine``), how
    it came about: model calls, the reason it refused before any call, the first token."""
    ask_traced = getattr(engine, "ask_traced", None)
    if ask_traced is None:
        return engine.ask(question).to_dict(), {}
    answer, trace = ask_traced(question)
    return answer.to_dict(), trace.to_dict()


def path_summary(paths: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Over the questions of a run: how many refused before any model call, how many calls
    the others took (the one-call share is of the questions that reached the model), and the
    model's first token."""
    traced = [p for p in paths if p]
    reached = [p for p in traced if p["refused_before_model"] is None]
    calls = [p["model_calls"] for p in reached if p["model_calls"]]  # none in extractive mode
    first = [p["first_token_ms"] for p in reached if p["first_token_ms"] is not None]
    return {
        "n": len(traced),
        "refused_before_model": len(traced) - len(reached),
        "model_calls": sum(calls),
        "one_model_call": (sum(1 for c in calls if c == 1) / len(calls)) if calls else None,
        "model_refused": sum(1 for p in reached if p["model_refused"]),
        "quoted": sum(1 for p in reached if p["quoted"]),
        "filled_in": sum(1 for p in reached if p["filled_in"]),
        "first_token_ms": {"p50": percentile(first, 50), "p95": percentile(first, 95)},
    }


def default_detector() -> Detector:
    from core.language import detect_language  # the engine's own detector, loaded when used

    return detect_language


def run_eval(
    engine: QuestionAnswerer,
    retriever: Retriever,
    gold: Sequence[GoldQuestion],
    settings: Settings,
    progress: Progress | None = None,
    corpus_files: Sequence[Path] = (),
    detect: Detector | None = None,
) -> EvalResult:
    """Ask every gold question, score it, and aggregate."""
    detector = detect or default_detector()
    results: list[QuestionResult] = []
    for done, question in enumerate(gold, start=1):
        result = evaluate_question(engine, retriever, question, detector)
        results.append(result)
        if progress is not None:
            progress(done, len(gold), result)
    return EvalResult(
        timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
        config_hash=settings.config_hash(),
        settings=settings.public_dict(),
        corpus=corpus_identity(corpus_files),
        models=model_identity(results, settings),
        questions=results,
        aggregates=aggregate([r.gold for r in results], [r.scores for r in results]),
        latency=latency_summary([r.answer.get("timings_ms", {}) for r in results]),
        paths=path_summary([r.path for r in results]),
    )


def model_identity(results: Sequence[QuestionResult], settings: Settings) -> dict[str, str]:
    """The models that answered, as the answers name them (settings when none answered)."""
    for result in results:
        backend = result.answer.get("backend") or {}
        if backend.get("llm") or backend.get("embedding"):
            return {
                "llm": str(backend.get("llm", "")),
                "embedding": str(backend.get("embedding", "")),
            }
    return {"llm": settings.llm, "embedding": settings.embedding}
