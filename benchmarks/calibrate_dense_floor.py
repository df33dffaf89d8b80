"""Calibrate the refusal floor for passages in another language than the question, on the
sample library only.

The floor (``AnswerSettings.min_dense_score``) refuses a question whose best e5 cosine to any
passage is too low: a question about nothing the library holds. e5's cosines between texts in
two languages run lower than between texts in one, so a question answered only by passages in
the other language met a floor chosen on same-language pairs. The sample papers say most things
in both languages (abstracts and summaries in English and Indonesian), which measures the gap
without any answer: for each answerable gold question, the best cosine among its gold
documents' passages in the question's language and among those in the other language. The
cross-language floor is the same-language floor lowered by the median gap, raised (on a 0.01
grid) until every unanswerable question that the same-language floor refuses is still refused:
lowering it must not let an off-topic question through.

    python benchmarks/calibrate_dense_floor.py [--data-dir DIR]

Writes ``benchmarks/results/calibrate-dense-floor.json``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
from pathlib import Path
from typing import Any

from common import write_result

OTHER = {"en": "id", "id": "en"}


def best_cosine(retriever: Any, question: str, sources: list[str] | None, language: str) -> Any:
    passages = retriever.retrieve(question, top_k=8, sources=sources, language=language)
    scores = [p.dense_score for p in passages if p.dense_score is not None]
    return max(scores, default=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    from core.settings import load_settings
    from evals.gold import load_gold
    from evals.libraries import CALIBRATION_LIBRARY, eval_libraries
    from ingest.pipeline import ingest_paths
    from lentera.assemble import build_engine

    library = eval_libraries()[CALIBRATION_LIBRARY]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = load_settings(data_dir=args.data_dir or Path(tmp), llm="extractive")
        settings = base.model_copy(update={"data_dir": library.data_dir(base.data_dir)})
        engine, store = build_engine(settings)
        ingest_paths([library.documents], store, prune=True)
        retriever = engine.engine.retriever
        for gold in load_gold(list(library.gold)):
            sources = [f"{doc}.txt" for doc in gold.docs] or None
            rows.append(
                {
                    "id": gold.id,
                    "lang": gold.lang,
                    "unanswerable": gold.unanswerable,
                    "same": best_cosine(retriever, gold.q, sources, gold.lang),
                    "cross": best_cosine(retriever, gold.q, sources, OTHER[gold.lang]),
                }
            )
    floor = base.answer.min_dense_score
    gaps = [
        r["same"] - r["cross"]
        for r in rows
        if not r["unanswerable"] and r["same"] is not None and r["cross"] is not None
    ]
    gap = statistics.median(gaps)
    off_topic = sorted(
        r["cross"]
        for r in rows
        if r["unanswerable"] and (r["same"] or 0.0) < floor and r["cross"] is not None
    )
    cross_floor = floor - gap
    while off_topic and cross_floor <= off_topic[-1]:
        cross_floor = math.floor(cross_floor * 100 + 1) / 100
    answerable_cross = sorted(
        r["cross"] for r in rows if not r["unanswerable"] and r["cross"] is not None
    )
    summary = {
        "same_language_floor": floor,
        "pairs": len(gaps),
        "gap_median": round(gap, 4),
        "gap_p25_p75": [round(q, 4) for q in statistics.quantiles(gaps, n=4)[::2]],
        "floor_minus_gap": round(floor - gap, 3),
        "off_topic_best_cross": [round(c, 3) for c in off_topic],
        "cross_language_floor": round(cross_floor, 3),
        "answerable_best_cross_lowest": [round(c, 3) for c in answerable_cross[:5]],
    }
    write_result(
        "calibrate-dense-floor", {"library": library.name, "summary": summary, "rows": rows}
    )
    for key, value in summary.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
