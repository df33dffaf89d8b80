from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean_text

# Short real excerpts of the sample corpus, damage included.
DOUBLE_SPACED = (
    " Pendahuluan \n\nerdasarkan pengamatan Program Informasi Internasional \n\n"
    "Departemen Luar Negeri Amerika Serikat (2004) disebutkan bahwa \n\n"
    "perdagangan anak dan perempuan merupakan bentuk kejahatan \n\n"
    "terorganisasi terbesar ketiga di dunia, setelah narkoba dan senjata (Menteri \n\n"
    "Koordinator Kesejahteraan Rakyat: Republik Indonesia, 2003). Perserikatan \n\n"
    "Bangsa-Bangsa menyebutkan perdagangan perempuan dan anak (human \n\n"
    "trafficking) menghasilkan $7 miliar per tahun, dan sekitar dua juta orang \n\n"
    "diperdagangkan setiap tahunnya. Saat ini terdapat 40.000 hingga 70.000 \n\n"
    "perempuan dan anak di Indonesia saja. \n\n"
    "Pertama, menurut Kantor PBB untuk Pengendalian Narkoba dan \n\n"
    "Pencegahan Kejahatan, perdagangan anak dan perempuan terkait dengan \n\n"
    "kelompok kejahatan transnasional lainnya. \n\n"
    " \n\nHasil dan Pembahasan \n\nPerdagangan Anak \n\n"
    "Perdagangan orang adalah kegiatan pengiriman tenaga kerja. \n"
)

RUNNING_HEADER = (
    "e) Personal Security (Keamanan Publik), ancamanya termasuk berbagai bentuk \n"
    "kekerasan, serta penganiayaan baik dari dalam maupun luar, predatory adultss \n"
    "(preman), faktor individu maupun sub \u2013negara, dan penguasa. \n\n\n\n"
    "Sang Pencerah: Jurnal Ilmiah Universitas Muhammadiyah Buton Dwi Okta. 8(4): 924-938 \n"
    " \n\n 929  \n \n\n"
    "f) Community Security (Keamanan Masyarakat), ancamanya terhadap integritas \n"
    "keanekaragaman budaya, melindungi manusia dari diskriminasi etnis. \n"
)

SINGLE_SPACED_ABSTRACT = (
    " Abstract \n"
    "very year there are more and more cases of child trafficking in \n"
    "Indonesia. Like their various motives for entering into the world of \n"
    "prostitution and others, in this case the Indonesian government has \n\n"
    "certainly collaborated with ECPAT as the organization that manages \n"
    "commercial sexual exploitation in Indonesia. According to Robert O. \n"
    "Keohane and Robert Axelrod that the success of a collaboration depends. \n"
    " Abstrak \n\n"
    "alam setiap tahunnya kasus child trafficking semakin banyak di \n"
    "antar aktor dalam kerjasama pemerintah Indonesia dan ECPAT. \n"
    "Kata Kunci: Pemerintah Indonesia, ECPAT, Perdagangan Anak  \n"
)

MARKDOWN_TITLE = (
    "\n\n**KERJA SAMA INDONESIA DAN UNICEF DALAM MENGATASI\n"
    "KEKERASAN SEKSUAL PADA ANAK BERBASIS SIBER TAHUN 2016-\n2020**\n\nABSTRAK\n\n"
    "Fenomena ini memberikan ancaman akibat dari dampak *spillover* bagi negara, "
    "melalui *Country Program Action Plan* (CPAP).\n\n"
    "Keywords: *Cooperation, Indonesia, UNICEF, Economic exploitation of children, CPAP*"
)


def test_double_spaced_lines_are_joined_and_headings_kept() -> None:
    cleaned = clean_text(DOUBLE_SPACED)
    paragraphs = cleaned.split("\n\n")
    assert paragraphs[0] == "Pendahuluan"
    assert paragraphs[1].startswith(
        "erdasarkan pengamatan Program Informasi Internasional Departemen Luar Negeri "
        "Amerika Serikat (2004) disebutkan bahwa perdagangan anak"
    )
    assert "(human trafficking) menghasilkan $7 miliar" in paragraphs[1]
    assert "Bangsa-Bangsa menyebutkan" in paragraphs[1]
    assert paragraphs[1].endswith("perempuan dan anak di Indonesia saja.")
    assert paragraphs[2].startswith("Pertama, menurut Kantor PBB untuk Pengendalian Narkoba dan ")
    assert paragraphs[3:] == [
        "Hasil dan Pembahasan",
        "Perdagangan Anak",
        "Perdagangan orang adalah kegiatan pengiriman tenaga kerja.",
    ]


def test_running_journal_line_and_page_number_dropped() -> None:
    cleaned = clean_text(RUNNING_HEADER)
    assert "Sang Pencerah" not in cleaned
    assert "929" not in cleaned
    assert "924-938" not in cleaned
    assert cleaned.split("\n\n") == [
        "e) Personal Security (Keamanan Publik), ancamanya termasuk berbagai bentuk kekerasan, "
        "serta penganiayaan baik dari dalam maupun luar, predatory adultss (preman), faktor "
        "individu maupun sub \u2013negara, dan penguasa.",
        "f) Community Security (Keamanan Masyarakat), ancamanya terhadap integritas "
        "keanekaragaman budaya, melindungi manusia dari diskriminasi etnis.",
    ]


def test_footer_inside_a_sentence_does_not_split_it() -> None:
    text = (
        "kebijakan tersebut belum \n\nSang Pencerah: Jurnal Ilmiah 8(4): 924-938\n\n 930 \n\n"
        "terlaksana."
    )
    assert clean_text(text) == "kebijakan tersebut belum terlaksana."


def test_single_spaced_abstract() -> None:
    cleaned = clean_text(SINGLE_SPACED_ABSTRACT)
    paragraphs = cleaned.split("\n\n")
    assert paragraphs[0] == "Abstract"
    # Dropped first letters stay dropped; the initial "O." does not end the paragraph.
    assert paragraphs[1].startswith("very year there are more and more cases")
    assert "Indonesian government has certainly collaborated with ECPAT" in paragraphs[1]
    assert "According to Robert O. Keohane and Robert Axelrod" in paragraphs[1]
    assert paragraphs[2] == "Abstrak"
    assert paragraphs[3].startswith("alam setiap tahunnya")
    assert paragraphs[4] == "Kata Kunci: Pemerintah Indonesia, ECPAT, Perdagangan Anak"


def test_markdown_emphasis_stripped_and_title_joined() -> None:
    cleaned = clean_text(MARKDOWN_TITLE, markdown=True)
    assert "*" not in cleaned
    paragraphs = cleaned.split("\n\n")
    assert paragraphs[0] == (
        "KERJA SAMA INDONESIA DAN UNICEF DALAM MENGATASI KEKERASAN SEKSUAL PADA ANAK "
        "BERBASIS SIBER TAHUN 2016-2020"
    )
    assert paragraphs[1] == "ABSTRAK"
    assert "dampak spillover bagi negara, melalui Country Program Action Plan (CPAP)." in cleaned
    assert paragraphs[-1].startswith("Keywords: Cooperation, Indonesia, UNICEF")


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        ("Perdagangan Orang, negara-\nnegara harus mengikuti", "negara-negara harus"),
        ("Melengkapi Konvensi Perserikatan Bangsa-\nBangsa Melawan", "Bangsa-Bangsa Melawan"),
        ("di kalangan anak laki-\nlaki ada yang mengaku", "anak laki-laki ada"),
        ("jenis kelamin, asal-\nusul, disabilitas atau", "asal-usul, disabilitas"),
        ("kualitas data tentang anak-\nanak dan bagaimana", "anak-anak dan"),
        ("BERBASIS SIBER TAHUN 2016-\n2020", "2016-2020"),
        ("the inter-\nnational community agreed", "international community"),
        ("kerja sama multi-\nsektor yang", "multi-sektor yang"),
    ],
)
def test_hyphenated_line_ends(lines: str, joined: str) -> None:
    assert joined in clean_text(lines)


def test_hyphenated_form_seen_elsewhere_is_kept() -> None:
    text = "Program self-help dimulai.\n\nProgram self-\nhelp berhasil dan meluas."
    assert "Program self-help berhasil" in clean_text(text)


def test_characters_normalised() -> None:
    text = (
        "kecurangan yang \u201csah\u201d dan \u2018adil\u2019\u00a0di\u200b sini "
        "\ufb01nal\u00ad\nly  ok\t."
    )
    assert clean_text(text) == "kecurangan yang \"sah\" dan 'adil' di sini finally ok ."


def test_list_items_stay_separate() -> None:
    text = (
        "antara lain (Viet & March, 2019): \n\n"
        "1. Menggunakan laporan berkala untuk menginformasikan pengembangan \n"
        "beberapa kebijakan pada rentang waktu tertentu. \n\n"
        "2. Meningkatkan kerangka hukum dan peraturan tentang perlindungan anak  \n\n"
        "3. Peningkatan perbaikan sistem perlindungan anak antara UNICEF dan \n"
        "Pemerintah Vietnam  \n"
    )
    assert clean_text(text).split("\n\n") == [
        "antara lain (Viet & March, 2019):",
        "1. Menggunakan laporan berkala untuk menginformasikan pengembangan beberapa kebijakan "
        "pada rentang waktu tertentu.",
        "2. Meningkatkan kerangka hukum dan peraturan tentang perlindungan anak",
        "3. Peningkatan perbaikan sistem perlindungan anak antara UNICEF dan Pemerintah Vietnam",
    ]


def test_page_breaks_kept_and_repeated_headers_dropped() -> None:
    pages = [
        "Jurnal Contoh Vol. 3 No. 2\nPerlindungan Anak\nABSTRAK\nPenelitian ini membahas kerja "
        "sama pemerintah dan\n1",
        "Jurnal Contoh Vol. 3 No. 2\nUNICEF dalam perlindungan anak.\n1. Pendahuluan\n"
        "Perdagangan anak merupakan kejahatan.\n2",
        "Jurnal Contoh Vol. 3 No. 2\n\n3",
        "Jurnal Contoh Vol. 3 No. 2\n2. Kesimpulan\nKerja sama perlu diperkuat.\n4",
    ]
    cleaned = clean_text("\f".join(pages))
    assert cleaned.count("\f") == 3  # one per page break, even around an empty page
    assert "Jurnal Contoh" not in cleaned
    assert cleaned == (
        "Perlindungan Anak\n\nABSTRAK\n\n"
        "Penelitian ini membahas kerja sama pemerintah dan\fUNICEF dalam perlindungan anak.\n\n"
        "1. Pendahuluan\n\nPerdagangan anak merupakan kejahatan.\n\f\f2. Kesimpulan\n\n"
        "Kerja sama perlu diperkuat."
    )


def test_markdown_marks_stay_in_text_extracted_from_pdf() -> None:
    # In a PDF's text "**" and "# " are the document's own characters, not Markdown.
    assert clean_text("# 1 of 3 **important** items.") == "# 1 of 3 **important** items."
    assert clean_text("# Heading\n\nBody **bold**.", markdown=True) == "Heading\n\nBody bold."


def test_hyphen_across_page_break() -> None:
    cleaned = clean_text("Kerja sama inter-\fnational berhasil.")
    assert cleaned == "Kerja sama international\fberhasil."


def test_corpus_files_clean_up(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        cleaned = clean_text(path.read_text(), markdown=True)  # text files carry Markdown
        assert "Sang Pencerah" not in cleaned
        assert "*" not in cleaned
        assert "\n\n\n" not in cleaned
        assert "  " not in cleaned
        assert "\u201c" not in cleaned and "\u201d" not in cleaned
        for line in cleaned.split("\n"):
            assert line == line.strip()
            assert not line.strip().isdigit(), (path.name, line)


def test_corpus_paragraph_counts(corpus_dir: Path) -> None:
    """Line-broken paragraphs are joined: far fewer paragraphs than raw lines."""
    raw = (corpus_dir / "indonesia-ecpat-child-trafficking.txt").read_text()
    cleaned = clean_text(raw)
    raw_lines = [line for line in raw.split("\n") if line.strip()]
    paragraphs = cleaned.split("\n\n")
    assert len(raw_lines) > 450
    assert 50 < len(paragraphs) < 120
    assert "Pada tahun 2015, ECPAT menandatangani Nota Kesepahaman (MoU) dengan Polri." in cleaned
    assert "dikeluarkan UU RI No 21 Tahun 2007 tentang Tindak Pidana" in cleaned
