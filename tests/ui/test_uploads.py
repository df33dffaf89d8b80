"""Upload names and checks: nothing escapes the uploads folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import safe_name, store_upload


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.PDF", "evil.pdf"),
        (".hidden.md", "hidden.md"),
        ("report 2024 (final).docx", "report 2024 (final).docx"),
        ("a;rm -rf $HOME.txt", "a_rm -rf _HOME.txt"),
        ("..", "document"),
    ],
)
def test_safe_name(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_crafted_name_is_stored_inside_uploads(tmp_path: Path) -> None:
    source = tmp_path / "upload.bin"
    source.write_text("Policy text.")
    uploads = tmp_path / "data" / "uploads"
    check = store_upload(source, "../../etc/passwd.txt", uploads, max_mb=1)
    assert check.stored == (uploads / "passwd.txt").resolve()
    assert check.stored.read_text() == "Policy text."
    assert not (tmp_path / "etc").exists()


def test_wrong_type_and_too_large_are_refused(tmp_path: Path) -> None:
    small = tmp_path / "a.bin"
    small.write_bytes(b"x")
    big = tmp_path / "b.bin"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    uploads = tmp_path / "uploads"
    assert store_upload(small, "run.sh", uploads, 1).problem == "bad_type"
    assert store_upload(big, "big.txt", uploads, 1).problem == "too_large"
    assert not uploads.exists() or not any(uploads.iterdir())
