"""The fault campaign as a report: what was tried, how many times, what was lost, how long.

Runs the scenarios of ``tests/faults/`` and ``tests/ingest/test_pipeline.py`` (the same helpers,
real processes and servers on 127.0.0.1, the hashing embedder in place of e5 so that the
numbers are about the faults, not the model) several times each, and writes
``benchmarks/results/fault_campaign.json`` plus a Markdown table on standard output:

- bad files: one batch of every kind of broken file beside good ones with awkward encodings;
- ``kill -9`` of a real ingest at five points, then a re-run, compared with a clean ingest;
- the keyword index truncated, overwritten and deleted;
- model servers that refuse, hang, fail (500/401/429), send garbage or cut their stream: the
  time until the user has the quoted answer, marked as such;
- a Chroma server killed between two questions;
- hostile documents and replies (a canary the model is told to say, an echo, inventions);
- twenty page users at once, extractive and with a model server taking 1-3 s.

    python benchmarks/fault_campaign.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import CORPUS, write_result

Row = dict[str, Any]


def _timed(run: Callable[[Path], Row], repeat: int) -> list[Row]:
    rows = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            row = run(Path(tmp))
            row["seconds"] = round(time.perf_counter() - started, 2)
            rows.append(row)
    return rows


def bad_files(tmp: Path) -> Row:
    from ingest.pipeline import ingest_paths
    from tests.faults.conftest import fault_settings, small_library
    from tests.faults.test_files import bad_batch, good_files
    from tests.library_state import stored_chunks

    library = small_library(fault_settings(tmp / "data", max_file_mb=1), tmp / "documents")
    before = {cid for cid, _, _ in stored_chunks(library)}
    bad = bad_batch(tmp / "incoming")
    good = good_files(tmp / "incoming")
    report = ingest_paths([tmp / "incoming"], library)
    after = {cid for cid, _, _ in stored_chunks(library)}
    again = ingest_paths([tmp / "incoming"], library)
    named = {Path(f).name for f, _ in report.failed} | {
        Path(line.split(": cannot be read")[0]).name for line in report.skipped
    }
    return {
        "tried": len(bad) + len(good),
        "bad_named": len(named & set(bad)),
        "bad": len(bad),
        "good_ingested": len(set(report.added) & set(good)),
        "lost": len(before - after),
        "duplicated": len({cid for cid, _, _ in stored_chunks(library)} - after) + len(again.added),
    }


def killed_ingest(tmp: Path, where: str, after: int, reference: Any) -> Row:
    from core.settings import Settings
    from ingest.library import Library
    from ingest.pipeline import ingest_paths
    from tests.fakes import HashingEmbedding
    from tests.ingest.test_pipeline import _answers, _run_and_kill, snapshot

    _run_and_kill(tmp / "data", CORPUS, where, after)
    settings = Settings(data_dir=tmp / "data", embedding_batch_size=4)
    started = time.perf_counter()
    library = Library.open(settings, HashingEmbedding())
    report = ingest_paths([CORPUS], library)
    converged = snapshot(library) == reference
    return {
        "point": f"{where} #{after}",
        "rerun_s": round(time.perf_counter() - started, 2),
        "same_as_clean_ingest": converged,
        "asking_works": _answers(library, "Apa peran ECPAT dalam perdagangan anak di Indonesia?"),
        "rerun_ok": report.ok,
    }


def keyword_damage(tmp: Path, damage: str) -> Row:
    from ingest.library import Library, connect
    from tests.faults.conftest import fault_settings, small_library
    from tests.library_state import damage_file

    settings = fault_settings(tmp / "data")
    library = small_library(settings, tmp / "documents")
    expected = library.keyword_index.search("shelters ministry", 5)
    path = library.keyword_index.path
    damage_file(path, damage)
    warnings: list[str] = []
    handler = _Collect(warnings)
    logging.getLogger("ingest").addHandler(handler)
    try:
        reopened = Library(connect(settings), library.embedder, settings)
        same = reopened.keyword_index.search("shelters ministry", 5) == expected
    finally:
        logging.getLogger("ingest").removeHandler(handler)
    return {"damage": damage, "rebuilt_same": same, "warning_lines": len(warnings)}


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def model_fault(tmp: Path, fault: str) -> Row:
    from tests.faults.conftest import QUESTION, fault_settings, page_engine, small_library
    from tests.faults.test_backends import REPLY, _break
    from tests.openai_server import OpenAICompatibleServer

    with OpenAICompatibleServer() as server:
        server.queue_reply(REPLY)
        url = _break(server, fault)
        settings = fault_settings(
            tmp / "data", llm="openai-compatible", llm_base_url=url, llm_model="q"
        )
        engine = page_engine(settings, small_library(settings, tmp / "documents"))
        started = time.perf_counter()
        answer = list(engine.ask_stream(QUESTION))[-1].answer
        took = time.perf_counter() - started
    assert answer is not None
    return {
        "fault": fault,
        "to_answer_s": round(took, 2),
        "marked_fallback": "fallback" in answer.backend,
        "answered": not answer.refused,
        "line": answer.backend.get("fallback", ""),
    }


def chroma_gone(tmp: Path) -> Row:
    from core.errors import StoreUnavailableError
    from tests.chroma_server import ChromaServer
    from tests.faults.conftest import QUESTION, fault_settings, page_engine, small_library

    with ChromaServer(tmp / "chroma") as server:
        settings = fault_settings(
            tmp / "client", llm="extractive", chroma_host=server.host, chroma_port=server.port
        )
        engine = page_engine(settings, small_library(settings, tmp / "documents"))
        first_ok = not engine.ask(QUESTION).refused
        server.kill()
        started = time.perf_counter()
        try:
            engine.ask(QUESTION)
            line = "no error"
        except StoreUnavailableError as exc:
            line = str(exc)
    return {
        "first_answered": first_ok,
        "to_error_s": round(time.perf_counter() - started, 2),
        "line": line,
    }


def hostile(tmp: Path, responder: str) -> Row:
    from ingest.pipeline import ingest_paths
    from tests.faults import test_hostile as h
    from tests.faults.conftest import fault_settings, page_engine, small_library
    from tests.openai_server import OpenAICompatibleServer

    with OpenAICompatibleServer() as server:
        server.responder = getattr(h, responder)
        settings = fault_settings(
            tmp / "data", llm="openai-compatible", llm_base_url=server.base_url, llm_model="q"
        )
        library = small_library(settings, tmp / "documents")
        (tmp / "documents" / "funding.txt").write_text(h.HOSTILE, encoding="utf-8")
        ingest_paths([tmp / "documents"], library)
        engine = page_engine(settings, library)
        answers = [engine.ask(q) for q in h.ORDINARY]
    bad_words = (h.CANARY, "bribery", "password", "Question:", "Document:")
    return {
        "responder": responder,
        "questions": len(answers),
        "shown_bad": sum(any(w in a.answer for w in bad_words) for a in answers),
        "refused": sum(a.refused for a in answers),
    }


def load(tmp: Path, model: bool) -> Row:
    from tests.faults.conftest import running_page
    from tests.faults.test_load import QUESTIONS, ROUNDS, USERS
    from tests.load import run_load

    with running_page(tmp, scripted_model=model) as (url, _):
        result = run_load(url, USERS, QUESTIONS, rounds=ROUNDS)
    latencies = sorted(result.latencies_ms)
    return {
        "model": "scripted 1-3 s" if model else "extractive",
        "answers": result.answers,
        "errors": len(result.errors),
        "mixups": len(result.mixups),
        "p50_ms": round(statistics.median(latencies)) if latencies else None,
        "p95_ms": round(latencies[max(0, round(0.95 * len(latencies)) - 1)]) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each scenario.")
    args = parser.parse_args()
    from core.settings import Settings
    from ingest.library import Library
    from ingest.pipeline import ingest_paths
    from tests.fakes import HashingEmbedding
    from tests.ingest.test_pipeline import snapshot

    with tempfile.TemporaryDirectory() as tmp:
        clean = Library.open(
            Settings(data_dir=Path(tmp), embedding_batch_size=4), HashingEmbedding()
        )
        ingest_paths([CORPUS], clean)
        reference = snapshot(clean)
    points = [("chunks", 1), ("chunks", 4), ("chunks", 8), ("documents", 3), ("documents", 5)]
    faults = ["closed port", "hang", "HTTP 500", "HTTP 401", "HTTP 429", "garbage", "cut"]
    r = args.repeat
    result = {
        "repeat": r,
        "bad_files": _timed(bad_files, r),
        "killed_ingest": [
            row
            for where, after in points
            for row in _timed(lambda t, w=where, a=after: killed_ingest(t, w, a, reference), r)
        ],
        "keyword_index": [
            row
            for damage in ("truncated", "overwritten", "deleted")
            for row in _timed(lambda t, d=damage: keyword_damage(t, d), r)
        ],
        "model_server": [
            row for fault in faults for row in _timed(lambda t, f=fault: model_fault(t, f), r)
        ],
        "chroma_server_gone": _timed(chroma_gone, r),
        "hostile": [
            row
            for name in ("obey", "echo", "invent")
            for row in _timed(lambda t, n=name: hostile(t, n), r)
        ],
        "load": [row for m in (False, True) for row in _timed(lambda t, m=m: load(t, m), 1)],
    }
    write_result("fault_campaign", result)
    print(markdown(result))


def markdown(result: dict[str, Any]) -> str:
    lines = ["| scenario | runs | lost | result | time (median, max) |", "|---|---:|---:|---|---|"]

    def span(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} s, {max(values):.2f} s"

    bad = result["bad_files"]
    lines.append(
        f"| {bad[0]['bad']} bad + {bad[0]['tried'] - bad[0]['bad']} awkward good files in one "
        f"batch | {len(bad)} | {sum(b['lost'] for b in bad)} | each bad file named: "
        f"{all(b['bad_named'] == b['bad'] for b in bad)}, good ingested: "
        f"{all(b['good_ingested'] == b['tried'] - b['bad'] for b in bad)}, duplicated: "
        f"{sum(b['duplicated'] for b in bad)} | {span([b['seconds'] for b in bad])} |"
    )
    for point in dict.fromkeys(k["point"] for k in result["killed_ingest"]):
        rows = [k for k in result["killed_ingest"] if k["point"] == point]
        ok = all(k["same_as_clean_ingest"] and k["asking_works"] for k in rows)
        lost = 0 if all(k["same_as_clean_ingest"] for k in rows) else "see json"
        lines.append(
            f"| kill -9 of ingest at {point} | {len(rows)} | {lost} | re-run equals a clean "
            f"ingest and answers: {ok} | re-run {span([k['rerun_s'] for k in rows])} |"
        )
    for damage in ("truncated", "overwritten", "deleted"):
        rows = [k for k in result["keyword_index"] if k["damage"] == damage]
        lines.append(
            f"| keyword index {damage} | {len(rows)} | 0 | rebuilt the same: "
            f"{all(k['rebuilt_same'] for k in rows)}, warning lines: "
            f"{max(k['warning_lines'] for k in rows)} | {span([k['seconds'] for k in rows])} |"
        )
    for fault in dict.fromkeys(m["fault"] for m in result["model_server"]):
        rows = [m for m in result["model_server"] if m["fault"] == fault]
        ok = all(m["marked_fallback"] and m["answered"] for m in rows)
        lines.append(
            f"| model server: {fault} | {len(rows)} | 0 | quoted answer, marked: {ok} "
            f'("{rows[0]["line"].split(": ", 1)[-1]}") | {span([m["to_answer_s"] for m in rows])} |'
        )
    gone = result["chroma_server_gone"]
    lines.append(
        f"| Chroma server killed between questions | {len(gone)} | 0 | one line: "
        f'"{gone[0]["line"][:70]}..." | {span([g["to_error_s"] for g in gone])} |'
    )
    verbs = {"obey": "obeys the document", "echo": "echoes its prompt", "invent": "invents"}
    for name, verb in verbs.items():
        rows = [h for h in result["hostile"] if h["responder"] == name]
        lines.append(
            f"| model server that {verb}, {rows[0]['questions']} questions | {len(rows)} | 0 | "
            f"canary, invention or prompt shown: {sum(h['shown_bad'] for h in rows)} | "
            f"{span([h['seconds'] for h in rows])} |"
        )
    for row in result["load"]:
        lines.append(
            f"| 20 page users x 3 questions, {row['model']} | 1 | 0 | {row['answers']} answers, "
            f"{row['errors']} errors, {row['mixups']} mix-ups | p50 {row['p50_ms']} ms, "
            f"p95 {row['p95_ms']} ms |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
