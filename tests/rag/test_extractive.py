"""The no-LLM answer quotes the best evidence (rag.extractive)."""

from __future__ import annotations

from dataclasses import replace

from rag.evidence import candidates, choose
from rag.extractive import quote
from rag.question import analyse
from tests.rag.passages import CPAP, ECPAT, VIETNAM, passage


def test_quotes_the_sentence_that_answers() -> None:
    asked = analyse("When did ECPAT sign the memorandum with Polri?")
    evidence = choose(asked, candidates(asked, [(0, ECPAT), (1, CPAP)]), 4, 900)
    quoted = quote(evidence)
    assert 1 <= len(quoted) <= 2
    assert any("30 Oktober 2015" in c.text for c in quoted)
    for checked in quoted:  # each quote is an evidence sentence, cited as itself
        [item] = checked.items
        assert evidence.items[item].text == checked.text


def test_quotes_in_reading_order_and_nothing_without_evidence() -> None:
    asked = analyse("Apa yang dilakukan UNICEF terhadap perdagangan anak?")
    evidence = choose(asked, candidates(asked, [(0, CPAP), (1, VIETNAM)]), 4, 900)
    items = [i for c in quote(evidence) for i in c.items]
    assert items == sorted(items)
    assert quote(choose(asked, [], 4, 900)) == []


def test_a_question_asking_two_things_quotes_the_answer_to_each() -> None:
    camps = passage(
        "Refugees from the border provinces live in camps near the river run by the Royal "
        "Army. That one opened in March 2019.",
        "camps.txt",
        language="en",
    )
    asked = analyse("Who runs the camps near the river, and when did the first one open?")
    evidence = choose(asked, candidates(asked, [(0, camps)]), 4, 900)
    assert [s.text[:8] for s in evidence.for_parts] == ["Refugees", "That one"]
    # Scored on the whole question, another sentence about the camps may outscore the date.
    guards = replace(evidence.items[0], text="Soldiers of the Royal Army guard the camps.")
    evidence.items = [
        replace(evidence.items[0], score=0.9),
        replace(guards, score=0.85),
        replace(evidence.items[1], score=0.4),
    ]
    evidence.for_parts = [evidence.items[0], evidence.items[2]]
    quoted = [c.text for c in quote(evidence)]
    assert quoted == [evidence.items[0].text, "That one opened in March 2019."]


def test_quotes_the_two_best_items() -> None:
    """Every item already scores near the best (``rag.evidence.RELATIVE_CUTOFF``): the
    second best is quoted even well below the best, the third is not."""
    asked = analyse("Apa yang dilakukan UNICEF terhadap perdagangan anak?")
    evidence = choose(asked, candidates(asked, [(0, CPAP), (1, VIETNAM)]), 4, 900)
    assert len(evidence.candidates) >= 3
    scores = [0.62, 1.0, 0.65]
    chosen = evidence.candidates[:3]
    evidence.items = [replace(s, score=v) for s, v in zip(chosen, scores, strict=True)]
    assert [c.items for c in quote(evidence)] == [(1,), (2,)]
