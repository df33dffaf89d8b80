"""Answer latency of the chat page with several simultaneous users (gradio_client, loopback).

Launches the real page in process (extractive answers, real e5, real embedded Chroma on the
sample corpus, ingested into a temporary data directory unless --data-dir has a library), then
has USERS clients, each with its own session, ask questions at the same time for DURATION
seconds. Reports p50/p95 end-to-end latency per answer, throughput, errors and mix-ups between
sessions, and one user alone for reference.

    python benchmarks/ui_concurrency.py [--users 20] [--duration 60] [--scripted-model]

Every session is checked as the fault campaign's load test checks it (tests/load.py): its chat
shows its own questions in its own order, and each answer is to the question asked.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from common import CORPUS, percentiles, write_result

QUESTIONS = [
    "What does ECPAT do against child trafficking in Indonesia?",
    "Apa saja faktor penyebab eksploitasi ekonomi anak di Indonesia?",
    "How did UNICEF respond to child trafficking in Vietnam?",
    "Bagaimana UNICEF menangani kekerasan seksual siber terhadap anak?",
    "Which agencies worked with UNICEF on child trafficking in Indonesia from 2021 to 2023?",
    "Apa peran pemerintah Indonesia dalam kerja sama dengan ECPAT?",
    "What is the capital of Mongolia?",
    "Siapa pemenang Piala Dunia 2018?",
]


def launch(data_dir: Path, llm: str) -> tuple[Any, str]:
    from core.settings import load_settings
    from ingest.pipeline import ingest_paths
    from lentera.assemble import build_engine
    from ui.app import build_app

    settings = load_settings(data_dir=data_dir, llm=llm)
    engine, library = build_engine(settings)
    if not library.documents():
        started = time.perf_counter()
        report = ingest_paths([CORPUS], library)
        print(f"ingested the corpus in {time.perf_counter() - started:.1f} s: {report.summary()}")
    demo = build_app(engine, library, settings)
    demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    return demo, str(demo.local_url)


def run_users(
    url: str, users: int, rounds: int | None, duration_s: float | None = None
) -> dict[str, Any]:
    """``users`` sessions at once (tests/load.py): errors, mix-ups between sessions, latency."""
    from tests.load import run_load

    load = run_load(url, users, QUESTIONS, rounds=rounds, duration_s=duration_s)
    result: dict[str, Any] = {
        "users": users,
        "answers": load.answers,
        "errors": len(load.errors),
        "mixups": len(load.mixups),
        "wall_s": round(load.wall_s, 1),
    }
    if load.latencies_ms:
        result.update(percentiles(load.latencies_ms))
        result["answers_per_s"] = round(load.answers / load.wall_s, 2)
    result["error_examples"] = (load.errors + load.mixups)[:3]
    return result


def scripted_model(delay: tuple[float, float]) -> Any:
    """A local OpenAI-compatible server that takes ``delay`` seconds per answer."""
    import random

    from tests.openai_server import OpenAICompatibleServer

    def reply(body: dict[str, Any]) -> str:
        time.sleep(random.uniform(*delay))
        return "[1]"  # points at the first evidence sentence: quoted, checked, cited

    server = OpenAICompatibleServer().start()
    server.responder = reply
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=6, help="Questions per user.")
    parser.add_argument(
        "--duration", type=float, default=60.0, help="Seconds of load (0: --rounds each)."
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--scripted-model",
        action="store_true",
        help="Answer with a local OpenAI-compatible server taking 1-3 s per answer.",
    )
    args = parser.parse_args()
    server = scripted_model((1.0, 3.0)) if args.scripted_model else None
    llm = "openai-compatible" if server else "extractive"
    if server is not None:
        os.environ.update(
            LENTERA_LLM_BASE_URL=server.base_url, LENTERA_LLM_MODEL="scripted", OPENAI_API_KEY="x"
        )
    duration = args.duration or None
    with tempfile.TemporaryDirectory() as tmp:
        demo, url = launch(args.data_dir or Path(tmp), llm)
        try:
            run_users(url, 1, 2)  # warm-up: first query embedding, keyword index load
            single = run_users(url, 1, args.rounds)
            concurrent = run_users(url, args.users, None if duration else args.rounds, duration)
        finally:
            demo.close()
            if server is not None:
                server.close()
    name = "ui_concurrency" + ("_scripted_model" if server else "")
    write_result(name, {"llm": llm, "single_user": single, "concurrent": concurrent})


if __name__ == "__main__":
    main()
