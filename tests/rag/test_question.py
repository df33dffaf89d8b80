"""What a question asks for (rag.question)."""

from __future__ import annotations

import pytest

from rag.question import analyse


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("When did ECPAT sign the MoU?", ("date",)),
        ("Kapan ECPAT menandatangani MoU?", ("date",)),
        ("Tahun berapa Vietnam meratifikasi konvensi itu?", ("date",)),
        ("How many cases did KPAI record?", ("number",)),
        ("Berapa jumlah kasus pada tahun 2020?", ("number",)),
        ("Which agencies worked with UNICEF?", ("name",)),
        ("Siapa penulis penelitian ini?", ("name",)),
        ("Where and in which year was the conference held?", ("date", "place")),
        ("Mengapa kasus perdagangan anak meningkat?", ("reason",)),
        ("What did UNICEF do in Vietnam?", ()),
    ],
)
def test_answer_kinds(question: str, wants: tuple[str, ...]) -> None:
    assert analyse(question).wants == wants


def test_names_and_years_are_what_evidence_must_hold() -> None:
    asked = analyse("Berapa kasus perdagangan anak di Filipina pada tahun 2020?")
    assert asked.names == {"~philippines"} and asked.years == {"2020"}
    assert asked.language == "id"


def test_a_source_attribution_is_not_what_the_question_is_about() -> None:
    asked = analyse("According to the World Factbook, how many people live in Brunei?")
    assert "~world factbook" not in asked.terms.all
    assert "~brunei" in asked.names
    assert analyse("Menurut laporan KPAI, berapa kasus di Aceh?").names == {"~aceh"}


def test_a_decade_is_not_a_year_the_evidence_must_hold() -> None:
    assert analyse("Why did Zimbabweans leave in the 1990s and in 2008?").years == {"2008"}
    assert analyse("Mengapa emigrasi pada 1990-an dan 2000-an?").years == frozenset()


def test_the_publisher_of_a_cited_source_is_not_what_the_question_is_about() -> None:
    asked = analyse("What is Burkina Faso's rating in the US trafficking report?")
    assert asked.names == {"~burkina faso"}
    assert "~trafficking" in asked.terms.all  # the rest of the phrase still counts
    # a question about the publisher's own report keeps it: nothing else is named
    assert analyse("What is new in the US trafficking report?").names == {"~united states"}


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("Berapa persen penduduk yang hidup di bawah garis kemiskinan?", {"percent"}),
        ("What share of the population lives below the poverty line?", {"percent"}),
        ("How much did the premium cost in rupiah?", {"rupiah"}),
        ("Berapa hektare hutan yang hilang setiap tahun?", {"hectare"}),
        ("How many people earn less than 2 dollars a day?", set()),  # a count of people
        ("When did the premium rise by 20 percent?", set()),  # not a number question
        ("How much waste is produced, and what percentage is recycled?", set()),  # per part
    ],
)
def test_the_unit_a_number_question_wants(question: str, units: set[str]) -> None:
    assert analyse(question).units == units


def test_focus_is_what_the_question_word_asks_about() -> None:
    assert "~method" in analyse("Metode penelitian apa yang digunakan?").focus
    assert "~program" in analyse("Which programme did UNICEF start in Vietnam?").focus


def test_a_question_that_asks_two_things_has_two_parts() -> None:
    from rag.question import question_parts

    assert question_parts("How many shelters did the ministry open, and in which year?") == (
        "How many shelters did the ministry open",
        "in which year?",
    )
    assert question_parts("Berapa korban yang dicatat polisi dan siapa pelakunya?") == (
        "Berapa korban yang dicatat polisi",
        "siapa pelakunya?",
    )
    # one question: "and" joins two things asked about, or follows a bare question word
    assert question_parts("Which provinces and cities run shelters?") == ()
    assert question_parts("Where and when did the conference take place?") == ()


def test_a_part_keeps_the_names_of_the_whole_question() -> None:
    from rag.question import part_question

    whole = analyse("How many shelters did UNICEF fund in Vietnam, and when did it start?")
    second = part_question(whole, whole.parts[1])
    assert second.wants == ("date",) and whole.names <= second.names <= second.terms.all


def test_a_part_that_names_its_own_country_asks_about_that_one() -> None:
    from rag.question import part_question

    whole = analyse(
        "Berapa jumlah pengungsi internal di Burkina Faso, dan berapa pengungsi asal Mali?"
    )
    first, second = (part_question(whole, part) for part in whole.parts)
    assert first.names == {"~burkina faso"} and "~mali" not in first.terms.all
    assert second.names == {"~mali"}


def test_an_age_is_a_number_asked_for_and_not_what_is_counted() -> None:
    for text in ("How old are the suspect and the victim?", "At what age may girls marry?"):
        question = analyse(text)
        assert question.wants == ("number",) and "~age" not in question.focus


def test_a_question_joins_two_things_it_asks_about() -> None:
    assert analyse("How many schools get tablets through BOS Kinerja and BOS Afirmasi?").joins
    assert analyse("Berapa angka pengangguran laki-laki dan perempuan?").joins
    assert analyse("How many shelters opened, and in which year?").joins  # two parts
    assert not analyse("How many Tunisians migrated to Italy in 2022?").joins


def test_questions_that_count_repetitions() -> None:
    assert analyse("For how many years in a row has it been on the list?").counts_repeats
    assert analyse("Sudah berapa kali banjir terjadi tahun ini?").counts_repeats
    assert not analyse("How many refugees live in the camps?").counts_repeats


def test_a_yes_no_question_joined_by_a_comma_is_a_part_of_its_own() -> None:
    from rag.question import question_parts

    assert question_parts(
        "Which police station is handling the case, and did the examination find injuries?"
    ) == ("Which police station is handling the case", "did the examination find injuries?")
    # without the comma, "and is" goes on the same question
    assert question_parts("Which groups are affected and is the law enforced?") == ()


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("How much is the monthly JKN premium for a class 1 member?", True),
        ("Berapa total gaji Ranti yang tidak dibayarkan?", True),
        ("How much did the government inject to cover the deficit?", True),
        ("Berapa guru honorer yang berharap diangkat?", False),
        ("Who manages the village funds?", False),  # no number asked for
    ],
)
def test_a_question_for_an_amount_of_money_is_told(question: str, money: bool) -> None:
    assert analyse(question).money is money
