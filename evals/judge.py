"""An optional LLM judge: faithfulness to cited passages and correctness against gold facts.

Never needed by the deterministic metrics; enabled with ``lentera eval --judge-llm``. The
judge is any llama-index LLM (``rag.llm.build_llm`` on a settings copy), asked one yes/no
question at a time with the templates ``judge_faithfulness`` and ``judge_correctness``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from core.settings import Settings
from core.text.markers import strip_markers
from evals.metrics import mean
from prompts import load_prompt

_YES = frozenset({"yes", "ya", "true", "supported", "correct", "benar"})
_NO = frozenset({"no", "tidak", "false", "unsupported", "incorrect", "salah"})


def parse_verdict(reply: str) -> bool | None:
    """YES/NO (or YA/TIDAK) from the start of a reply; None when the judge said neither."""
    words = re.findall(r"[a-z]+", reply.lower())
    if not words:
        return None
    if words[0] in _YES:
        return True
    if words[0] in _NO:
        return False
    return None


class Judge:
    """Asks an LLM yes/no questions about answers; counts what it could not parse."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.unparsed = 0

    def ask(self, prompt: str) -> bool | None:
        from llama_index.core.llms import ChatMessage

        response = self.llm.chat([ChatMessage(role="user", content=prompt)])
        verdict = parse_verdict(str(response.message.content or ""))
        if verdict is None:
            self.unparsed += 1
        return verdict

    def supported(self, sentence: str, passages: Sequence[str]) -> bool:
        template = load_prompt("judge_faithfulness")
        claim = strip_markers(sentence).strip()
        return any(self.ask(template.format(passage=p, sentence=claim)) for p in passages)

    def faithfulness(self, answer: Mapping[str, Any]) -> float | None:
        """Share of answer sentences supported by the passages they cite (None: refused)."""
        citations = {int(c["n"]): str(c["text"]) for c in answer.get("citations", [])}
        sentences = answer.get("sentences") or []
        if answer["refused"] or not sentences:
            return None
        verdicts = []
        for sentence in sentences:
            passages = [citations[n] for n in sentence["citations"] if n in citations]
            verdicts.append(bool(passages) and self.supported(str(sentence["text"]), passages))
        return sum(verdicts) / len(verdicts)

    def correctness(self, gold: Mapping[str, Any], answer: Mapping[str, Any]) -> float | None:
        """1.0 / 0.0 as the judge rules the answer states the gold facts (None: n/a)."""
        if gold["unanswerable"] or answer["refused"]:
            return None
        facts = "\n".join(f"- {' | '.join(group)}" for group in gold["facts"])
        prompt = load_prompt("judge_correctness").format(
            question=gold["q"], answer=strip_markers(str(answer["answer"])), facts=facts
        )
        verdict = self.ask(prompt)
        return None if verdict is None else float(verdict)


def judge_settings(
    settings: Settings, backend: str, model: str | None, base_url: str | None
) -> Settings:
    """A copy of the settings pointing the LLM at the judge's backend."""
    update: dict[str, Any] = {"llm": backend}
    if model:
        update["llm_model"] = model
    if base_url:
        update["llm_base_url"] = base_url
    return settings.model_copy(update=update)


def judge_result(
    result: dict[str, Any],
    judge: Judge,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Add judge scores to each question and their means to the aggregates, in place."""
    questions = result["questions"]
    for done, question in enumerate(questions, start=1):
        question["judge"] = {
            "faithfulness": judge.faithfulness(question["answer"]),
            "correctness": judge.correctness(question["gold"], question["answer"]),
        }
        if progress is not None:
            progress(done, len(questions))
    groups: dict[str, list[dict[str, Any]]] = {"overall": questions}
    for question in questions:
        groups.setdefault(question["gold"]["lang"], []).append(question)
    for name, members in groups.items():
        target = (
            result["aggregates"]["overall"]
            if name == "overall"
            else result["aggregates"]["by_language"].setdefault(name, {})
        )
        for key in ("faithfulness", "correctness"):
            target[f"judge_{key}"] = mean(q["judge"][key] for q in members)
    result["judge"] = {"unparsed_replies": judge.unparsed}
