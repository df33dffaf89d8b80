"""llama.cpp's knobs for the offline model, measured on the answer path's real prompts.

For each setting (prompt batch size, threads for the prompt and for generation, flash
attention, KV cache type, context size) the model is loaded, reads the fixed system prompt
once (as ``AnswerEngine.warm_up`` does), then answers the same evidence-first prompts of the
sample library's gold questions at temperature 0. Reported per setting: prompt tokens/s and
generated tokens/s (medians, from llama.cpp's own timings), the time to read a prompt, and how
many answers are identical to the default setting's (a setting that changes answers is not
kept, however fast). Also reported: this machine's memory bandwidth and the generation speed
it allows (generation reads every weight once per token, so bandwidth / model size bounds it).

    python benchmarks/bench_llama.py [--questions N] [--data-dir DIR]

Writes ``benchmarks/results/llama_knobs.json``. Run it alone: two benchmarks at once on two
cores skew each other.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from common import CORPUS, write_result

# name -> LocalModelSettings fields that differ from the defaults
SETTINGS: dict[str, dict[str, Any]] = {
    "default (batch 512, 2+2 threads, flash auto, f16 KV, 4096 ctx)": {},
    "batch 128": {"batch": 128},
    "batch 256": {"batch": 256},
    "batch 1024": {"batch": 1024},
    "1 thread for generation": {"threads": 1},
    "1 thread for the prompt": {"batch_threads": 1},
    "flash attention on": {"flash_attention": "on"},
    "flash attention off": {"flash_attention": "off"},
    "KV cache q8_0": {"kv_cache": "q8_0"},
    "context 2048": {"context": 2048},
}


def memory_bandwidth_gb_s() -> float:
    """Sustained read bandwidth of this machine, from summing a 512 MB array (best of 3)."""
    import numpy as np

    data = np.ones(64 * 1024 * 1024, dtype=np.float64)  # 512 MB
    best = 0.0
    for _ in range(3):
        started = time.perf_counter()
        data.sum()
        best = max(best, data.nbytes / (time.perf_counter() - started) / 1e9)
    return best


def prompts(data_dir: Path, count: int) -> list[list[Any]]:
    """The evidence-first messages of the first ``count`` answerable sample questions."""
    from core.settings import Settings
    from evals.gold import load_gold, project_gold_files
    from ingest.pipeline import ingest_paths
    from lentera.assemble import build_engine
    from rag.prompting import answer_messages

    engine, library = build_engine(Settings(data_dir=data_dir, llm="extractive"))
    ingest_paths([CORPUS], library, prune=True)
    found: list[list[Any]] = []
    for gold in load_gold(project_gold_files()):
        if gold.unanswerable or len(found) == count:
            continue
        _, trace = engine.ask_traced(gold.q)
        if trace.weak_evidence is None and trace.evidence is not None:
            found.append(answer_messages(trace.evidence, gold.q, gold.lang))
    return found


def measure(model_path: Path, changes: dict[str, Any], messages: list[list[Any]]) -> dict[str, Any]:
    from core.settings import LocalModelSettings
    from rag.local_llm import LocalLLM
    from rag.prompting import warm_up_messages

    knobs = LocalModelSettings(**changes)
    llm = LocalLLM(
        model_path=model_path,
        context_window=knobs.context,
        threads=knobs.threads,
        batch_threads=knobs.batch_threads,
        batch=knobs.batch,
        flash_attention=knobs.flash_attention,
        kv_cache=knobs.kv_cache,
    )
    started = time.perf_counter()
    llm.chat(warm_up_messages(), max_tokens=1)
    load_s = time.perf_counter() - started
    rows = []
    for message_list in messages:
        response = llm.chat(message_list)
        timings = response.raw.get("timings", {}) if isinstance(response.raw, dict) else {}
        rows.append((timings, str(response.message.content or "")))
    prompt_rate = [t["prompt_per_second"] for t, _ in rows if t.get("prompt_n")]
    gen_rate = [t["predicted_per_second"] for t, _ in rows if t.get("predicted_n")]
    return {
        "load_and_system_prompt_s": round(load_s, 2),
        "prompt_tokens_per_s": round(statistics.median(prompt_rate), 1),
        "generated_tokens_per_s": round(statistics.median(gen_rate), 1),
        "prompt_read_ms_p50": round(statistics.median(t["prompt_ms"] for t, _ in rows), 0),
        "new_prompt_tokens_p50": statistics.median(t["prompt_n"] for t, _ in rows),
        "cached_prompt_tokens_p50": statistics.median(t.get("cache_n", 0) for t, _ in rows),
        "answers": [text for _, text in rows],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=8)
    parser.add_argument("--data-dir", type=Path, default=Path(".lentera-bench/llama"))
    args = parser.parse_args()

    from core.settings import Settings
    from rag.models import install_local_model, local_model_path

    settings = Settings(data_dir=args.data_dir)
    model = local_model_path(settings)
    if not model.is_file():
        install_local_model(settings.models_dir)
    messages = prompts(args.data_dir, args.questions)
    bandwidth = memory_bandwidth_gb_s()
    size_gb = model.stat().st_size / 1e9
    results: dict[str, Any] = {}
    for name, changes in SETTINGS.items():
        results[name] = measure(model, changes, messages)
        print(name, {k: v for k, v in results[name].items() if k != "answers"}, flush=True)
    reference = results[next(iter(SETTINGS))]["answers"]
    for row in results.values():
        row["answers_identical_to_default"] = sum(
            a == b for a, b in zip(row.pop("answers"), reference, strict=True)
        )
    write_result(
        "llama_knobs",
        {
            "questions": len(messages),
            "memory_bandwidth_gb_s": round(bandwidth, 1),
            "model_gb": round(size_gb, 2),
            "generation_bound_tokens_per_s": round(bandwidth / size_gb, 1),
            "settings": results,
        },
    )


if __name__ == "__main__":
    main()
