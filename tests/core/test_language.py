from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.language import LANGUAGE_NAMES, LANGUAGE_NAMES_NATIVE, detect_language

INDONESIAN_QUESTIONS = [
    "Apa itu CPAP?",
    "Siapa yang terlibat?",
    "Berapa kasus perdagangan anak di Vietnam?",
    "Kapan UNICEF aktif di Vietnam?",
    "Apakah ECPAT berhasil?",
    "Mengapa kerja sama gagal?",
    "Jelaskan program CPP",
    "Peran UNICEF di Indonesia",
    "Bagaimana UNICEF membantu pemerintah?",
    "Kekerasan seksual berbasis siber",
    "Siapa menandatangani nota kesepahaman dengan Polri?",
]
ENGLISH_QUESTIONS = [
    "What is CPAP?",
    "Who is involved?",
    "Who signed the MoU with the police?",
    "How many cases in 2019?",
    "When did UNICEF start working in Vietnam?",
    "Did ECPAT succeed?",
    "Why did the cooperation fail?",
    "Explain the CPP programme",
    "Role of ECPAT",
    "cyber-based sexual violence against children",
    "Which ministry worked with UNICEF on parenting?",
]

# Real sentences from the sample corpus (Indonesian body text with English terms mixed in).
CORPUS_INDONESIAN = [
    "Perlindungan anak merupakan kewajiban negara dalam menjamin serta melindungi hak-hak mereka.",
    "Konsep Human Security digagas salah satunya oleh United Nation Development Program (UNDP).",
    "Pada rentang waktu 2017-2021, UNICEF menginisasi program yang disebut The Child Protection "
    "Programme (CPP).",
    "Selain itu, Pemerintah Vietnam menetapkan program jangka menengah yang diantaranya adalah "
    "National Plan of Action for Children Infected and Affected by HIV AIDS.",
    "Pasal 65 Undang-Undang Hak Asasi Manusia No. 39 Tahun 1999 menyatakan bahwa setiap anak "
    "berhak atas perlindungan dari eksploitasi seksual.",
    "Pada tahun 2015, ECPAT menandatangani Nota Kesepahaman (MoU) dengan Polri.",
    "Kata Kunci: Kerja Sama, Indonesia, UNICEF, Eksplorasi Ekonomi Anak, CPAP",
]
CORPUS_ENGLISH = [
    "This study aims to examine UNICEF's efforts in dealing with Child Trafficking in Vietnam "
    "in 2017-2018.",
    "The research was conducted using a qualitative method using a descriptive analysis approach.",
    "Since the pandemic COVID-19 began, child trafficking in Indonesia has steadily increased.",
    "Keywords: UNICEF, international organizations, child trafficking, child protection, Indonesia",
]


def test_language_names() -> None:
    assert LANGUAGE_NAMES == {"en": "English", "id": "Indonesian"}
    assert set(LANGUAGE_NAMES_NATIVE) == {"en", "id"}


@pytest.mark.parametrize("question", INDONESIAN_QUESTIONS)
def test_short_indonesian_questions(question: str) -> None:
    assert detect_language(question) == "id"


@pytest.mark.parametrize("question", ENGLISH_QUESTIONS)
def test_short_english_questions(question: str) -> None:
    assert detect_language(question) == "en"


@pytest.mark.parametrize("sentence", CORPUS_INDONESIAN)
def test_corpus_indonesian_sentences(sentence: str) -> None:
    assert detect_language(sentence) == "id"


@pytest.mark.parametrize("sentence", CORPUS_ENGLISH)
def test_corpus_english_sentences(sentence: str) -> None:
    assert detect_language(sentence) == "en"


@pytest.mark.parametrize("text", ["", "   ", "UNICEF?", "2017-2020", "CPAP / ECPAT"])
def test_no_evidence_is_unknown(text: str) -> None:
    assert detect_language(text) == "unknown"


def test_most_corpus_body_sentences_are_indonesian(corpus_dir: Path) -> None:
    text = (corpus_dir / "unicef-child-trafficking-vietnam-2017-2020.txt").read_text()
    body = text[text.index("1. Pendahuluan") :]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(body.split())) if len(s) > 40]
    detected = [detect_language(s) for s in sentences]
    assert len(sentences) > 150
    assert detected.count("id") / len(detected) > 0.95
    assert detected.count("en") <= 3


def test_english_abstracts_are_english(corpus_dir: Path) -> None:
    for path in corpus_dir.glob("*.txt"):
        text = path.read_text()
        match = re.search(r"(?:ABSTRACT|Abstract)\s+(.{200,600}?\.)\s", text, re.S)
        assert match, path.name
        assert detect_language(match.group(1)) == "en", path.name
