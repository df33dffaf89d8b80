"""The answer path, per gold question: what the model reads and how long each step takes.

For every gold question of the chosen libraries (default: ``sample`` and ``factbook-news``),
answered with the offline model (``local``) and without one (``extractive``), as the page
asks them (``AnswerEngine.ask_stream``, the model warmed up as ``lentera serve`` does):
- new and cached prompt tokens (llama.cpp's own counts), model calls;
- the model's first token, the first checked sentence shown (what the user first sees on
  the page), the whole answer; retrieval and evidence selection alone.
p50 / p95 per library and mode. Follow-ups are measured too: an elliptical one that the rule
rewrites (no model call) and one that refers back and costs a short rewrite call.

    python benchmarks/bench_answer.py [--library NAME ...] [--modes local extractive]

Writes ``benchmarks/results/answer.json``. Run it alone (two cores).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from common import peak_rss_mb, percentiles, write_result

FOLLOW_UPS = {
    "rule": ("What did UNICEF do against child trafficking in Indonesia?", "And in Vietnam?"),
    "model": ("Which plan did Indonesia and UNICEF sign?", "Who signed it?"),
}


def engine_for(library_name: str, mode: str, base: Path) -> Any:
    from core.settings import Settings
    from evals.libraries import eval_libraries
    from ingest.pipeline import ingest_paths
    from lentera.assemble import build_engine
    from rag.models import local_model_path

    spec = eval_libraries()[library_name]
    settings = Settings(data_dir=spec.data_dir(base), llm=mode)
    model = local_model_path(Settings(data_dir=base))
    settings.local_model.path = model
    engine, library = build_engine(settings)
    ingest_paths([spec.documents], library, prune=True)
    return engine, spec


def ask(engine: Any, question: str, history: Any = ()) -> dict[str, Any]:
    from rag.engine import Trace

    started = time.perf_counter()
    answer = None
    first_shown = None
    trace = Trace()
    for event in engine.ask_stream(question, history, trace=trace):  # what the page runs
        if event.kind == "token" and first_shown is None:
            first_shown = time.perf_counter() - started
        elif event.kind == "answer":
            answer = event.answer
    total = time.perf_counter() - started
    assert answer is not None
    timings = trace.usage.get("timings", {})
    return {
        "refused": answer.refused,
        "model_calls": trace.model_calls,
        "new_prompt_tokens": timings.get("prompt_n"),
        "cached_prompt_tokens": timings.get("cache_n"),
        "first_token_s": None if trace.first_token_ms is None else trace.first_token_ms / 1000,
        "first_sentence_s": first_shown,
        "total_s": total,
        "retrieve_ms": answer.timings_ms.get("retrieve"),
        "evidence_ms": answer.timings_ms.get("evidence"),
        "condense_ms": answer.timings_ms.get("condense"),
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def dist(key: str, scale: float = 1000.0) -> dict[str, float] | None:
        values = [r[key] * scale for r in rows if r.get(key) is not None]
        return percentiles(values) if values else None

    answered = [r for r in rows if r["model_calls"]]
    return {
        "questions": len(rows),
        "asked_the_model": len(answered),
        "one_model_call": sum(1 for r in answered if r["model_calls"] == 1),
        "first_token_ms": dist("first_token_s"),
        "first_sentence_ms": dist("first_sentence_s"),
        "total_ms": dist("total_s"),
        "new_prompt_tokens": dist("new_prompt_tokens", 1.0),
        "cached_prompt_tokens": dist("cached_prompt_tokens", 1.0),
        "retrieve_ms": dist("retrieve_ms", 1.0),
        "evidence_ms": dist("evidence_ms", 1.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", action="append", dest="libraries")
    parser.add_argument("--modes", nargs="+", default=["local", "extractive"])
    args = parser.parse_args()
    from core.settings import Settings
    from evals.gold import load_gold
    from rag.models import install_local_model

    libraries = args.libraries or ["sample", "factbook-news"]
    result: dict[str, Any] = {"libraries": {}, "follow_ups": {}}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        if "local" in args.modes:
            install_local_model(Settings(data_dir=base).models_dir)
        for mode in args.modes:
            for name in libraries:
                engine, spec = engine_for(name, mode, base)
                started = time.perf_counter()
                engine.warm_up()
                warm_s = time.perf_counter() - started
                rows = [ask(engine, g.q) for g in load_gold(list(spec.gold))]
                result["libraries"].setdefault(name, {})[mode] = {
                    "warm_up_s": round(warm_s, 2),
                    **summary(rows),
                }
                print(name, mode, result["libraries"][name][mode], flush=True)
                if name == "sample":
                    result["follow_ups"][mode] = {
                        kind: ask(engine, follow, [(first, ask_text(engine, first))])
                        for kind, (first, follow) in FOLLOW_UPS.items()
                    }
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    write_result("answer", result)


def ask_text(engine: Any, question: str) -> str:
    return str(engine.ask(question).answer)


if __name__ == "__main__":
    main()
