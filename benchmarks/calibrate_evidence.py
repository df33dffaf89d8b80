"""Calibrate the evidence rules (``rag/evidence.py``) on the sample library, and only there.

Answers every gold question of the calibration library (``evals.libraries``: ``sample``) in
extractive mode for a grid of the evidence constants and prints, per setting, the share of
answerable questions whose quoted answer states every fact, the share of unanswerable ones
refused, and the share of answerable ones wrongly refused. Embeddings are memoised, so the
grid costs little more than one run. The constants in ``rag/evidence.py`` were chosen from
this table; the other libraries' figures are then measured once, with them frozen.

    python benchmarks/calibrate_evidence.py [--data-dir DIR]

Writes ``benchmarks/results/calibrate-evidence.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from common import write_result

GRID: dict[str, list[float]] = {
    "KIND_BONUS": [0.2, 0.3, 0.4],
    "SIMILARITY_WEIGHT": [0.6, 0.8, 1.0],
    "OWN_SHARE": [0.4, 0.6, 0.8],
    "EMBEDDED_CANDIDATES": [0, 4, 8],
    "ELSEWHERE_PENALTY": [0.0, 0.15, 0.3, 0.5],
}


class MemoEmbedder:
    """The real embedder, with every vector remembered (the grid asks for the same ones)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.name = model.name
        self._query = lru_cache(maxsize=None)(lambda q: tuple(model.get_query_embedding(q)))
        self._text = lru_cache(maxsize=None)(
            lambda t: tuple(model.get_text_embedding_batch([t])[0])
        )

    def get_query_embedding(self, query: str) -> list[float]:
        return list(self._query(query))

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return [list(self._text(t)) for t in texts]

    def token_count(self, text: str) -> int:
        return int(self.model.token_count(text))


def run(engine: Any, gold: list[Any]) -> dict[str, float]:
    from evals.gold import fact_matches

    facts_ok = answered_refused = unanswerable_refused = 0
    answerable = [g for g in gold if not g.unanswerable]
    for g in gold:
        answer = engine.ask(g.q)
        if g.unanswerable:
            unanswerable_refused += answer.refused
        elif answer.refused:
            answered_refused += 1
        else:
            facts_ok += all(fact_matches(f, answer.answer) for f in g.facts)
    n_un = len(gold) - len(answerable)
    return {
        "fact_accuracy": round(facts_ok / len(answerable), 3),
        "unanswerable_refused": round(unanswerable_refused / n_un, 3),
        "answerable_refused": round(answered_refused / len(answerable), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path(".lentera-bench/calibration"))
    parser.add_argument(
        "--vary",
        nargs="+",
        choices=sorted(GRID),
        default=sorted(GRID),
        help="Only these constants take the grid's values; the others keep their defaults.",
    )
    args = parser.parse_args()

    import rag.evidence as evidence
    from core.settings import Settings
    from evals.gold import load_gold
    from evals.libraries import eval_libraries
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from ingest.pipeline import ingest_paths
    from rag.engine import AnswerEngine
    from rag.retrieval import HybridRetriever

    library_spec = eval_libraries()["sample"]
    settings = Settings(data_dir=args.data_dir, llm="extractive")
    embedder = MemoEmbedder(build_embedder(settings))
    library = Library.open(settings, embedder)
    ingest_paths([library_spec.documents], library, prune=True)
    retriever = HybridRetriever(library, embedder, settings.retrieval)
    engine = AnswerEngine(retriever, None, embedder, settings, chunks=library)
    gold = load_gold(list(library_spec.gold))

    defaults = {name: getattr(evidence, name) for name in GRID}
    grid = {name: GRID[name] if name in args.vary else [defaults[name]] for name in GRID}
    rows = []
    started = time.perf_counter()
    for values in itertools.product(*grid.values()):
        setting = dict(zip(grid, values, strict=True))
        for name, value in setting.items():
            setattr(evidence, name, value)
        scores = run(engine, gold)
        rows.append({**setting, **scores})
        print(json.dumps(rows[-1]), flush=True)
    for name, value in defaults.items():
        setattr(evidence, name, value)
    write_result(
        "calibrate-evidence",
        {
            "library": "sample",
            "questions": len(gold),
            "defaults": defaults,
            "grid": rows,
            "seconds": round(time.perf_counter() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
