"""Regenerate the loader fixtures here: ``python tests/ingest/data/make_fixtures.py``.

The PDF is written by hand (one Helvetica text object per page) so its text is known exactly;
pypdf then derives the encrypted and the text-less variants from it.
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

PDF_PAGES = [
    [
        "Jurnal Contoh Vol. 3 No. 2",
        "Perlindungan Anak di Indonesia",
        "ABSTRAK",
        "Penelitian ini membahas kerja sama pemerintah dan",
        "1",
    ],
    [
        "Jurnal Contoh Vol. 3 No. 2",
        "UNICEF dalam perlindungan anak.",
        "1. Pendahuluan",
        "Perdagangan anak merupakan kejahatan lintas negara yang",
        "melanggar hak asasi manusia.",
        "2",
    ],
    [
        "Jurnal Contoh Vol. 3 No. 2",
        "2. Kesimpulan",
        "Kerja sama perlu diperkuat.",
        "3",
    ],
]


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build_pdf(pages: list[list[str]], title: str) -> bytes:
    """A minimal valid PDF with one line of text per entry, top to bottom."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    info_id = font_id + 1
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            ops.append(f"({_pdf_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        page = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>"
        )
        objects.append(page.encode())
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(f"<< /Title ({_pdf_escape(title)}) >>".encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _encrypted(pdf: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Laporan Perlindungan Anak"
    document.add_heading("Laporan Perlindungan Anak", level=1)
    document.add_paragraph("Pendahuluan")
    document.add_paragraph("UNICEF bekerja sama dengan pemerintah sejak 1948.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Tahun"
    table.cell(0, 1).text = "Kasus"
    table.cell(1, 0).text = "2019"
    table.cell(1, 1).text = "102"
    document.add_paragraph("Kesimpulan")
    document.add_paragraph("Kerja sama perlu diperkuat.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML = """<!DOCTYPE html>
<html><head><title>Child Protection Brief</title>
<style>p { color: red; }</style>
<script>document.write("never run");</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<h1>Child Protection Brief</h1>
<p>UNICEF works with the government of Viet Nam.<br>It supports social workers.</p>
<p>The programme ran from 2017 to 2021.</p>
<script>alert("x")</script>
</body></html>
"""

MARKDOWN = """# Ringkasan Kebijakan

Dokumen ini merangkum **kebijakan** perlindungan anak.

## Pendahuluan

Program *Country Program Action Plan* dimulai pada 2016.
"""


def main() -> None:
    pdf = build_pdf(PDF_PAGES, title="Perlindungan Anak di Indonesia")
    (HERE / "sample.pdf").write_bytes(pdf)
    (HERE / "encrypted.pdf").write_bytes(_encrypted(pdf, "secret"))
    (HERE / "encrypted-empty-password.pdf").write_bytes(_encrypted(pdf, ""))
    (HERE / "scanned.pdf").write_bytes(_blank_pdf())
    (HERE / "sample.docx").write_bytes(_docx())
    (HERE / "sample.html").write_text(HTML, encoding="utf-8")
    (HERE / "sample.md").write_text(MARKDOWN, encoding="utf-8")


if __name__ == "__main__":
    main()
