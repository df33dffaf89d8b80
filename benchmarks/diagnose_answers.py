"""Why does the answer engine refuse or miss? The path of each gold question, step by step.

For every question of one eval library (or those named with ``--ids``): the evidence sentences
chosen and the refusal reason before any model call (``weak_evidence``), the model's raw
reply, each drafted sentence with the evidence it kept or the reason it was dropped, the final
answer and which gold facts it states. Written to ``benchmarks/results/diagnose-<library>-
<llm>.json`` and summarised on standard output (refusal reasons and drop reasons counted).

    python benchmarks/diagnose_answers.py --library sample --llm extractive
    python benchmarks/diagnose_answers.py --library factbook-news --llm local --ids fn-af-tier

The library is ingested into ``<data dir>/eval/<library>`` as ``lentera eval`` does (the
default data dir is a temporary one; pass ``--data-dir`` to reuse an ingested library and the
joined local model).
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from common import write_result


def diagnose(engine: Any, gold: Any) -> dict[str, Any]:
    from evals.metrics import fact_hits

    answer, trace = engine.ask_traced(gold.q)
    evidence = trace.evidence.items if trace.evidence is not None else []
    hits = fact_hits(gold.facts, answer.answer) if not answer.refused else []
    scored = [s.passage for s in trace.evidence.candidates] if trace.evidence else []
    closest = max(
        (p for p in scored if p.dense_score is not None),
        key=lambda p: p.dense_score or 0.0,
        default=None,
    )
    return {
        "id": gold.id,
        "lang": gold.lang,
        "unanswerable": gold.unanswerable,
        "question": gold.q,
        "evidence": [f"{s.passage.chunk.source}: {s.text}" for s in evidence],
        "weak_evidence": trace.weak_evidence,
        # the refusal floor's inputs: the best e5 cosine and the language of that passage
        "best_dense": closest.dense_score if closest else None,
        "best_dense_language": closest.chunk.language if closest else None,
        "replies": trace.replies,
        "sentinel": trace.sentinel,
        "checked": [
            {"text": c.text, "kept": list(c.items), "reason": c.reason} for c in trace.checked
        ],
        "quoted": trace.quoted,
        "filled_in": trace.filled_in,
        "answer": answer.answer,
        "refused": answer.refused,
        "facts": [list(group) for group in gold.facts],
        "fact_hits": hits,
        "right": bool(hits) and all(hits) if not gold.unanswerable else answer.refused,
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["unanswerable"]]
    refusals = Counter(
        (r["weak_evidence"] or ("model refused" if r["sentinel"] else "other")).split(":")[0]
        for r in answerable
        if r["refused"]
    )
    drops = Counter(
        (c["reason"] or "").split(":")[0] for r in rows for c in r["checked"] if not c["kept"]
    )
    return {
        "questions": len(rows),
        "answerable_right": sum(r["right"] for r in answerable),
        "answerable": len(answerable),
        "answerable_refused": sum(r["refused"] for r in answerable),
        "unanswerable_refused": sum(r["refused"] for r in rows if r["unanswerable"]),
        "unanswerable": len(rows) - len(answerable),
        "refusal_reasons": dict(refusals.most_common()),
        "drop_reasons": dict(drops.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", default="sample")
    parser.add_argument("--llm", default="extractive")
    parser.add_argument("--ids", nargs="*", default=None, help="Only these gold question ids.")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    from core.settings import load_settings
    from evals.gold import load_gold
    from evals.libraries import eval_libraries
    from ingest.pipeline import ingest_paths
    from lentera.assemble import build_engine
    from rag.models import local_model_path

    library = eval_libraries()[args.library]
    with tempfile.TemporaryDirectory() as tmp:
        base = load_settings(data_dir=args.data_dir or Path(tmp), llm=args.llm)
        model = base.local_model.model_copy(update={"path": local_model_path(base)})
        settings = base.model_copy(
            update={"data_dir": library.data_dir(base.data_dir), "local_model": model}
        )
        engine, store = build_engine(settings)
        ingest_paths([library.documents], store, prune=True)
        golds = [g for g in load_gold(list(library.gold)) if not args.ids or g.id in args.ids]
        rows = [diagnose(engine, gold) for gold in golds]
    result = {"library": args.library, "llm": args.llm, "summary": summary(rows), "rows": rows}
    write_result(f"diagnose-{args.library}-{args.llm}", result)
    for key, value in result["summary"].items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
