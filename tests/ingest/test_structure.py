from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ingest.clean import clean_text
from ingest.structure import (
    Section,
    detect_title,
    known_heading,
    split_sections,
    title_from_filename,
)

EXPECTED_TITLES = {
    "indonesia-unicef-child-economic-exploitation-2016-2020.txt": (
        "Implementasi Kerja Sama Indonesia dan UNICEF dalam Mengatasi Eksplorasi Ekonomi Anak "
        "di Indonesia Tahun 2016 - 2020"
    ),
    "indonesia-unicef-cyber-sexual-violence-2016-2020.txt": (
        "KERJA SAMA INDONESIA DAN UNICEF DALAM MENGATASI KEKERASAN SEKSUAL PADA ANAK BERBASIS "
        "SIBER TAHUN 2016-2020"
    ),
    "unicef-child-trafficking-indonesia-2021-2023.txt": (
        "PERAN UNITED NATIONS CHILDREN'S FUND (UNICEF) DALAM MENGATASI KASUS PERDAGANGAN ANAK DI "
        "INDONESIA TAHUN 2021-2023"
    ),
    # These two start at "Abstract"/"Abstrak": no title in the text, the file name stands in.
    "indonesia-ecpat-child-trafficking.txt": "Indonesia Ecpat Child Trafficking",
    "unicef-child-trafficking-vietnam-2017-2020.txt": "Unicef Child Trafficking Vietnam 2017-2020",
}


def _cleaned(corpus_dir: Path, name: str) -> str:
    return clean_text((corpus_dir / name).read_text(), markdown=True)


@pytest.mark.parametrize("name", sorted(EXPECTED_TITLES))
def test_corpus_titles(corpus_dir: Path, name: str) -> None:
    assert detect_title(_cleaned(corpus_dir, name), None, name) == EXPECTED_TITLES[name]


def test_title_hint_used_when_text_has_no_title() -> None:
    text = "Abstract\n\nThis study examines UNICEF.\n\nPendahuluan\n\nIsi."
    assert detect_title(text, "UNICEF in Vietnam", "x.pdf") == "UNICEF in Vietnam"
    assert detect_title(text, "Microsoft Word - draft3.docx", "my_report-2020.pdf") == (
        "My Report 2020"
    )
    assert detect_title(text) == "Untitled"


def test_title_from_filename() -> None:
    assert title_from_filename("unicef-child-trafficking-vietnam-2017-2020.pdf") == (
        "Unicef Child Trafficking Vietnam 2017-2020"
    )
    assert title_from_filename("laporan_tahunan.docx") == "Laporan Tahunan"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("ABSTRAK", "ABSTRAK"),
        (" Abstract ", "Abstract"),
        ("Abstrak:", "Abstrak"),
        ("Kata Kunci: Kerja Sama, Indonesia, UNICEF", "Kata Kunci"),
        ("Kata kunci: UNICEF, organisasi internasional", "Kata kunci"),
        ("Keywords: Cooperation, Indonesia", "Keywords"),
        ("Pendahuluan", "Pendahuluan"),
        ("1. Pendahuluan", "1. Pendahuluan"),
        ("I. PENDAHULUAN", "I. PENDAHULUAN"),
        ("2. Metode Penelitian", "2. Metode Penelitian"),
        ("Metodologi", "Metodologi"),
        ("Hasil dan Pembahasan", "Hasil dan Pembahasan"),
        ("5. Kesimpulan", "5. Kesimpulan"),
        ("Conclusion", "Conclusion"),
        ("DAFTAR PUSTAKA", "DAFTAR PUSTAKA"),
        ("References", "References"),
        ("Introduction", "Introduction"),
    ],
)
def test_known_headings(line: str, name: str) -> None:
    assert known_heading(line) == name


@pytest.mark.parametrize(
    "line",
    [
        "Hasil penelitian ini menunjukkan bahwa kerja sama belum optimal.",
        "Pendahuluan ini menjelaskan latar belakang masalah.",
        "2. Meningkatkan kerangka hukum dan peraturan tentang perlindungan anak",
        "The results of this research show the cooperation.",
    ],
)
def test_sentences_are_not_headings(line: str) -> None:
    assert known_heading(line) is None


def _names(text: str) -> list[str]:
    return [s.name for s in split_sections(text)]


def test_sections_cover_text_contiguously(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        text = clean_text(path.read_text(), markdown=True)
        sections = split_sections(text)
        assert sections[0].start == 0
        assert sections[-1].end == len(text)
        for left, right in itertools.pairwise(sections):
            assert left.end == right.start
            assert left.start < left.end


def test_abstract_sections_in_every_corpus_file(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        names = {n.upper() for n in _names(clean_text(path.read_text(), markdown=True))}
        assert "ABSTRAK" in names, path.name
        assert "ABSTRACT" in names, path.name


def test_vietnam_sections_and_list_items(corpus_dir: Path) -> None:
    names = _names(_cleaned(corpus_dir, "unicef-child-trafficking-vietnam-2017-2020.txt"))
    assert names == [
        "Abstrak",
        "Abstract",
        "1. Pendahuluan",
        "2. Metode Penelitian",
        "3. Hasil",
        "4. Pembahasan",
        "4.1 Kebijakan Pemerintah Vietnam dalam menanggulangi Child Trafficking",
        "4.2 Intervensi UNICEF sebagai Mitra Pemerintah Vietnam",
        "4.3 Implementasi The Child Protection Programme di Vietnam",
        "5. Kesimpulan",
    ]


def test_ecpat_sections(corpus_dir: Path) -> None:
    names = _names(_cleaned(corpus_dir, "indonesia-ecpat-child-trafficking.txt"))
    assert names == [
        "Abstract",
        "Abstrak",
        "Kata Kunci",
        "Pendahuluan",
        "Metode Penelitian",
        "Hasil dan Pembahasan",
        "Kesimpulan",
    ]


def test_short_paper_sections(corpus_dir: Path) -> None:
    text = _cleaned(corpus_dir, "indonesia-unicef-child-economic-exploitation-2016-2020.txt")
    sections = split_sections(text)
    assert [s.name for s in sections] == ["Title", "ABSTRAK", "Kata Kunci", "ABSTRACT", "Keywords"]
    keywords = sections[2]
    assert text[keywords.start : keywords.end].startswith("Kata Kunci: Kerja Sama, Indonesia")


def test_numbered_list_is_not_a_heading_sequence() -> None:
    text = (
        "1. Pendahuluan\n\nTeks pembuka.\n\n"
        "1. Menggunakan laporan berkala untuk kebijakan.\n\n"
        "2. Peningkatan Sistem Perlindungan Anak\n\n"
        "Isi paragraf.\n\n2. Metode\n\nIsi metode."
    )
    # "2. Peningkatan Sistem Perlindungan Anak" reads like a heading and comes next in
    # sequence, so it opens a section; the list item before it does not.
    assert _names(text) == [
        "1. Pendahuluan",
        "2. Peningkatan Sistem Perlindungan Anak",
        "2. Metode",
    ]


def test_text_without_headings() -> None:
    text = "Just a paragraph of text.\n\nAnother one."
    assert split_sections(text) == [Section("Title", 0, len(text))]
    assert split_sections("") == [Section("", 0, 0)]
