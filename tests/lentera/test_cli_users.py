"""`lentera users`: accounts added, listed and removed through the command, as an admin would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from lentera.cli import cli
from ui.accounts import AccountStore


def users(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["users", *args, "--data-dir", str(data_dir)], input=stdin)
    return result.exit_code, result.output


def test_add_list_remove(tmp_path: Path) -> None:
    code, out = users(
        tmp_path, "add", "Ana", "--role", "admin", stdin="ana-pass-123\nana-pass-123\n"
    )
    assert code == 0 and "ana: admin" in out
    code, out = users(tmp_path, "add", "budi", "--password-stdin", stdin="budi-pass-456\n")
    assert code == 0 and "budi: staff" in out  # staff is the default role
    code, out = users(tmp_path, "list")
    assert out.splitlines() == ["ana\tadmin", "budi\tstaff"]
    assert "pass" not in out
    store = AccountStore(tmp_path / "users.json")
    assert store.verify("ana", "ana-pass-123") and store.verify("budi", "budi-pass-456")
    assert users(tmp_path, "remove", "budi")[0] == 0
    code, out = users(tmp_path, "remove", "budi")
    assert code == 1 and "no user budi" in out


def test_mistakes_are_one_line_each(tmp_path: Path) -> None:
    def run(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "lentera.cli", "users", *args, "--data-dir", str(tmp_path)]
        return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60)

    short = run("add", "cici", "--password-stdin", stdin="short\n")
    assert short.returncode == 1
    assert short.stderr.strip() == "Error: a password needs at least 8 characters"
    assert run("add", "cici", "--password-stdin", stdin="long-enough\n").returncode == 0
    again = run("add", "cici", "--password-stdin", stdin="long-enough\n")
    assert again.returncode == 1 and "exists (use --replace" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    bad_role = run("add", "dedi", "--role", "owner", "--password-stdin", stdin="long-enough\n")
    assert bad_role.returncode == 2 and "'owner' is not one of" in bad_role.stderr
