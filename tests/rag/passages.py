"""Crafted passages for the answering tests: real-looking sentences in both languages."""

from __future__ import annotations

from core.types import Chunk, Passage


def passage(
    text: str,
    source: str,
    dense: float = 0.86,
    language: str = "id",
    title: str = "Title",
    index: int = 0,
) -> Passage:
    doc = f"doc-{source}"
    chunk = Chunk(doc, source, title, "Abstrak", language, 0, len(text), text, index)
    return Passage(chunk=chunk, score=0.03, dense_score=dense)


CPAP = passage(
    "Pemerintah Indonesia dan UNICEF menandatangani Country Programme Action Plan (CPAP) "
    "2021-2025 untuk memerangi perdagangan anak. Kasus perdagangan anak meningkat kembali "
    "karena pandemi Covid-19 yang melanda Indonesia.",
    "unicef-child-trafficking-indonesia-2021-2023.txt",
    title="Peran UNICEF dalam Mengatasi Perdagangan Anak di Indonesia Tahun 2021-2023",
)
VIETNAM = passage(
    "UNICEF membantu Pemerintah Vietnam merumuskan payung hukum dan program penanganan "
    "perdagangan anak. Vietnam meratifikasi Konvensi Hak Anak pada tahun 1990.",
    "unicef-child-trafficking-vietnam-2017-2020.txt",
    title="Upaya UNICEF Menangani Child Trafficking di Vietnam",
)
ECPAT = passage(
    "Pada tahun 2013, ECPAT bekerja sama dengan Kementerian Pariwisata di Bali. "
    "Selain itu, pada tanggal 30 Oktober 2015, ECPAT menandatangani Nota Kesepahaman dengan "
    "Polri tentang pelatihan penyidik.",
    "indonesia-ecpat-child-trafficking.txt",
    title="Kerja Sama Pemerintah Indonesia dengan ECPAT",
)
THAILAND_EN = passage(
    "Thailand recorded 30 percent of the region's trafficking cases in 2019. "
    "Cambodia recorded 12 percent of the cases in the same year.",
    "factbook-region.txt",
    language="en",
    title="Trafficking in the region",
)
