"""Citations: markers parsed, checked against the passages, attributed and renumbered."""

from __future__ import annotations

import pytest

from core.types import Chunk, Passage
from rag.citations import (
    attribute,
    check_and_attribute,
    content_terms,
    parse_markers,
    split_sentences,
    support,
)


def passage(text: str, source: str, language: str = "id", score: float = 0.03) -> Passage:
    chunk = Chunk(f"doc-{source}", source, "Title", "Abstrak", language, 0, len(text), text, 0)
    return Passage(chunk=chunk, score=score, dense_score=0.85)


CPAP = passage(
    "Pemerintah Indonesia dan UNICEF menandatangani Country Programme Action Plan (CPAP) "
    "2021-2025 untuk memerangi perdagangan anak.",
    "cpap.txt",
)
MOU = passage(
    "ECPAT Indonesia menandatangani nota kesepahaman dengan Polri pada tahun 2015 tentang "
    "modul pelatihan dan buku saku.",
    "ecpat.txt",
)
CRC = passage(
    "Vietnam meratifikasi Konvensi Hak Anak pada tahun 1990 sebagai negara pertama di Asia.",
    "vietnam.txt",
)
VIETNAM_EN = passage(
    "Vietnam ratified the Convention on the Rights of the Child in 1990, the first country in "
    "Asia to do so.",
    "vietnam-en.txt",
    language="en",
)
PASSAGES = [CPAP, MOU, CRC]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one [1] two", [1]),
        ("a [1, 2] b", [1, 2]),
        ("a [1][2] b [1]", [1, 2]),
        ("a [1-3] b", [1, 2, 3]),
        ("a [2–3]", [2, 3]),
        ("a [3; 1]", [3, 1]),
        ("no markers, [a] or [] here", []),
        ("a [1-500] range too wide", [1, 500]),
    ],
)
def test_parse_markers(text: str, expected: list[int]) -> None:
    assert parse_markers(text) == expected


def test_split_sentences_keeps_markers_and_abbreviations() -> None:
    text = "UNICEF helped Vietnam [1]. It passed Law No. 66 in 2011. [2] Then? Done!\n\n- item"
    assert split_sentences(text) == [
        "UNICEF helped Vietnam [1].",
        "It passed Law No. 66 in 2011. [2]",
        "Then?",
        "Done!",
        "- item",
    ]


def test_terms_meet_across_languages() -> None:
    english = content_terms("UNICEF fought child trafficking in Vietnam in 2017-2018.")
    indonesian = content_terms("UNICEF memerangi perdagangan anak di Vietnam tahun 2017-2018.")
    assert {"unicef", "vietnam", "child", "trafficking", "2017", "2018"} <= (
        english.all & indonesian.all
    )
    assert {"unicef", "vietnam", "2017"} <= english.strong


def test_missing_number_means_no_support() -> None:
    sentence = content_terms("ECPAT signed a memorandum with Polri in 2016.")
    assert support(sentence, content_terms(MOU.chunk.text)) == 0.0
    same_year = content_terms("ECPAT signed a memorandum with Polri in 2015.")
    assert support(same_year, content_terms(MOU.chunk.text)) > 0.5


def test_english_sentence_without_marker_is_attributed_to_indonesian_passage() -> None:
    answer = "The Government of Indonesia and UNICEF signed the CPAP 2021-2025."
    text, citations = check_and_attribute(answer, PASSAGES)
    assert text == "The Government of Indonesia and UNICEF signed the CPAP 2021-2025 [1]."
    assert [(c.n, c.source) for c in citations] == [(1, "cpap.txt")]
    assert citations[0].text == CPAP.chunk.text


def test_markers_renumbered_in_order_of_first_use() -> None:
    answer = "Vietnam ratified the CRC in 1990 [3]. ECPAT signed a MoU with Polri in 2015 [2]."
    text, citations = check_and_attribute(answer, PASSAGES)
    assert (
        text == "Vietnam ratified the CRC in 1990 [1]. ECPAT signed a MoU with Polri in 2015 [2]."
    )
    assert [c.source for c in citations] == ["vietnam.txt", "ecpat.txt"]
    assert [c.n for c in citations] == [1, 2]


def test_marker_to_unknown_passage_is_dropped_and_sentence_reattributed() -> None:
    answer = "ECPAT signed a MoU with Polri in 2015 [7]."
    text, citations = check_and_attribute(answer, PASSAGES)
    assert "[7]" not in text
    assert text.endswith("[1].")
    assert [c.source for c in citations] == ["ecpat.txt"]


def test_wrong_marker_moves_to_the_supporting_passage() -> None:
    # The model cited the CPAP passage for the ECPAT fact: the check catches it.
    answer = "ECPAT signed a MoU with Polri in 2015 [1]."
    text, citations = check_and_attribute(answer, PASSAGES)
    assert [c.source for c in citations] == ["ecpat.txt"]
    assert text == "ECPAT signed a MoU with Polri in 2015 [1]."


def test_merged_facts_are_not_dressed_up_with_a_citation() -> None:
    # A fact no passage states (another year, another actor) keeps no marker.
    answer = "UNICEF signed the MoU with Polri in 2016 [2]."
    result = attribute(answer, PASSAGES)
    assert result.citations == []
    assert result.supported == 0
    assert "[" not in result.text


def test_unsupported_sentence_stays_uncited_next_to_a_cited_one() -> None:
    answer = "Vietnam ratified the CRC in 1990 [3]. I hope this helps you a lot."
    text, citations = check_and_attribute(answer, PASSAGES)
    assert text == "Vietnam ratified the CRC in 1990 [1]. I hope this helps you a lot."
    assert len(citations) == 1


def test_several_valid_markers_on_one_sentence_are_kept() -> None:
    answer = "Vietnam was the first country in Asia to ratify the convention in 1990 [1, 2]."
    text, citations = check_and_attribute(answer, [CRC, VIETNAM_EN])
    assert text.endswith("[1][2].")
    assert [c.source for c in citations] == ["vietnam.txt", "vietnam-en.txt"]


def test_every_marker_in_the_text_refers_to_a_citation() -> None:
    answer = (
        "The CPAP 2021-2025 was signed by Indonesia and UNICEF [2][5]. "
        "ECPAT and Polri agreed on training modules in 2015 [1-3]. Unrelated words here [4]."
    )
    text, citations = check_and_attribute(answer, PASSAGES)
    numbers = {c.n for c in citations}
    assert set(parse_markers(text)) == numbers
    assert numbers == set(range(1, len(citations) + 1))


def test_indonesian_answer_cites_indonesian_passage() -> None:
    answer = "ECPAT Indonesia menandatangani nota kesepahaman dengan Polri pada tahun 2015."
    text, citations = check_and_attribute(answer, PASSAGES)
    assert text.endswith("2015 [1].")
    assert citations[0].source == "ecpat.txt"


def test_deterministic() -> None:
    answer = "Vietnam ratified it in 1990. ECPAT signed with Polri in 2015. UNICEF CPAP 2021-2025."
    first = check_and_attribute(answer, PASSAGES)
    assert all(check_and_attribute(answer, PASSAGES) == first for _ in range(3))


def test_no_passages_no_citations() -> None:
    text, citations = check_and_attribute("Something [1].", [])
    assert citations == []
    assert text == "Something."
