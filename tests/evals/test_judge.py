"""The LLM judge against the scripted fake LLM: prompts sent, verdicts parsed, scores kept."""

from __future__ import annotations

from core.settings import Settings
from evals.judge import Judge, judge_result, judge_settings, parse_verdict
from prompts import load_prompt
from tests.fakes import ScriptedLLM

ANSWER = {
    "answer": "UNICEF signed the CPAP [1]. It covers 2021-2025 [2].",
    "refused": False,
    "citations": [
        {"n": 1, "text": "Pemerintah Indonesia dan UNICEF menandatangani CPAP."},
        {"n": 2, "text": "Rencana aksi berlaku 2021-2025."},
    ],
    "sentences": [
        {"text": "UNICEF signed the CPAP.", "citations": [1], "evidence": []},
        {"text": "It covers 2021-2025.", "citations": [2], "evidence": []},
    ],
}
GOLD = {"q": "Rencana apa?", "unanswerable": False, "facts": [["CPAP"], ["2021"]], "lang": "id"}


def test_parse_verdict() -> None:
    assert parse_verdict("YES.") is True
    assert parse_verdict("Ya, didukung") is True
    assert parse_verdict("NO - the passage says otherwise") is False
    assert parse_verdict("TIDAK") is False
    assert parse_verdict("Maybe") is None
    assert parse_verdict("") is None


def test_prompts_load_with_their_placeholders() -> None:
    assert load_prompt("judge_faithfulness").placeholders == {"passage", "sentence"}
    assert load_prompt("judge_correctness").placeholders == {"question", "answer", "facts"}


def test_faithfulness_asks_per_sentence_with_its_cited_passage() -> None:
    llm = ScriptedLLM(["YES", "NO"])
    score = Judge(llm).faithfulness(ANSWER)
    assert score == 0.5
    first, second = (call[-1].content for call in llm.calls)
    assert "menandatangani CPAP" in first and "UNICEF signed the CPAP" in first
    assert "[1]" not in first  # markers are stripped from the judged sentence
    assert "2021-2025." in second and "berlaku" in second


def test_correctness_and_unparsed_replies() -> None:
    llm = ScriptedLLM(["I think so"])
    judge = Judge(llm)
    assert judge.correctness(GOLD, ANSWER) is None
    assert judge.unparsed == 1
    prompt = llm.calls[0][-1].content
    assert "Rencana apa?" in prompt and "- CPAP" in prompt and "- 2021" in prompt
    assert judge.correctness({**GOLD, "unanswerable": True}, ANSWER) is None


def test_judge_result_adds_scores_and_means() -> None:
    result = {
        "aggregates": {"overall": {}, "by_language": {"id": {}}},
        "questions": [{"gold": GOLD, "answer": ANSWER}],
    }
    judge_result(result, Judge(ScriptedLLM(["YES", "YES", "YES"])))
    assert result["questions"][0]["judge"] == {"faithfulness": 1.0, "correctness": 1.0}
    assert result["aggregates"]["overall"]["judge_correctness"] == 1.0
    assert result["aggregates"]["by_language"]["id"]["judge_faithfulness"] == 1.0


def test_judge_settings_copy() -> None:
    base = Settings(llm="extractive")
    judged = judge_settings(base, "openai-compatible", "qwen", "http://127.0.0.1:9/v1")
    assert (judged.llm, judged.llm_model, judged.llm_base_url) == (
        "openai-compatible",
        "qwen",
        "http://127.0.0.1:9/v1",
    )
    assert base.llm == "extractive"
