"""Bad files in one batch: each gets one clear line naming the file and the reason, the good
ones around them are ingested, nothing stored is lost, and a second run duplicates nothing."""

from __future__ import annotations

import io
import os
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from ingest.pipeline import ingest_paths
from lentera.cli import cli
from tests.faults.conftest import fault_settings, small_library
from tests.library_state import stored_chunks
from tests.openai_server import OpenAICompatibleServer

pytestmark = pytest.mark.faults

DATA = Path(__file__).parents[1] / "ingest" / "data"
ODD_NAME = "laporan ñ baru\nkedua.txt"  # spaces, unicode and a newline


def bad_batch(folder: Path) -> dict[str, str]:
    """Write the campaign's files; returns bad file name -> a word of its one error line."""
    folder.mkdir(parents=True)
    pdf = (DATA / "sample.pdf").read_bytes()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.pdf").write_bytes(random.Random(1).randbytes(5000))
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    shutil.copy(DATA / "encrypted.pdf", folder / "encrypted.pdf")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "huge.txt").write_text("kata " * 400_000, encoding="utf-8")  # ~2 MB, limit 1 MB
    empty_pdf = io.BytesIO()
    PdfWriter().write(empty_pdf)
    (folder / "zero-pages.pdf").write_bytes(empty_pdf.getvalue())
    junk = io.BytesIO()
    with zipfile.ZipFile(junk, "w") as archive:
        archive.writestr("junk.bin", random.Random(2).randbytes(300))
    (folder / "junk.docx").write_bytes(junk.getvalue())
    (folder / "scripts.html").write_text(
        "<html><head><script>alert(1)</script></head><body><script>var x;</script></body></html>"
    )
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")  # a file symlink loop
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "back-up")  # a folder symlink loop
    return {
        "empty.txt": "empty",
        "random.pdf": "corrupt pdf",
        "truncated.pdf": "corrupt pdf",
        "encrypted.pdf": "encrypted",
        "binary.txt": "binary",
        "huge.txt": "too large",
        "zero-pages.pdf": "no extractable text",
        "junk.docx": "corrupt word",
        "scripts.html": "no text",
        "loop-a.txt": "symlink loop",
        "loop-b.txt": "symlink loop",
    }


def good_files(folder: Path) -> dict[str, str]:
    """Good files with awkward encodings and names: name -> a phrase their text must keep."""
    latin1 = "Kebijakan perlindungan anak: café, São Tomé.\n"
    (folder / "catatan-latin1.txt").write_bytes(latin1.encode("latin-1"))
    utf16 = "Village councils keep a register of migrant children.\n"
    (folder / "notes-utf16.txt").write_text(utf16, encoding="utf-16")
    (folder / ODD_NAME).write_text("Laporan tentang perlindungan anak di desa.\n")
    return {
        "catatan-latin1.txt": "São Tomé",
        "notes-utf16.txt": "migrant children",
        ODD_NAME: "perlindungan anak di desa",
    }


def test_every_bad_file_is_one_line_and_nothing_is_lost_or_duplicated(tmp_path: Path) -> None:
    settings = fault_settings(tmp_path / "data", max_file_mb=1)
    library = small_library(settings, tmp_path / "documents")
    before = sorted(cid for cid, _, _ in stored_chunks(library))
    incoming = tmp_path / "incoming"
    bad = bad_batch(incoming)
    good = good_files(incoming)

    report = ingest_paths([incoming], library)

    said = {Path(file).name: reason for file, reason in report.failed}
    for line in report.skipped:  # unreadable entries (symlink loops) are named in skipped
        said[Path(line.split(": cannot be read")[0]).name] = line
    assert set(said) == set(bad)
    for name, word in bad.items():
        assert word in said[name].lower(), (name, said[name])
        assert "\n" not in said[name]
    assert sorted(report.added) == sorted(good)
    texts = {m["source"]: t for _, t, m in stored_chunks(library)}
    for name, phrase in good.items():
        assert phrase in texts[name]
    after = sorted(cid for cid, _, _ in stored_chunks(library))
    assert set(before) <= set(after)  # the library's own document is untouched

    again = ingest_paths([incoming], library)
    assert sorted(again.unchanged) == sorted(good) and not again.added
    assert sorted(cid for cid, _, _ in stored_chunks(library)) == after  # nothing duplicated


@pytest.mark.integration
def test_the_command_says_one_line_per_bad_file(
    tmp_path: Path, openai_server: OpenAICompatibleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in {
        "LENTERA_EMBEDDING": "openai-compatible",
        "LENTERA_EMBEDDING_MODEL": "test-embedder",
        "LENTERA_EMBEDDING_BASE_URL": openai_server.base_url,
        "LENTERA_EMBEDDING_API_KEY": "not-needed",
        "LENTERA_MAX_FILE_MB": "1",
    }.items():
        monkeypatch.setenv(key, value)
    incoming = tmp_path / "incoming"
    bad = bad_batch(incoming)
    good_files(incoming)
    result = CliRunner().invoke(
        cli, ["ingest", str(incoming), "--data-dir", str(tmp_path / "data")]
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for name in bad:
        naming = [line for line in lines if f"{name}:" in line]
        assert len(naming) == 1, (name, naming)
    assert "added 3" in result.stdout
    docs = CliRunner().invoke(cli, ["docs", "list", "--data-dir", str(tmp_path / "data")])
    rows = [line for line in docs.stdout.splitlines() if "laporan" in line]
    assert len(rows) == 1 and "\\n" in rows[0]  # the newline in the name is shown escaped
