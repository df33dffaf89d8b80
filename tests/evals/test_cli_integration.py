"""``lentera eval`` end to end on the sample library: real Chroma, real retriever and engine
(extractive), the hashing embedder in place of e5 for speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evals.cli import EvalParts, eval_command
from evals.gold import load_gold, project_gold_files
from tests.fakes import HashingEmbedding

pytestmark = pytest.mark.integration


def real_parts(settings):
    from ingest.library import Library, connect
    from ingest.pipeline import ingest_paths
    from rag.engine import AnswerEngine
    from rag.retrieval import HybridRetriever

    embedder = HashingEmbedding()
    library = Library(connect(settings), embedder, settings)
    retriever = HybridRetriever(library, embedder, settings.retrieval)
    engine = AnswerEngine(retriever, None, embedder, settings)

    def ingest(corpus: Path) -> str:
        return ingest_paths([corpus], library, settings=settings).summary()

    return EvalParts(engine, retriever, ingest)


def test_eval_runs_the_project_gold_on_the_sample_library(tmp_path: Path, corpus_dir: Path):
    out = tmp_path / "out"
    args = ["--llm", "extractive", "--data-dir", str(tmp_path / "data"), "--out", str(out), "-q"]
    res = CliRunner().invoke(eval_command, args, obj={"eval_parts_factory": real_parts})
    assert res.exit_code == 0, res.output
    data = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert len(data["questions"]) == len(load_gold(project_gold_files()))
    assert {c["file"] for c in data["corpus"]} == {p.name for p in corpus_dir.glob("*.txt")}
    overall = data["aggregates"]["overall"]
    # Word-overlap retrieval over five distinct papers finds the right one for most questions.
    assert overall["hit@5"] > 0.6
    assert overall["citation_validity"] == 1.0  # the engine checks its citations
    assert set(data["aggregates"]["by_document"]) == {p.stem for p in corpus_dir.glob("*.txt")}
    # Every answered question's citations name real corpus files.
    for q in data["questions"]:
        assert all((corpus_dir / c["source"]).is_file() for c in q["answer"]["citations"])
