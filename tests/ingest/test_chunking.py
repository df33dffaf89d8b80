from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest

from core.settings import ChunkingSettings
from core.text.sentences import all_sentence_spans
from core.types import Chunk, document_id
from ingest.chunking import chunk_document, prepare_text
from ingest.loaders import LoadedDocument, load_document
from ingest.structure import known_heading
from tests.fakes import HashingEmbedding

DATA = Path(__file__).parent / "data"
COUNTER = HashingEmbedding().token_count  # words + 2: fast, and additive like word pieces


def _doc(text: str, source: str = "doc.txt") -> LoadedDocument:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return LoadedDocument(Path(source), source, text, digest, None)


def _corpus_chunks(corpus_dir: Path, settings: ChunkingSettings) -> dict[str, list[Chunk]]:
    return {
        path.name: chunk_document(load_document(path), settings, COUNTER)
        for path in sorted(corpus_dir.glob("*.txt"))
    }


def _section_at(sections: list, position: int) -> str:
    return next(s.name for s in sections if s.start <= position < s.end)


@pytest.mark.parametrize("chunk_tokens", [220, 80])
def test_corpus_provenance(corpus_dir: Path, chunk_tokens: int) -> None:
    settings = ChunkingSettings(chunk_tokens=chunk_tokens, overlap_sentences=1)
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = load_document(path)
        cleaned, title, sections = prepare_text(doc)
        chunks = chunk_document(doc, settings, COUNTER)
        assert chunks, path.name
        for i, chunk in enumerate(chunks):
            assert chunk.index == i
            assert chunk.doc_id == document_id(path.name)
            assert chunk.source == path.name
            assert chunk.title == title
            assert chunk.content_hash == doc.content_hash
            assert chunk.page is None  # plain text has no pages
            assert 0 <= chunk.start < chunk.end <= len(cleaned)
            assert cleaned[chunk.start : chunk.end].replace("\f", "\n") == chunk.text
            assert chunk.text == chunk.text.strip()
            assert chunk.section == _section_at(sections, chunk.start)
            assert chunk.language in ("en", "id")
            assert "Sang Pencerah" not in chunk.text
            assert known_heading(chunk.text) is None or ":" in chunk.text  # no lone heading
        starts = [c.start for c in chunks]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_every_sentence_is_in_some_chunk(corpus_dir: Path) -> None:
    settings = ChunkingSettings(chunk_tokens=120, overlap_sentences=1)
    doc = load_document(corpus_dir / "unicef-child-trafficking-vietnam-2017-2020.txt")
    cleaned, _, _ = prepare_text(doc)
    chunks = chunk_document(doc, settings, COUNTER)
    covered = [False] * len(cleaned)
    for chunk in chunks:
        for i in range(chunk.start, chunk.end):
            covered[i] = True
    missing = "".join(ch for ch, hit in zip(cleaned, covered, strict=True) if not hit)
    assert missing.strip() == ""  # only the whitespace between chunks is left out


@pytest.mark.parametrize("chunk_tokens", [220, 80, 40])
def test_token_budget(corpus_dir: Path, chunk_tokens: int) -> None:
    settings = ChunkingSettings(chunk_tokens=chunk_tokens, overlap_sentences=1)
    for name, chunks in _corpus_chunks(corpus_dir, settings).items():
        for chunk in chunks:
            tokens = COUNTER(chunk.text)
            if tokens > chunk_tokens:
                # Only a heading with its first sentence may go over: by that one sentence.
                heading, _, rest = chunk.text.partition("\n\n")
                assert COUNTER(heading) < 30 and COUNTER(rest) <= chunk_tokens, (name, chunk)


def test_overlap_repeats_last_sentence(corpus_dir: Path) -> None:
    settings = ChunkingSettings(chunk_tokens=120, overlap_sentences=1)
    chunks = chunk_document(
        load_document(corpus_dir / "indonesia-ecpat-child-trafficking.txt"), settings, COUNTER
    )
    same_section = [(a, b) for a, b in itertools.pairwise(chunks) if a.section == b.section]
    overlapping = [(a, b) for a, b in same_section if b.start < a.end]
    # Overlap is left out only where the repeated sentence would not fit beside the next one.
    assert len(overlapping) >= 0.8 * len(same_section) > 8
    for a, b in overlapping:
        shared = a.text[len(a.text) - (a.end - b.start) :]
        assert b.text.startswith(shared)
        assert len(shared) < len(a.text)
    no_overlap = chunk_document(
        load_document(corpus_dir / "indonesia-ecpat-child-trafficking.txt"),
        ChunkingSettings(chunk_tokens=120, overlap_sentences=0),
        COUNTER,
    )
    for a, b in itertools.pairwise(no_overlap):
        assert b.start >= a.end


def test_chunks_break_between_sentences(corpus_dir: Path) -> None:
    settings = ChunkingSettings(chunk_tokens=100, overlap_sentences=0)
    doc = load_document(corpus_dir / "unicef-child-trafficking-vietnam-2017-2020.txt")
    chunks = chunk_document(doc, settings, COUNTER)
    cleaned = prepare_text(doc)[0]
    sentence_ends = {end for _, end in all_sentence_spans(cleaned)}
    for chunk in chunks:  # every chunk ends where a sentence (or a paragraph) of the text ends
        assert chunk.end in sentence_ends, cleaned[chunk.end - 60 : chunk.end + 20]
    # The abbreviation in "Harold K. Jacobson" and "No. 66/2011" never ends a chunk.
    assert not any(c.text.endswith((" K.", " No.")) for c in chunks)


def test_sections_and_languages_of_short_paper(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "indonesia-unicef-child-economic-exploitation-2016-2020.txt")
    chunks = chunk_document(doc, ChunkingSettings(chunk_tokens=220), COUNTER)
    assert [(c.section, c.language) for c in chunks] == [
        ("Title", "id"),  # title and author merge into the abstract's first chunk
        ("ABSTRACT", "en"),
    ]
    # The keyword line joins the abstract it belongs to, labelled by where the chunk starts.
    assert "Kata Kunci: Kerja Sama, Indonesia, UNICEF" in chunks[0].text
    assert chunks[0].text.startswith("Implementasi Kerja Sama Indonesia dan UNICEF")
    assert chunks[1].text.endswith(
        "Keywords: Cooperation, Indonesia, UNICEF, Economic exploitation of children, CPAP"
    )


def test_heading_only_section_starts_next_chunk(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "unicef-child-trafficking-vietnam-2017-2020.txt")
    chunks = chunk_document(doc, ChunkingSettings(chunk_tokens=220), COUNTER)
    pembahasan = [c for c in chunks if c.section == "4. Pembahasan"]
    assert len(pembahasan) == 1
    assert pembahasan[0].text.startswith(
        "4. Pembahasan\n\n4.1 Kebijakan Pemerintah Vietnam dalam menanggulangi Child Trafficking"
        "\n\nVietnam adalah salah satu negara"
    )
    sections = {c.section for c in chunks}
    assert {"Abstrak", "Abstract", "1. Pendahuluan", "5. Kesimpulan"} <= sections
    assert [c.language for c in chunks if c.section == "Abstract"] == ["en"]


def test_pdf_pages(tmp_path: Path) -> None:
    doc = load_document(DATA / "sample.pdf")
    cleaned, title, _ = prepare_text(doc)
    chunks = chunk_document(doc, ChunkingSettings(chunk_tokens=30, overlap_sentences=0), COUNTER)
    assert title == "Perlindungan Anak di Indonesia"
    by_section = {c.section: c for c in chunks}
    assert by_section["1. Pendahuluan"].page == 2
    assert by_section["2. Kesimpulan"].page == 3
    assert by_section["2. Kesimpulan"].text == "2. Kesimpulan\n\nKerja sama perlu diperkuat."
    for chunk in chunks:
        assert cleaned[chunk.start : chunk.end].replace("\f", "\n") == chunk.text
        assert chunk.page == 1 + cleaned.count("\f", 0, chunk.start)
    # The sentence that runs from page 1 onto page 2 is one chunk that starts on page 1.
    abstract = by_section["Title"]  # the front matter (title) starts the abstract's chunk
    assert abstract.page == 1
    assert "pemerintah dan\nUNICEF dalam perlindungan anak." in abstract.text


def test_overlong_sentence_split_at_words() -> None:
    words = [f"kata{i}" for i in range(300)]
    text = "Pendahuluan\n\n" + " ".join(words) + ". Kalimat pendek berikutnya."
    chunks = chunk_document(_doc(text), ChunkingSettings(chunk_tokens=50), COUNTER)
    assert len(chunks) >= 6
    seen: list[str] = []
    for chunk in chunks:
        assert COUNTER(chunk.text) <= 50 or chunk.text.startswith("Pendahuluan")
        assert chunk.start == 0 or text[chunk.start - 1] in " \n"
        assert chunk.end == len(text) or text[chunk.end] in " .\n"
        seen.extend(w.strip(".") for w in chunk.text.split())
    for word in words:
        assert word in seen


def test_empty_and_tiny_documents() -> None:
    assert chunk_document(_doc("  \n\n "), ChunkingSettings(), COUNTER) == []
    chunks = chunk_document(_doc("UNICEF 2019."), ChunkingSettings(), COUNTER)
    assert [(c.text, c.section, c.language, c.start, c.end) for c in chunks] == [
        ("UNICEF 2019.", "Title", "unknown", 0, 12)
    ]


def test_markdown_and_html_documents() -> None:
    md = chunk_document(load_document(DATA / "sample.md"), ChunkingSettings(), COUNTER)
    assert [c.title for c in md] == ["Ringkasan Kebijakan"] * len(md)
    assert any("Country Program Action Plan" in c.text for c in md)
    assert all("*" not in c.text for c in md)
    html = chunk_document(load_document(DATA / "sample.html"), ChunkingSettings(), COUNTER)
    assert html[0].title == "Child Protection Brief"
    assert html[0].language == "en"
    assert "UNICEF works with the government of Viet Nam." in html[0].text


@pytest.mark.integration
def test_real_e5_token_budget(corpus_dir: Path) -> None:
    from ingest.embedding import E5_MODEL_NAME
    from ingest.embedding_models import E5Embedding

    count = E5Embedding(E5_MODEL_NAME, threads=1).token_count
    settings = ChunkingSettings()
    doc = load_document(corpus_dir / "unicef-child-trafficking-vietnam-2017-2020.txt")
    chunks = chunk_document(doc, settings, count)
    assert 25 <= len(chunks) <= 70
    over = [c for c in chunks if count(c.text) > settings.chunk_tokens]
    assert all(c.text.split("\n\n")[0] == c.section for c in over)
    assert sum(count(c.text) for c in chunks) / len(chunks) > 0.6 * settings.chunk_tokens
