"""Answer latency of the chat page with several simultaneous users (gradio_client, loopback).

Launches the real page in process (extractive answers, real e5, real embedded Chroma on the
sample corpus, ingested into a temporary data directory unless --data-dir has a library), then
has USERS clients, each with its own session, ask ROUNDS questions at the same time. Reports
p50/p95 end-to-end latency per answer, throughput and errors, and one user alone for reference.

    python benchmarks/ui_concurrency.py [--users 5] [--rounds 6] [--data-dir DIR] [--llm extractive]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
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


def user(
    url: str, rounds: int, offset: int, samples: list[float], engine: list[float], errors: list[str]
) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False, analytics_enabled=False)
    for i in range(rounds):
        question = QUESTIONS[(offset + i) % len(QUESTIONS)]
        client.predict(api_name="/new_conversation")  # independent questions, not follow-ups
        started = time.perf_counter()
        try:
            _, _, _, answer = client.predict(question, [], api_name="/ask")
            if not isinstance(answer, dict) or "answer" not in answer:
                raise ValueError(f"no answer object for {question!r}")
        except Exception as exc:  # counted, not fatal: the point is to see them
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        samples.append((time.perf_counter() - started) * 1000)
        engine.append(float(answer.get("timings_ms", {}).get("total", 0.0)))


def run_users(url: str, users: int, rounds: int) -> dict[str, Any]:
    samples: list[float] = []
    engine: list[float] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=user, args=(url, rounds, i, samples, engine, errors))
        for i in range(users)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    wall = time.perf_counter() - started
    result: dict[str, Any] = {"users": users, "answers": len(samples), "errors": len(errors)}
    if samples:
        result.update(percentiles(samples))
        result["answers_per_s"] = round(len(samples) / wall, 2)
        # The engine's own time per answer (Answer.timings_ms.total): the rest is the page.
        result["engine_p50_ms"] = percentiles(engine)["p50_ms"]
        result["engine_p95_ms"] = percentiles(engine)["p95_ms"]
    result["error_examples"] = errors[:3]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=6, help="Questions per user.")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--llm", default="extractive")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo, url = launch(args.data_dir or Path(tmp), args.llm)
        try:
            run_users(url, 1, 2)  # warm-up: first query embedding, keyword index load
            single = run_users(url, 1, args.rounds)
            concurrent = run_users(url, args.users, args.rounds)
        finally:
            demo.close()
    write_result(
        "ui_concurrency", {"llm": args.llm, "single_user": single, "concurrent": concurrent}
    )


if __name__ == "__main__":
    main()
