"""The one sentence rule (core.text.sentences), for documents and answers alike."""

from __future__ import annotations

import pytest

from core.text.sentences import (
    all_sentence_spans,
    ends_with_abbreviation,
    paragraph_spans,
    sentence_spans,
    split_sentences,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UNICEF acted at once. ECPAT did too.", ["UNICEF acted at once.", "ECPAT did too."]),
        ("Two words. Then more words here.", 1),  # a one- or two-word "sentence" is a label
        ("Menurut Robert O. Keohane kolaborasi berhasil. Lalu gagal.", 2),
        ("Lihat UU No. 23 Tahun 2002 tentang anak. Itu berlaku.", 2),
        ("Dikutip dari Smith dkk. (2019) yang meneliti anak. Hasilnya jelas.", 2),
        ("Gambar 1. Presentase kasus per tahun di Indonesia.", 1),
        ("(Broussard, Caroline. 2003) mencatat hal ini.", 1),
        ("It rose in 2019. 2020 was worse.", 2),
        ("lowercase after a stop. keeps one sentence", 1),
    ],
)
def test_sentence_ends(text: str, expected: list[str] | int) -> None:
    found = split_sentences(text)
    if isinstance(expected, int):
        assert len(found) == expected, found
    else:
        assert found == expected


def test_markers_after_the_full_stop_stay_with_their_sentence() -> None:
    assert split_sentences("The first claim. [2] The second claim [1].") == [
        "The first claim. [2]",
        "The second claim [1].",
    ]


def test_a_line_break_ends_a_paragraph_and_its_sentence() -> None:
    text = "Judul Tanpa Titik\nKalimat pertama di sini. Kalimat kedua.\n\n1. butir daftar"
    assert [text[s:e] for s, e in paragraph_spans(text)] == [
        "Judul Tanpa Titik",
        "Kalimat pertama di sini. Kalimat kedua.",
        "1. butir daftar",
    ]
    assert [text[s:e] for s, e in all_sentence_spans(text)] == [
        "Judul Tanpa Titik",
        "Kalimat pertama di sini.",
        "Kalimat kedua.",
        "1. butir daftar",
    ]


def test_spans_are_exact_offsets_of_one_paragraph() -> None:
    text = "  Satu dua tiga.   Empat lima enam.  "
    spans = sentence_spans(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == ["Satu dua tiga.", "Empat lima enam."]


def test_abbreviations() -> None:
    assert ends_with_abbreviation("diatur dalam UU No.")
    assert ends_with_abbreviation("Smith dkk.")
    assert not ends_with_abbreviation("the end.")
