"""Retrieval at library scale: the sample library inside ~100,000 distractor chunks.

Distractor texts are real (../shared/distractors: news and fact sheets, mostly Indonesian),
cut into ~350-character pieces so that their 33 MB reach 100,000 chunks. Embedding them all
with e5 would take hours on 2 cores, so their vectors are synthetic: real e5 passage vectors of
a few hundred distractor pieces, each copied with Gaussian noise (cosine ~0.9 to its origin) and
re-normalised. The sample library itself is ingested for real. Reported: write and keyword
rebuild times, hybrid retrieval latency p50/p95 (target < 50 ms at 100k), and whether the gold
document still ranks first among the distractors.

Usage: python benchmarks/bench_scale.py [--chunks N] [--distractors PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from common import CORPUS, DISTRACTORS, peak_rss_mb, percentiles, stopwatch, write_result

PIECE_CHARS = 350
DOC_GROUP = 500  # distractor chunks stored per pseudo-document


def distractor_pieces(path: Path, limit: int, seed: int = 7) -> list[tuple[str, str]]:
    """(language, text) pieces cut at spaces, from a fixed-seed shuffle of the documents."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    random.Random(seed).shuffle(docs)
    pieces: list[tuple[str, str]] = []
    for doc in docs:
        text = " ".join(str(doc.get("text", "")).split())
        while text and len(pieces) < limit:
            cut = text.rfind(" ", 0, PIECE_CHARS) if len(text) > PIECE_CHARS else len(text)
            cut = cut if cut > 0 else min(len(text), PIECE_CHARS)
            pieces.append((str(doc.get("lang", "id")), text[:cut]))
            text = text[cut:].lstrip()
        if len(pieces) >= limit:
            break
    return pieces


def synthetic_vectors(seeds: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    origin = seeds[rng.integers(0, len(seeds), size=count)]
    noisy = origin + rng.normal(0.0, 0.5 / np.sqrt(seeds.shape[1]), size=origin.shape)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def grouped(pieces: list[tuple[str, str]]) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    for start in range(0, len(pieces), DOC_GROUP):
        yield start // DOC_GROUP, pieces[start : start + DOC_GROUP]


def store_distractors(library: Any, pieces: list[tuple[str, str]], vectors: np.ndarray) -> None:
    from core.types import Chunk, document_id
    from ingest.library import DocumentInfo, now_iso

    offset = 0
    for number, group in grouped(pieces):
        source = f"distractors-{number:04d}.txt"
        doc_id = document_id(source)
        chunks = []
        position = 0
        for index, (language, text) in enumerate(group):
            chunks.append(
                Chunk(
                    doc_id,
                    source,
                    source,
                    "",
                    language,
                    position,
                    position + len(text),
                    text,
                    index,
                    None,
                    "synthetic",
                )
            )
            position += len(text) + 1
        info = DocumentInfo(source, doc_id, source, "id", len(chunks), now_iso(), "synthetic")
        library.write_document(chunks, vectors[offset : offset + len(chunks)], info)
        offset += len(chunks)


def main(total: int, distractors: Path) -> None:
    from core.settings import load_settings
    from evals.gold import doc_stem, load_gold, project_gold_files
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from ingest.pipeline import ingest_paths
    from rag.retrieval import HybridRetriever

    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp))
        embedder = build_embedder(settings)
        library = Library.open(settings, embedder)
        with stopwatch() as ingest_time:
            ingest_paths([CORPUS], library)
        sample_chunks = library.count()
        pieces = distractor_pieces(distractors, total - sample_chunks)
        seed_texts = [text for _, text in random.Random(7).sample(pieces, 256)]
        seeds = np.asarray(embedder.get_text_embedding_batch(seed_texts), dtype=np.float32)
        vectors = synthetic_vectors(seeds, len(pieces), rng)
        with stopwatch() as write_time:
            store_distractors(library, pieces, vectors)
        with stopwatch() as keyword_time:
            library.refresh_keyword_index()

        retriever = HybridRetriever(library, embedder, settings.retrieval)
        gold = [q for q in load_gold(project_gold_files()) if not q.unanswerable]
        for question in gold[:5]:
            retriever.retrieve(question.q)  # warm-up
        samples, hits = [], 0
        for question in gold:
            started = time.perf_counter()
            passages = retriever.retrieve(question.q)
            samples.append((time.perf_counter() - started) * 1000)
            hits += bool(passages) and doc_stem(passages[0].chunk.source) in question.docs
        samples += [
            (lambda s: (retriever.retrieve(q.q), (time.perf_counter() - s) * 1000)[1])(
                time.perf_counter()
            )
            for q in gold * 2
        ]
        write_result(
            "scale",
            {
                "chunks": library.count(),
                "sample_library_chunks": sample_chunks,
                "distractor_chunks": len(pieces),
                "sample_ingest_s": round(ingest_time["s"], 1),
                "distractor_write_s": round(write_time["s"], 1),
                "keyword_index_build_s": round(keyword_time["s"], 1),
                "retrieval": percentiles(samples),
                "gold_doc_first_among_distractors": round(hits / len(gold), 3),
                "peak_rss_mb": round(peak_rss_mb(), 1),
            },
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--distractors", type=Path, default=DISTRACTORS)
    args = parser.parse_args()
    main(args.chunks, args.distractors)
