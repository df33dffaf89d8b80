"""Why does the answer engine refuse or miss? One line of evidence per gold question.

For every question (or a fixed-seed sample): the refusal reason before any LLM call
(``weak_evidence``), the model's raw reply(s), whether it was the refusal sentinel, each
answer sentence with the passages it was attributed to, its best lexical support and e5
similarity (for calibrating ``rag.citations``), the final answer, and fact / language match.

    python benchmarks/diagnose_answers.py --data-dir /tmp/d --llm local --sample 20
    python benchmarks/diagnose_answers.py --replay benchmarks/results/diagnose-local.json

``--replay`` re-runs only the checking steps on the stored replies and passages (no model, a
few seconds), to see what a change to ``rag/citations.py`` does to the same drafts. The data
dir must hold the ingested corpus (``lentera ingest corpus/ --data-dir D``) and, for
``--llm local``, the model (``lentera models install --data-dir D``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import RESULTS, ROOT, machine

sys.path.insert(0, str(ROOT))

from core.types import Chunk, Passage
from evals.gold import GoldQuestion, load_gold, project_gold_files
from evals.metrics import fact_hits
from rag.citations import content_terms, support


def pick(golds: list[GoldQuestion], sample: int, seed: int) -> list[GoldQuestion]:
    """A fixed-seed sample keeping the share of unanswerable questions."""
    if sample <= 0 or sample >= len(golds):
        return golds
    rng = random.Random(seed)
    unanswerable = [g for g in golds if g.unanswerable]
    answerable = [g for g in golds if not g.unanswerable]
    n_un = max(1, round(sample * len(unanswerable) / len(golds)))
    chosen = rng.sample(answerable, sample - n_un) + rng.sample(unanswerable, n_un)
    return sorted(chosen, key=lambda g: g.id)


def passage_record(p: Passage) -> dict[str, Any]:
    c = p.chunk
    return {
        "source": c.source,
        "section": c.section,
        "language": c.language,
        "text": c.text,
        "index": c.index,
        "score": p.score,
        "dense_score": p.dense_score,
    }


def passage_from(record: dict[str, Any]) -> Passage:
    text = record["text"]
    chunk = Chunk(
        f"doc-{record['source']}",
        record["source"],
        "",
        record["section"],
        record["language"],
        0,
        len(text),
        text,
        record["index"],
    )
    return Passage(chunk=chunk, score=record["score"], dense_score=record["dense_score"])


_VECTORS: dict[str, list[float]] = {}


def sentence_records(trace: Any, passages: list[Passage], embedder: Any) -> list[dict[str, Any]]:
    """Each answer sentence, where it went, and its best lexical and e5 support."""
    if trace.attribution is None:
        return []
    passage_terms = [content_terms(p.chunk.text) for p in passages]
    missing = [p.chunk.text for p in passages if p.chunk.text not in _VECTORS]
    if missing:  # e5 is ~1 s a passage on a busy 2-core machine; passages recur a lot
        _VECTORS.update(zip(missing, embedder.get_text_embedding_batch(missing), strict=True))
    vectors = [_VECTORS[p.chunk.text] for p in passages]
    rows = []
    for s in trace.attribution.sentences:
        lexical = [support(content_terms(s.text), pt) for pt in passage_terms]
        query = embedder.get_query_embedding(s.text)
        sims = [sum(a * b for a, b in zip(query, v, strict=False)) for v in vectors]
        rows.append(
            {
                "text": s.text,
                "cited": [p + 1 for p in s.cited],
                "lexical": [round(x, 3) for x in lexical],
                "similarity": [round(x, 4) for x in sims],
            }
        )
    return rows


def outcome(gold: GoldQuestion, record: dict[str, Any]) -> str:
    """One label per question: right, or which step went wrong."""
    if gold.unanswerable:
        return "refused (right)" if record["refused"] else "answered an unanswerable"
    if record["refused"]:
        if record["weak_evidence"]:
            return "wrong refusal: weak evidence"
        if record["sentinel"]:
            return "wrong refusal: sentinel"
        return "wrong refusal: citation check"
    return "right" if record["facts_ok"] else "answered, facts missing"


def diagnose(engine: Any, gold: GoldQuestion, embedder: Any) -> dict[str, Any]:
    from core.language import detect_language

    started = time.perf_counter()
    answer, trace = engine.ask_traced(gold.q)
    seconds = time.perf_counter() - started
    hits = fact_hits(gold.facts, answer.answer) if not answer.refused else []
    record: dict[str, Any] = {
        "id": gold.id,
        "q": gold.q,
        "lang": gold.lang,
        "unanswerable": gold.unanswerable,
        "facts": [list(f) for f in gold.facts],
        "weak_evidence": trace.weak_evidence,
        "replies": trace.replies,
        "sentinel": trace.sentinel,
        "sentences": sentence_records(trace, answer.passages, embedder),
        "answer": answer.answer,
        "refused": answer.refused,
        "facts_ok": bool(hits) and all(hits),
        "language_ok": answer.refused or detect_language(answer.answer) == gold.lang,
        "seconds": round(seconds, 2),
        "timings_ms": answer.timings_ms,
        "passages": [passage_record(p) for p in answer.passages],
    }
    record["outcome"] = outcome(gold, record)
    return record


def summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in records if not r["unanswerable"]]
    unanswerable = [r for r in records if r["unanswerable"]]
    llm_seconds = sorted(r["seconds"] for r in records if r["replies"])

    def share(rows: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(bool(r[key]) for r in rows) / len(rows), 3) if rows else None

    return {
        "n": len(records),
        "fact_accuracy": share(answerable, "facts_ok"),
        "answerable_refused": share(answerable, "refused"),
        "unanswerable_refused": share(unanswerable, "refused"),
        "language_match": share(records, "language_ok"),
        "outcomes": dict(Counter(r["outcome"] for r in records)),
        "seconds_per_llm_answer_median": llm_seconds[len(llm_seconds) // 2]
        if llm_seconds
        else None,
        "seconds_per_llm_answer_max": llm_seconds[-1] if llm_seconds else None,
    }


def print_record(r: dict[str, Any]) -> None:
    print(f"\n== {r['id']} [{r['outcome']}] {r['seconds']} s\n   Q: {r['q']}")
    if r["weak_evidence"]:
        print(f"   weak evidence: {r['weak_evidence']}")
    for reply in r["replies"]:
        print(f"   reply: {reply!r}")
    for s in r["sentences"]:
        print(
            f"   {'+' if s['cited'] else '-'} {s['text'][:90]!r} cited={s['cited']} "
            f"lex={s['lexical']} sim={s['similarity']}"
        )
    print(f"   final: {r['answer'][:200]!r}")


def run_live(args: argparse.Namespace) -> list[dict[str, Any]]:
    from core.settings import load_settings
    from lentera.assemble import build_engine

    settings = load_settings(data_dir=args.data_dir, llm=args.llm)
    engine, _library = build_engine(settings)
    golds = pick(load_gold(args.gold or project_gold_files()), args.sample, args.seed)
    if args.ids:
        golds = [g for g in load_gold(args.gold or project_gold_files()) if g.id in args.ids]
    records = []
    for gold in golds:
        record = diagnose(engine, gold, engine.embedder)
        print_record(record)
        records.append(record)
    return records


class _ReplayRetriever:
    def __init__(self) -> None:
        self.passages: list[Passage] = []

    def retrieve(
        self,
        question: str,
        top_k: int | None = None,
        sources: Sequence[str] | None = None,
        language: str | None = None,
    ) -> list[Passage]:
        return self.passages


def run_replay(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The stored drafts through today's checks: same passages, same replies, no model."""
    from core.settings import load_settings
    from ingest.embedding import build_embedder
    from rag.engine import AnswerEngine
    from tests.fakes import ScriptedLLM

    settings = load_settings(data_dir=args.data_dir)
    embedder = build_embedder(settings)
    stored = json.loads(Path(args.replay).read_text())["questions"]
    records = []
    for old in stored:
        retriever = _ReplayRetriever()
        retriever.passages = [passage_from(p) for p in old["passages"]]
        replies = old["replies"] or [""]
        llm = ScriptedLLM(list(replies), default_reply=replies[-1])
        engine = AnswerEngine(retriever, llm, embedder, settings)
        gold = GoldQuestion(
            old["id"],
            old["q"],
            old["lang"],
            (),
            tuple(map(tuple, old["facts"])),
            old["unanswerable"],
        )
        record = diagnose(engine, gold, embedder)
        record["seconds"] = old["seconds"]
        record["replies"] = old["replies"]  # the stored drafts, not the replay's echoes
        if record["outcome"] != old["outcome"]:
            print(f"{gold.id}: {old['outcome']} -> {record['outcome']}")
        records.append(record)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--llm", default="local", choices=["local", "extractive", "openai"])
    parser.add_argument("--gold", type=Path, action="append", help="default: evals/gold/*.jsonl")
    parser.add_argument("--sample", type=int, default=0, help="fixed-seed sample size; 0 = all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ids", nargs="+", help="only these gold question ids")
    parser.add_argument("--replay", type=Path, help="a previous output: re-check its drafts")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/diagnose-<llm>.json")
    args = parser.parse_args()
    records = run_replay(args) if args.replay else run_live(args)
    result = {"machine": machine(), "summary": summary(records), "questions": records}
    out = args.out or RESULTS / f"diagnose-{'replay' if args.replay else args.llm}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result["summary"], indent=1))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
