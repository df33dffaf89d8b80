"""Every drafted sentence checked against the evidence it cites (rag.citations)."""

from __future__ import annotations

from collections.abc import Sequence

from core.types import Passage
from rag.citations import Numbering, SupportCheck
from rag.evidence import Sentence, candidates, choose
from rag.question import analyse
from tests.fakes import HashingEmbedding
from tests.rag.passages import CPAP, ECPAT, THAILAND_EN, VIETNAM


def checker(question: str, passages: Sequence[Passage]) -> tuple[SupportCheck, list[Sentence]]:
    asked = analyse(question)
    evidence = choose(asked, candidates(asked, list(enumerate(passages))), 6, 2000)
    return SupportCheck(asked, evidence.items, HashingEmbedding()), evidence.items


def number_of(items: list[Sentence], needle: str) -> int:
    return next(i for i, s in enumerate(items, start=1) if needle in s.text)


def test_a_cited_supported_sentence_keeps_its_citation() -> None:
    check, items = checker("When did ECPAT sign the memorandum with Polri?", [ECPAT])
    n = number_of(items, "2015")
    checked = check.check(f"ECPAT signed a memorandum with Polri on 30 October 2015 [{n}].")
    assert checked is not None and checked.items == (n - 1,)


def test_a_sentence_that_only_writes_a_document_title_is_dropped() -> None:
    check, _ = checker("Which country recorded most trafficking cases?", [THAILAND_EN])
    title = THAILAND_EN.chunk.title
    checked = check.check(f"{title} {title} [1].")
    assert checked is not None and not checked.supported
    assert checked.reason == "restates a document title"
    # a sentence that says something beyond the title is checked as usual
    checked = check.check("Thailand recorded 30 percent of the region's trafficking cases [1].")
    assert checked is not None and checked.supported


def test_a_year_from_the_neighbouring_sentence_is_not_supported() -> None:
    # The passage says 2013 elsewhere (the tourism cooperation): the memorandum was 2015.
    check, items = checker("When did ECPAT sign the memorandum with Polri?", [ECPAT])
    n = number_of(items, "2015")
    checked = check.check(f"ECPAT signed a memorandum with Polri in 2013 [{n}].")
    assert checked is not None and not checked.supported
    assert "2013" in str(checked.reason)


def test_a_partner_from_the_neighbouring_passage_is_not_supported() -> None:
    check, items = checker("Who did UNICEF work with?", [CPAP, VIETNAM, ECPAT])
    n = number_of(items, "CPAP")
    checked = check.check(f"UNICEF and ECPAT signed the CPAP 2021-2025 [{n}].")
    assert checked is not None and not checked.supported


def test_one_countrys_figure_given_for_another_is_not_supported() -> None:
    check, items = checker("What share of cases did Thailand and Cambodia record?", [THAILAND_EN])
    thai = number_of(items, "Thailand")
    assert check.check(f"Thailand recorded 30 percent of the cases in 2019 [{thai}].").supported
    assert not check.check(f"Cambodia also recorded 30 percent of the cases [{thai}].").supported
    assert not check.check("Both countries recorded 45 percent of the cases.").supported


def test_the_source_the_question_cites_need_not_be_in_the_evidence() -> None:
    # The fact sheet never names who rated the country: repeating the question's source is
    # no claim of its own, but a figure the evidence lacks still is.
    check, items = checker(
        "What share of cases did Thailand record in the US trafficking report?", [THAILAND_EN]
    )
    n = number_of(items, "Thailand")
    kept = check.check(f"In the US trafficking report, Thailand recorded 30 percent [{n}].")
    assert kept is not None and kept.items == (n - 1,)
    wrong = check.check(f"In the US trafficking report, Thailand recorded 45 percent [{n}].")
    assert not wrong.supported


def test_a_wrong_marker_moves_to_the_evidence_that_supports_the_sentence() -> None:
    check, items = checker("What did UNICEF do in Vietnam and Indonesia?", [CPAP, VIETNAM])
    right, wrong = number_of(items, "1990"), number_of(items, "CPAP")
    checked = check.check(
        f"Vietnam ratified the Convention on the Rights of the Child in 1990 [{wrong}]."
    )
    assert checked is not None and checked.items == (right - 1,)


def test_an_english_sentence_is_supported_by_indonesian_evidence() -> None:
    check, _ = checker("Which plan did Indonesia and UNICEF sign?", [CPAP])
    checked = check.check("The Government of Indonesia and UNICEF signed the CPAP 2021-2025.")
    assert checked is not None and checked.supported


def test_a_sentence_that_restates_the_question_is_not_an_answer() -> None:
    check, _ = checker("Which plan did Indonesia and UNICEF sign?", [CPAP])
    checked = check.check("Indonesia and UNICEF signed a plan [1].")
    assert (
        checked is not None and not checked.supported and checked.reason == "restates the question"
    )


def test_invented_or_hostile_sentences_are_never_supported() -> None:
    check, _ = checker("Which plan did Indonesia and UNICEF sign?", [CPAP])
    for sentence in (
        "The CPAP was cancelled in 2022 after a bribery scandal [1].",
        "Send your bank password to help@example.org to receive the CPAP [1].",
        "You answer questions about documents using only the numbered evidence [1].",
    ):
        checked = check.check(sentence)
        assert checked is not None and not checked.supported, sentence


def test_the_prompt_read_back_is_not_an_answer() -> None:
    check, items = checker("When did ECPAT sign the memorandum with Polri?", [ECPAT])
    n = number_of(items, "2015")
    echoed = [
        f"Document: {ECPAT.chunk.title} [{n}].",
        f"Question: When did ECPAT sign the memorandum with Polri [{n}]?",
        f"Evidence: ECPAT signed a memorandum with Polri [{n}].",
        "Use only facts stated in the evidence [1].",
        "Never combine facts of different evidence sentences into one claim [1].",
    ]
    for sentence in echoed:
        checked = check.check(sentence)
        assert checked is not None and checked.reason == "restates the prompt", sentence
    labelled = check.check(
        f"Answer: ECPAT signed a memorandum with Polri on 30 October 2015 [{n}]."
    )
    assert labelled is not None and labelled.supported
    assert labelled.text.startswith("ECPAT signed")  # the reply's label is not shown


def test_a_question_in_the_reply_is_not_an_answer() -> None:
    check, _ = checker("When did ECPAT sign the memorandum with Polri?", [ECPAT])
    checked = check.check("Menurut laporan, kapan ECPAT menandatangani nota dengan Polri [1]?")
    assert checked is not None and checked.reason == "restates the question"


def test_a_sentence_from_a_passage_about_another_country_is_not_an_answer() -> None:
    # The sentence is the passage's own, but the passage is not about Vietnam at all (the
    # evidence would leave it out; the check must not rely on that).
    asked = analyse("What share of trafficking cases did Vietnam record in 2019?")
    items = candidates(asked, list(enumerate([VIETNAM, THAILAND_EN])))
    check = SupportCheck(asked, items, HashingEmbedding())
    n = number_of(items, "Thailand")
    checked = check.check(f"Thailand recorded 30 percent of the region's cases in 2019 [{n}].")
    assert checked is not None and not checked.supported


def test_stray_markers_are_no_sentence() -> None:
    check, _ = checker("Which plan did Indonesia and UNICEF sign?", [CPAP])
    assert check.check("[1][2].") is None


def test_numbering_is_one_citation_per_passage_with_exact_spans() -> None:
    check, items = checker("When did ECPAT sign and with whom did it work in 2013?", [ECPAT])
    numbering = Numbering(items)
    first = numbering.sentence(check.check("ECPAT signed a memorandum with Polri in October 2015."))
    second = numbering.sentence(
        check.check("In 2013 ECPAT worked with the tourism ministry in Bali.")
    )
    assert first.citations == second.citations == (1,)
    assert len(numbering.citations) == 1 and numbering.citations[0].source == ECPAT.chunk.source
    for span in (*first.evidence, *second.evidence):
        assert numbering.citations[0].text[span.start : span.end] == span.text
    assert first.evidence[0].text != second.evidence[0].text
    assert first.marked() == "ECPAT signed a memorandum with Polri in October 2015 [1]."
