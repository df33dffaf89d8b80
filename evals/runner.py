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
from evals.metrics import Detector, Scores, aggregate, latency_summary, score_question

RESULT_VERSION = 1
RETRIEVE_TOP_K = 5
PREVIEW_CHARS = 600


@dataclass
class QuestionResult:
    gold: GoldQuestion
    answer: dict[str, Any]  # Answer.to_dict(): the contract of `lentera ask --json`
    retrieved: list[dict[str, Any]]
    scores: Scores

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold.to_dict(),
            "answer": self.answer,
            "retrieved": self.retrieved,
            "scores": self.scores,
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
    answer = engine.ask(gold.q).to_dict()
    retrieved = ranking(retriever.retrieve(gold.q, top_k=RETRIEVE_TOP_K))
    scores = score_question(gold, answer, [r["source"] for r in retrieved], detect)
    return QuestionResult(gold=gold, answer=answer, retrieved=retrieved, scores=scores)


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
