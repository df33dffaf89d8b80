"""Claims of a sentence and the facts of evidence (core.text.claims)."""

from __future__ import annotations

import pytest

from core.text.claims import claims_of, facts_of, measures_of, number_mentions, unsupported


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("1.2 million children", "sekitar 1,2 juta anak"),
        ("1,200,000 children", "1,2 juta anak"),
        ("2.500 desa", "2,500 villages"),
        ("20% of them", "20 persen dari mereka"),
        ("Rp25.500 a month", "iuran Rp 25.500 per bulan"),  # a price written unspaced
        ("two agencies", "dua lembaga"),  # no digits claimed: nothing to miss
        ("in 2015", "pada tahun 2015"),
        ("from 2021 to 2025", "CPAP 2021-2025"),
        ("bertambah 4 kali sejak 1956", "the population grew almost fourfold since 1956"),
    ],
)
def test_a_number_is_stated_in_the_other_language(claim: str, evidence: str) -> None:
    assert unsupported(claims_of(claim), facts_of(evidence), same_language=False) == []


@pytest.mark.parametrize(
    ("claim", "evidence", "missing"),
    [
        ("ECPAT signed it in 2013.", "ECPAT menandatanganinya pada 2015.", ["2013"]),
        ("It cost 2.4 billion dollars.", "Pendanaan sebesar 2.4 juta dolar.", ["2.4"]),
        ("Vietnam had 30% too.", "Thailand mencatat 30 persen kasus.", ["~vietnam"]),
        ("UNICEF did it in October.", "UNICEF melakukannya pada bulan Juli.", ["~month:10"]),
    ],
)
def test_a_claim_the_evidence_does_not_state(claim: str, evidence: str, missing: list[str]) -> None:
    assert unsupported(claims_of(claim), facts_of(evidence), same_language=False) == missing


def test_proper_names_count_only_within_one_language() -> None:
    claims = claims_of("ECPAT hosted the Southeast Asian Roundtable in Bali.")
    facts = facts_of("ECPAT menjadi tuan rumah Meja Bundar Asia Tenggara di Bali.")
    assert unsupported(claims, facts, same_language=False) == []
    assert unsupported(claims, facts, same_language=True) == sorted(claims.proper) != []


def test_list_enumerators_and_name_digits_are_not_numbers() -> None:
    values = [m.value for m in number_mentions("(1) alat, (2) arena; COVID-19 pada 2020")]
    assert values == ["2020"]


def test_markers_are_not_numbers() -> None:
    assert claims_of("UNICEF helped [2].").numbers == ()


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("iuran sebesar Rp25.500 per bulan", {"rupiah"}),
        ("naik 65 persen", {"percent"}),
        ("Land use - forest: 37.2%", {"percent"}),
        ("area: 5,000 sq km", {"kilometre"}),
        ("1.2 juta ton beras", {"tonne"}),  # a scale is no unit
        ("US$ 3 million", {"dollar"}),
        ("389 orang wisatawan", set()),  # what a count counts is no unit either
    ],
)
def test_the_units_a_text_measures_figures_in(text: str, units: set[str]) -> None:
    assert measures_of(text) == units


def test_a_year_is_four_digits_written_plain() -> None:
    years = {m.value: m.is_year for m in number_mentions("2.000 guru pada 2019; 2 ribu orang")}
    assert years == {"2000": False, "2019": True}


def test_a_month_named_in_the_answer_is_stated_by_a_date_in_digits() -> None:
    """ "It was signed on 16 September 2019" rests on "Senin (16/9/2019)"; August does not."""
    evidence = facts_of("Kesepakatan itu ditandatangani di Jakarta, Senin (16/9/2019).")
    assert unsupported(claims_of("It was signed on 16 September 2019."), evidence, False) == []
    assert unsupported(claims_of("It was signed on 16 August 2019."), evidence, False) == [
        "~month:8"
    ]


def test_a_number_in_brackets_counts_unless_it_numbers_a_list() -> None:
    """A fact sheet's year "(2021)" and a dateline's day "(16/9/2019)" are claims; the
    enumerators "(1)", "(2)" of a list are not."""
    assert [m.value for m in number_mentions("IDPs: 17,000 (2021)")] == ["17000", "2021"]
    assert number_mentions("IDPs: 17,000 (2021)")[1].is_year
    assert [m.raw for m in number_mentions("Senin (16/9/2019)")] == ["16", "9", "2019"]
    assert number_mentions("(1) pendidikan dan (2) kesehatan") == []


def test_an_age_in_brackets_after_a_name_is_a_number() -> None:
    """Indonesian news give ages so: "pelaku berinisial GL (35)", "korban LB (30)"."""
    assert [m.value for m in number_mentions("pelaku berinisial GL (35) warga desa")] == ["35"]
    assert [m.value for m in number_mentions("Sementara korban berinisial LB (30).")] == ["30"]


def test_numbers_joined_by_a_slash_are_marked_and_years_stay_years() -> None:
    mentions = number_mentions("Senin (16/9/19) ada 2.000 guru; UU 35/2014 berlaku.")
    assert [(m.raw, m.slashed) for m in mentions] == [
        ("16", True),
        ("9", True),
        ("19", True),
        ("2000", False),
        ("35", True),
        ("2014", True),
    ]
    assert [m.raw for m in mentions if m.is_year] == ["2014"]
