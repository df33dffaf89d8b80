"""The no-LLM answer: best matching passage sentences, quoted and cited."""

from __future__ import annotations

import time

from core.types import Chunk, Passage
from rag.citations import parse_markers
from rag.extractive import extractive_answer


def passage(text: str, source: str, language: str = "id", dense: float = 0.85) -> Passage:
    chunk = Chunk(f"doc-{source}", source, "Title", "Abstrak", language, 0, len(text), text, 0)
    return Passage(chunk=chunk, score=0.03, dense_score=dense)


VIETNAM = passage(
    "Penelitian ini menggunakan pendekatan kualitatif deskriptif. Vietnam meratifikasi "
    "Konvensi Hak Anak pada tahun 1990 sebagai negara pertama di Asia. Pada tahun 2011 "
    "Vietnam mengeluarkan undang-undang pencegahan dan penanganan perdagangan manusia.",
    "vietnam.txt",
)
CPAP = passage(
    "Pemerintah Indonesia dan UNICEF menandatangani Country Programme Action Plan (CPAP) "
    "2021-2025 untuk memerangi perdagangan anak. Kasus perdagangan anak meningkat kembali "
    "karena pandemi Covid-19 yang memperburuk kondisi ekonomi keluarga.",
    "cpap.txt",
)
ENGLISH = passage(
    "This study examines UNICEF efforts in dealing with child trafficking in Vietnam. The "
    "study uses a descriptive qualitative approach based on secondary data from library "
    "research.",
    "vietnam-en.txt",
    language="en",
)


def test_picks_the_sentence_that_answers_and_cites_it() -> None:
    result = extractive_answer(
        "Kapan Vietnam meratifikasi Konvensi Hak Anak?", [CPAP, VIETNAM, ENGLISH]
    )
    assert result.sentences
    first = result.sentences[0]
    assert "1990" in first.text
    assert result.citations[0].source == "vietnam.txt"
    assert result.text.startswith("Vietnam meratifikasi Konvensi Hak Anak pada tahun 1990")
    assert set(parse_markers(result.text)) == {c.n for c in result.citations}


def test_english_question_quotes_indonesian_passage_as_is() -> None:
    result = extractive_answer(
        "Which plan did the Government of Indonesia and UNICEF sign for 2021-2025?", [VIETNAM, CPAP]
    )
    assert "CPAP" in result.text and "menandatangani" in result.text
    assert result.citations[0].source == "cpap.txt"


def test_at_most_three_sentences_each_cited() -> None:
    result = extractive_answer(
        "UNICEF Vietnam child trafficking study approach", [ENGLISH, VIETNAM]
    )
    assert 1 <= len(result.sentences) <= 3
    assert all(s.cited for s in result.sentences)
    assert len(parse_markers(result.text)) == len(result.citations)


def test_nothing_matches_gives_an_empty_answer() -> None:
    result = extractive_answer("Bagaimana cara memasak rendang daging sapi?", [VIETNAM, CPAP])
    assert result.sentences == []
    assert result.citations == []
    assert result.supported == 0


def test_deterministic_and_fast() -> None:
    passages = [VIETNAM, CPAP, ENGLISH] * 3
    question = "Why did child trafficking cases in Indonesia rise again?"
    started = time.perf_counter()
    first = extractive_answer(question, passages)
    elapsed = time.perf_counter() - started
    assert all(extractive_answer(question, passages).text == first.text for _ in range(3))
    assert "Covid-19" in first.text
    assert elapsed < 0.2
