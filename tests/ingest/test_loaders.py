from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.errors import DocumentError
from ingest.loaders import SUPPORTED_SUFFIXES, LoadedDocument, find_documents, load_document

DATA = Path(__file__).parent / "data"


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm"} == set(SUPPORTED_SUFFIXES)


def test_corpus_text_file(corpus_dir: Path) -> None:
    path = corpus_dir / "unicef-child-trafficking-vietnam-2017-2020.txt"
    doc = load_document(path)
    assert isinstance(doc, LoadedDocument)
    assert doc.source == path.name
    assert doc.path == path
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "Sang Pencerah" in doc.text  # the loader extracts; cleaning comes later
    assert doc.title_hint is None


def test_pdf_pages_separated_by_form_feed() -> None:
    doc = load_document(DATA / "sample.pdf")
    pages = doc.text.split("\f")
    assert len(pages) == 3
    assert "ABSTRAK" in pages[0]
    assert "1. Pendahuluan" in pages[1]
    assert "Kerja sama perlu diperkuat." in pages[2]
    assert doc.title_hint == "Perlindungan Anak di Indonesia"


def test_pdf_encrypted_with_empty_password_is_read() -> None:
    doc = load_document(DATA / "encrypted-empty-password.pdf")
    assert "Perdagangan anak" in doc.text


def test_pdf_encrypted_needs_password() -> None:
    with pytest.raises(DocumentError, match=r"^encrypted\.pdf: encrypted PDF, needs a password$"):
        load_document(DATA / "encrypted.pdf")


def test_pdf_without_text() -> None:
    with pytest.raises(DocumentError, match=r"scanned\.pdf: no extractable text \(scanned PDF\?\)"):
        load_document(DATA / "scanned.pdf")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nthis is not really a pdf", b"garbage bytes that are no pdf at all"],
)
def test_pdf_corrupt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=r"^broken\.pdf: "):
        load_document(path)


def test_pdf_truncated(tmp_path: Path) -> None:
    data = (DATA / "sample.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DocumentError, match=r"^cut\.pdf: "):
        load_document(path)


def test_docx_paragraphs_tables_and_title() -> None:
    doc = load_document(DATA / "sample.docx")
    assert doc.title_hint == "Laporan Perlindungan Anak"
    assert "UNICEF bekerja sama dengan pemerintah sejak 1948." in doc.text
    assert "2019 | 102" in doc.text
    assert doc.text.index("Pendahuluan") < doc.text.index("Kesimpulan")


def test_docx_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not a real zip archive")
    with pytest.raises(DocumentError, match=r"^broken\.docx: corrupt Word file"):
        load_document(path)


def test_html_text_only() -> None:
    doc = load_document(DATA / "sample.html")
    assert doc.title_hint == "Child Protection Brief"
    assert "never run" not in doc.text
    assert "alert" not in doc.text
    assert "color: red" not in doc.text
    assert "Home" not in doc.text  # navigation dropped
    assert "UNICEF works with the government of Viet Nam.\nIt supports social workers." in doc.text
    assert "\n\nThe programme ran from 2017 to 2021." in doc.text


def test_markdown_title_hint() -> None:
    doc = load_document(DATA / "sample.md")
    assert doc.title_hint == "Ringkasan Kebijakan"
    assert "**kebijakan**" in doc.text  # markdown is stripped by the cleaner, not the loader


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match=r"^empty\.txt: empty file$"):
        load_document(path)


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("   \n\n  \n")
    with pytest.raises(DocumentError, match=r"^blank\.md: no text"):
        load_document(path)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("a" * 3000)
    with pytest.raises(
        DocumentError, match=r"^big\.txt: file too large \(2\.9 KB, limit 2\.0 KB\)$"
    ):
        load_document(path, max_bytes=2048)


def test_binary_in_text_extension(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(DocumentError, match=r"^image\.txt: binary content"):
        load_document(path)


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Perlindungan anak “penting”.\r\nBaris dua.".encode("utf-16"))
    doc = load_document(path)
    assert doc.text == "Perlindungan anak “penting”.\nBaris dua."


def test_utf8_bom_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHalo dunia")
    assert load_document(path).text == "Halo dunia"


def test_cp1252_fallback(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 \u201cquoted\u201d r\u00e9sum\u00e9 text".encode("cp1252"))
    assert load_document(path).text == "Caf\u00e9 \u201cquoted\u201d r\u00e9sum\u00e9 text"


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 8)
    with pytest.raises(DocumentError, match=r"^noise\.txt: cannot decode text"):
        load_document(path)


def test_unsupported_suffix_direct(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(DocumentError, match=r"^sheet\.xlsx: unsupported type \.xlsx"):
        load_document(path)


def test_find_documents(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b" / "c.PDF").write_bytes(b"x")
    (tmp_path / "b" / "d.xyz").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "e.txt").write_text("x")
    (tmp_path / ".secret.md").write_text("x")
    missing = tmp_path / "missing.txt"
    files, warnings = find_documents([tmp_path, tmp_path / "a.txt", missing])
    assert files == [tmp_path / "a.txt", tmp_path / "b" / "c.PDF"]
    assert warnings == [
        f"{tmp_path / 'b' / 'd.xyz'}: unsupported type .xyz, skipped",
        f"{missing}: not found, skipped",
    ]


def test_find_documents_corpus(corpus_dir: Path) -> None:
    files, warnings = find_documents([corpus_dir])
    assert [f.name for f in files] == sorted(f.name for f in corpus_dir.glob("*.txt"))
    assert len(files) == 5
    assert warnings == []
