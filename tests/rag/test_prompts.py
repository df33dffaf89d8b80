"""The answer prompts: placeholders as the code fills them, short enough for a small model."""

from __future__ import annotations

from prompts import REQUIRED, load_prompt
from rag.engine import REFUSAL_SENTINEL


def test_answer_prompts_load_with_their_placeholders() -> None:
    for name in ("answer_system", "answer_user", "condense_question"):
        template = load_prompt(name)
        assert template.placeholders == REQUIRED[name]


def test_system_prompt_asks_for_language_markers_and_exact_refusal() -> None:
    text = load_prompt("answer_system").format(language_name="Indonesian", refusal=REFUSAL_SENTINEL)
    assert "Indonesian" in text
    assert f"exactly: {REFUSAL_SENTINEL}" in text
    assert "[1]" in text
    # The local model reads ~70 prompt tokens/s; the system prompt is a fixed prefix that the
    # runtime caches between questions, so a short one-shot example costs only the first answer.
    assert len(text.split()) < 120


def test_user_prompt_puts_passages_before_question() -> None:
    text = load_prompt("answer_user").format(passages="[1] Satu.\n\n[2] Dua.", question="Apa?")
    assert text.index("[1] Satu.") < text.index("Question: Apa?")


def test_condense_prompt_carries_history_and_follow_up() -> None:
    text = load_prompt("condense_question").format(
        history="User: What did UNICEF do in Indonesia?", question="And in Vietnam?"
    )
    assert "What did UNICEF do in Indonesia?" in text
    assert "And in Vietnam?" in text
    assert len(text.split()) < 80
