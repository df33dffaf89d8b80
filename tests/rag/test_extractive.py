"""The no-LLM answer quotes the best evidence (rag.extractive)."""

from __future__ import annotations

from rag.evidence import candidates, choose
from rag.extractive import quote
from rag.question import analyse
from tests.rag.passages import CPAP, ECPAT, VIETNAM


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
