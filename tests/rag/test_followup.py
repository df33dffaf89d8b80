"""Follow-ups made standalone without a model, history formatting, rewrite cleaning."""

from __future__ import annotations

from rag.followup import clean_rewrite, condense_deterministic, format_history, subject_of

HISTORY = [("What did UNICEF do against child labour in Indonesia?", "It funded schools [1].")]


def test_elliptical_follow_up_carries_terms_and_replaces_the_place() -> None:
    rewritten = condense_deterministic("And in Vietnam?", HISTORY)
    assert rewritten.startswith("And in Vietnam?")
    assert {"UNICEF", "child", "labour"} <= set(rewritten.split())
    assert "Indonesia" not in rewritten


def test_standalone_follow_up_and_empty_history_are_kept() -> None:
    standalone = "How many schools did the ministry of education build in 2019?"
    assert condense_deterministic(standalone, HISTORY) == standalone
    assert condense_deterministic("Why?", []) == "Why?"


def test_format_history_strips_markers_and_keeps_the_last_turns() -> None:
    history = [(f"q{i}", f"a{i} [1].") for i in range(5)]
    text = format_history(history, turns=2)
    assert text.splitlines() == ["User: q3", "Assistant: a3.", "User: q4", "Assistant: a4."]


def test_clean_rewrite() -> None:
    assert clean_rewrite('Standalone question: "And in Vietnam?"', "f") == "And in Vietnam?"
    assert clean_rewrite('"What about Vietnam?"', "f") == "What about Vietnam?"
    assert clean_rewrite("", "fallback") == "fallback"
    assert clean_rewrite("word " * 100, "fallback") == "fallback"


def test_a_rewrite_that_loses_the_conversations_subject_is_not_used() -> None:
    history = [("Which plan did Indonesia and UNICEF sign?", "The CPAP 2021-2025 [1].")]
    subject = subject_of("Who signed it?", history)
    assert {"~indonesia", "~unicef"} <= subject
    lost = "Who signed the final result of the research?"
    assert clean_rewrite(lost, "fallback", subject) == "fallback"
    kept = "Who signed the plan between Indonesia and UNICEF?"
    assert clean_rewrite(kept, "fallback", subject) == kept
    # a follow-up that names its own subject may be rewritten around it
    assert subject_of("Who signed it in Vietnam?", history) == frozenset()
