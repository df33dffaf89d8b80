"""``lentera eval`` end to end on every eval library: real Chroma, real retriever and engine
(extractive), the hashing embedder in place of e5 for speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evals.gold import load_gold
from evals.libraries import eval_libraries
from lentera.cli_eval import EvalParts, eval_command
from tests.fakes import HashingEmbedding

pytestmark = pytest.mark.integration


def real_parts(settings, prune=False):
    from ingest.library import Library, connect
    from ingest.pipeline import ingest_paths
    from rag.engine import AnswerEngine
    from rag.retrieval import HybridRetriever

    embedder = HashingEmbedding()
    library = Library(connect(settings), embedder, settings)
    retriever = HybridRetriever(library, embedder, settings.retrieval)
    engine = AnswerEngine(retriever, None, embedder, settings)

    def ingest(corpus: Path) -> str:
        return ingest_paths([corpus], library, prune=prune).summary()

    return EvalParts(engine, retriever, ingest)


def test_eval_runs_every_library_in_its_own_data_directory(tmp_path: Path) -> None:
    out, data_dir = tmp_path / "out", tmp_path / "data"
    args = ["--llm", "extractive", "--data-dir", str(data_dir), "--out", str(out), "-q"]
    res = CliRunner().invoke(eval_command, args, obj={"eval_parts_factory": real_parts})
    assert res.exit_code == 0, res.output
    libraries = eval_libraries()
    assert len(libraries) >= 2  # the sample library and at least one no rule was tuned on
    for name, lib in libraries.items():
        assert f"## Library: {name}" in res.output
        data = json.loads((out / name / "result.json").read_text(encoding="utf-8"))
        assert data["library"] == name
        assert len(data["questions"]) == len(load_gold(list(lib.gold)))
        assert {c["file"] for c in data["corpus"]} == {p.name for p in lib.document_files()}
        assert (data_dir / "eval" / name / "chroma").is_dir()
        overall = data["aggregates"]["overall"]
        # Word-overlap retrieval over distinct documents finds the right one for most questions.
        assert overall["hit@5"] > 0.6
        assert overall["citation_validity"] == 1.0  # the engine checks its citations
        stems = {p.stem for p in lib.document_files()}
        assert set(data["aggregates"]["by_document"]) <= stems
        # Every answered question's citations name files of this library only.
        for q in data["questions"]:
            assert all(Path(c["source"]).stem in stems for c in q["answer"]["citations"])


def test_unknown_library_is_one_clear_error(tmp_path: Path) -> None:
    args = ["--library", "nope", "--data-dir", str(tmp_path), "-q"]
    res = CliRunner().invoke(eval_command, args, obj={"eval_parts_factory": real_parts})
    assert res.exit_code == 2
    assert "'nope' (known: sample" in res.output
