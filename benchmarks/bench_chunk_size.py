"""Which chunk size retrieves best? For each size, ingest the sample library with the real
e5 model and score the passages the answer model would see (top-k) on the gold questions:
doc hit@1, the share of fact groups present in the top-k passages, questions with every fact
present, and the prompt size those passages cost (the local model reads ~70 tokens/s).

Usage: python benchmarks/bench_chunk_size.py [SIZE ...]   (default: 120 160 220 320 450)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from common import CORPUS, stopwatch, write_result


def evaluate(size: int, top_k: int) -> dict[str, float]:
    from core.settings import ChunkingSettings, load_settings
    from evals.gold import doc_stem, fact_matches, load_gold, project_gold_files
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from ingest.pipeline import ingest_paths
    from rag.retrieval import HybridRetriever

    questions = [q for q in load_gold(project_gold_files()) if not q.unanswerable]
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp), chunking=ChunkingSettings(chunk_tokens=size))
        embedder = build_embedder(settings)
        library = Library.open(settings, embedder)
        with stopwatch() as ingest_time:
            ingest_paths([CORPUS], library)
        retriever = HybridRetriever(library, embedder, settings.retrieval)
        hit1, fact_share, all_facts, prompt_tokens = [], [], [], []
        for question in questions:
            passages = retriever.retrieve(question.q, top_k=top_k)
            text = "\n".join(p.chunk.text for p in passages)
            found = [fact_matches(group, text) for group in question.facts]
            hit1.append(
                float(bool(passages) and doc_stem(passages[0].chunk.source) in question.docs)
            )
            fact_share.append(sum(found) / len(found))
            all_facts.append(float(all(found)))
            prompt_tokens.append(sum(embedder.token_count(p.chunk.text) for p in passages))
        return {
            "chunk_tokens": size,
            "chunks": library.count(),
            "ingest_s": round(ingest_time["s"], 1),
            "doc_hit_at_1": round(statistics.mean(hit1), 3),
            "fact_groups_in_top_k": round(statistics.mean(fact_share), 3),
            "questions_with_all_facts_in_top_k": round(statistics.mean(all_facts), 3),
            "median_prompt_passage_tokens": statistics.median(prompt_tokens),
        }


def main(sizes: list[int], top_k: int = 3) -> None:
    rows = []
    for size in sizes:
        row = evaluate(size, top_k)
        print(row, flush=True)
        rows.append(row)
    write_result("chunk_size", {"top_k": top_k, "rows": rows})


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [120, 160, 220, 320, 450])
