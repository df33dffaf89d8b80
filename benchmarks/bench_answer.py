"""Answer-path speed on the sample library: hybrid retrieval latency (p50/p95), extractive
answers end to end, and the local LLM's time to first token and whole answer with the
prompt size in tokens.

Usage: python benchmarks/bench_answer.py [--local N]   (N local-LLM questions; default 5, 0 skips)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from common import CORPUS, peak_rss_mb, percentiles, write_result


def gold_questions() -> list[str]:
    from evals.gold import load_gold, project_gold_files

    return [q.q for q in load_gold(project_gold_files())]


def timed(fn: Any, items: list[str]) -> list[float]:
    samples = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


class RecordingLLM:
    """Passes calls through to the real LLM and keeps the last messages it was sent."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.messages: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.llm, name)

    def chat(self, messages: Any, **kwargs: Any) -> Any:
        self.messages = messages
        return self.llm.chat(messages, **kwargs)

    def stream_chat(self, messages: Any, **kwargs: Any) -> Any:
        self.messages = messages
        return self.llm.stream_chat(messages, **kwargs)


def local_llm_timings(settings: Any, retriever: Any, embedder: Any, questions: list[str]) -> dict:
    from rag.engine import AnswerEngine
    from rag.llm import build_llm
    from rag.models import install_local_model

    install_local_model(settings.models_dir)
    llm = build_llm(settings.model_copy(update={"llm": "local"}))
    started = time.perf_counter()
    llm.load()  # type: ignore[union-attr]
    load_s = time.perf_counter() - started
    recorder = RecordingLLM(llm)
    engine = AnswerEngine(retriever, recorder, embedder, settings)
    rows = []
    for question in questions:
        started = time.perf_counter()
        first_token = None
        answer = None
        for event in engine.ask_stream(question):
            if event.kind == "token" and first_token is None:
                first_token = time.perf_counter() - started
            if event.kind == "answer":
                answer = event.answer
        total = time.perf_counter() - started
        prompt_tokens = None
        if recorder.messages is not None and answer is not None and answer.timings_ms["generate"]:
            usage = llm.chat(recorder.messages, max_tokens=1).raw.get("usage", {})  # type: ignore[union-attr]
            prompt_tokens = usage.get("prompt_tokens")
        rows.append(
            {
                "question": question,
                "first_token_s": None if first_token is None else round(first_token, 2),
                "total_s": round(total, 2),
                "prompt_tokens": prompt_tokens,
                "refused": answer.refused if answer else None,
                "answer_chars": len(answer.answer) if answer else 0,
            }
        )
        print(rows[-1], flush=True)
    return {"load_s": round(load_s, 2), "questions": rows, "peak_rss_mb": round(peak_rss_mb(), 1)}


def main(local_questions: int) -> None:
    from core.settings import load_settings
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from ingest.pipeline import ingest_paths
    from rag.engine import AnswerEngine
    from rag.retrieval import HybridRetriever

    questions = gold_questions()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp))
        embedder = build_embedder(settings)
        library = Library.open(settings, embedder)
        ingest_paths([CORPUS], library)
        retriever = HybridRetriever(library, embedder, settings.retrieval)
        for question in questions[:5]:  # warm-up: model load, caches
            retriever.retrieve(question)
        retrieval = timed(lambda q: retriever.retrieve(q), questions * 3)
        embedding = timed(lambda q: embedder.get_query_embedding(q), questions)
        extractive = AnswerEngine(retriever, None, embedder, settings)
        extractive_ms = timed(lambda q: extractive.ask(q), questions)
        result: dict[str, Any] = {
            "questions": len(questions),
            "chunks": library.count(),
            "retrieval": percentiles(retrieval),
            "query_embedding_alone": percentiles(embedding),
            "extractive_end_to_end": percentiles(extractive_ms),
        }
        if local_questions:
            picked = questions[:: max(1, len(questions) // local_questions)][:local_questions]
            result["local_llm"] = local_llm_timings(settings, retriever, embedder, picked)
    write_result("answer", result)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--local", type=int, default=5, help="local-LLM questions (0 skips)")
    main(parser.parse_args().local)
