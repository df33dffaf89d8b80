"""Ingest speed on the sample library: cold, re-run unchanged, and the pipeline's overhead
on top of raw embedding time (target: under 20%), plus peak RSS.

Usage: python benchmarks/bench_ingest.py [CORPUS_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import CORPUS, peak_rss_mb, stopwatch, write_result


class TimedEmbedder:
    """Measures the time the pipeline spends inside the embedder's passage calls."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self.seconds = 0.0
        self.texts = 0
        original = embedder._get_text_embeddings

        def timed(texts: list[str]) -> list[list[float]]:
            started = time.perf_counter()
            try:
                return original(texts)  # type: ignore[no-any-return]
            finally:
                self.seconds += time.perf_counter() - started
                self.texts += len(texts)

        object.__setattr__(embedder, "_get_text_embeddings", timed)


def main(corpus: Path) -> None:
    from core.settings import load_settings
    from ingest.embedding import build_embedder
    from ingest.library import Library
    from ingest.pipeline import ingest_paths

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp))
        embedder = build_embedder(settings)
        embedder.get_query_embedding("warm up")  # load the model outside the timings
        timer = TimedEmbedder(embedder)
        library = Library.open(settings, embedder)

        with stopwatch() as cold:
            report = ingest_paths([corpus], library)
        embed_in_pipeline = timer.seconds
        chunks = [text for _, text, _ in library.chunks_of([d.doc_id for d in library.documents()])]
        tokens = sum(embedder.token_count(t) for t in chunks)

        with stopwatch() as rerun:
            rerun_report = ingest_paths([corpus], library)

        # Raw embedding alone, same texts, same batch size, outside the pipeline.
        batch = settings.embedding_batch_size
        with stopwatch() as raw:
            for i in range(0, len(chunks), batch):
                embedder._get_text_embeddings(chunks[i : i + batch])

    overhead = (cold["s"] - embed_in_pipeline) / embed_in_pipeline
    write_result(
        "ingest",
        {
            "corpus": str(corpus),
            "documents": len(report.added),
            "chunks": len(chunks),
            "tokens": tokens,
            "cold_s": round(cold["s"], 2),
            "embedding_inside_pipeline_s": round(embed_in_pipeline, 2),
            "raw_embedding_s": round(raw["s"], 2),
            "pipeline_overhead_vs_its_embedding": round(overhead, 3),
            "pipeline_chunks_per_s": round(len(chunks) / cold["s"], 2),
            "raw_chunks_per_s": round(len(chunks) / raw["s"], 2),
            "pipeline_tokens_per_s": round(tokens / cold["s"], 1),
            "raw_tokens_per_s": round(tokens / raw["s"], 1),
            "rerun_unchanged_s": round(rerun["s"], 3),
            "rerun_chunks_embedded": rerun_report.chunks_embedded,
            "peak_rss_mb": round(peak_rss_mb(), 1),
        },
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
