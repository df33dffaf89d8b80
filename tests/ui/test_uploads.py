"""Upload names and checks: nothing escapes the uploads folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ui.uploads import free_name, safe_name, store_upload


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


def test_a_taken_name_with_other_content_is_kept_apart(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    first = tmp_path / "first.txt"
    first.write_text("Version one.")
    second = tmp_path / "second.txt"
    second.write_text("Version two.")
    library = {"policy.txt": hashlib.sha256(b"Version one.").hexdigest()}
    again = store_upload(first, "policy.txt", uploads, 1, library)
    assert again.stored == (uploads / "policy.txt").resolve() and again.kept_apart_from is None
    other = store_upload(second, "policy.txt", uploads, 1, library)
    assert other.stored == (uploads / "policy (2).txt").resolve()
    assert other.kept_apart_from == "policy.txt"
    assert (uploads / "policy.txt").read_text() == "Version one."  # the first copy is intact
    third = tmp_path / "third.txt"
    third.write_text("Version three.")
    # Taken twice now: by the library and by the file just stored in uploads.
    assert (
        store_upload(third, "policy.txt", uploads, 1, library).stored
        == (uploads / "policy (3).txt").resolve()
    )


def test_free_name_counts_past_taken_numbers() -> None:
    assert free_name("a.pdf", {"a.pdf"}) == "a (2).pdf"
    assert free_name("a.pdf", {"a.pdf", "a (2).pdf", "a (3).pdf"}) == "a (4).pdf"
    assert free_name("notes", {"notes"}) == "notes (2)"
