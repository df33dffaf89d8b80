"""The runner with a scripted engine: per-question records, aggregates, identity, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from core.settings import Settings
from evals.gold import GoldQuestion
from evals.runner import run_eval
from tests.evals.fakes import Script, ScriptedEngine, ScriptedRetriever, passage, word_language

A = passage("paper-a.txt", "The Country Programme Action Plan (CPAP) was signed.")
B = passage("paper-b.pdf", "Tidak ada hubungan dengan pertanyaan ini.", index=1)

GOLD = [
    GoldQuestion("abs-1", "Which plan was signed?", "en", ("paper-a",), (("CPAP",),), False),
    GoldQuestion(
        "abs-2", "Rencana apa yang ditandatangani?", "id", ("paper-a",), (("CPAP",),), False
    ),
    GoldQuestion("un-1", "What is the capital of France?", "en", (), (), True),
]
SCRIPTS = {
    "Which plan was signed?": Script("The plan is the CPAP [1].", cites=[A], retrieved=[A, B]),
    "Rencana apa yang ditandatangani?": Script(
        "Tidak ada di dalam sumber.", refused=True, language="id", retrieved=[B, A]
    ),
    "What is the capital of France?": Script("The capital is Paris.", retrieved=[B]),
}


def run(tmp_path: Path, progress=None):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "paper-a.txt").write_text("CPAP", encoding="utf-8")
    engine, retriever = ScriptedEngine(SCRIPTS), ScriptedRetriever(SCRIPTS)
    settings = Settings(llm="extractive", data_dir=tmp_path / "data")
    result = run_eval(
        engine,
        retriever,
        GOLD,
        settings,
        progress=progress,
        corpus_files=sorted(corpus.iterdir()),
        detect=word_language,
    )
    return result, engine, retriever, settings


def test_runner_records_each_question(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    result, engine, retriever, _settings = run(
        tmp_path, lambda d, n, r: seen.append((d, n, r.gold.id))
    )
    assert engine.asked == [g.q for g in GOLD]
    assert all(top_k == 5 for _, top_k in retriever.calls)
    assert seen == [(1, 3, "abs-1"), (2, 3, "abs-2"), (3, 3, "un-1")]
    first = result.questions[0]
    assert first.answer["citations"][0]["source"] == "paper-a.txt"
    assert [r["source"] for r in first.retrieved] == ["paper-a.txt", "paper-b.pdf"]
    assert first.scores["correct"] == 1.0 and first.scores["hit@1"] == 1.0
    second = result.questions[1]
    assert second.scores["refused"] == 1.0
    assert second.scores["hit@1"] == 0.0 and second.scores["mrr"] == 0.5


def test_runner_aggregates_and_identity(tmp_path: Path) -> None:
    result, _, _, settings = run(tmp_path)
    overall = result.aggregates["overall"]
    assert overall["accuracy"] == 1 / 3
    assert overall["answerable_refused"] == 0.5 and overall["unanswerable_refused"] == 0.0
    assert result.aggregates["by_language"]["id"]["n"] == 1
    assert result.config_hash == settings.config_hash()
    assert result.models == {"llm": "scripted", "embedding": "hashing-bow-256"}
    assert result.corpus[0]["file"] == "paper-a.txt"
    assert len(result.corpus[0]["sha256"]) == 64
    assert result.latency["total"]["p50"] == 54.0  # totals 53, 54, 55


def test_result_is_json_serialisable(tmp_path: Path) -> None:
    result, *_ = run(tmp_path)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["questions"][2]["gold"]["unanswerable"] is True
    assert data["settings"]["llm"] == "extractive"
    assert set(data["questions"][0]["answer"]) >= {
        "question",
        "answer",
        "refused",
        "citations",
        "timings_ms",
    }


def test_runner_records_how_each_answer_came_about(tmp_path: Path) -> None:
    """With the real engine (a scripted model), each question keeps its path: model calls,
    the refusal before any call, the first token; the run sums them up."""
    from rag.engine import AnswerEngine
    from tests.fakes import HashingEmbedding, ScriptedLLM
    from tests.rag.passages import CPAP, ECPAT, VIETNAM
    from tests.rag.test_engine import ListRetriever

    retriever = ListRetriever([CPAP, VIETNAM, ECPAT])
    llm = ScriptedLLM(["The Government of Indonesia and UNICEF signed the CPAP 2021-2025 [1]."])
    engine = AnswerEngine(retriever, llm, HashingEmbedding(), Settings())
    gold = [
        GoldQuestion(
            "abs-1", "Which plan did Indonesia and UNICEF sign?", "en", ("cpap",), (("CPAP",),),
            False,
        ),
        GoldQuestion("un-1", "What did the Zanzibar volcano survey find?", "en", (), (), True),
    ]  # fmt: skip
    result = run_eval(engine, retriever, gold, Settings(llm="extractive", data_dir=tmp_path))
    answered, refused = (q.path for q in result.questions)
    assert answered["model_calls"] == 1 and answered["refused_before_model"] is None
    assert answered["first_token_ms"] is not None and not answered["model_refused"]
    assert refused["model_calls"] == 0 and "no sentence covers" in refused["refused_before_model"]
    assert len(llm.calls) == 1  # the refusal cost no model call
    paths = result.paths
    assert paths["n"] == 2 and paths["refused_before_model"] == 1
    assert paths["model_calls"] == 1 and paths["one_model_call"] == 1.0
    assert paths["first_token_ms"]["p50"] == answered["first_token_ms"]
    data = json.loads(json.dumps(result.to_dict()))
    assert data["questions"][0]["path"] == answered
    from evals.report import markdown_summary

    summary = markdown_summary(data)
    assert "Answer paths: 1 of 2 refused before any model call" in summary
    assert "of the 1 that reached the model, 1.000 took one call, 0 were refused" in summary


def test_an_engine_that_does_not_trace_leaves_the_path_empty(tmp_path: Path) -> None:
    result, *_ = run(tmp_path)
    assert all(q.path == {} for q in result.questions)
    assert result.paths["n"] == 0


def test_without_a_model_no_share_of_one_call_answers_is_claimed(tmp_path: Path) -> None:
    from rag.engine import AnswerEngine
    from tests.fakes import HashingEmbedding
    from tests.rag.passages import CPAP
    from tests.rag.test_engine import ListRetriever

    retriever = ListRetriever([CPAP])
    engine = AnswerEngine(retriever, None, HashingEmbedding(), Settings())
    gold = [GoldQuestion("abs-1", "Which plan did Indonesia and UNICEF sign?", "en", ("cpap",),
                         (("CPAP",),), False)]  # fmt: skip
    paths = run_eval(engine, retriever, gold, Settings(llm="extractive", data_dir=tmp_path)).paths
    assert paths["n"] == 1 and paths["quoted"] == 1
    assert paths["model_calls"] == 0 and paths["one_model_call"] is None
