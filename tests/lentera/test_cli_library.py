"""`lentera ingest` and `lentera docs`, through click and as a real process.

Embeddings come from a real OpenAI-compatible HTTP server on 127.0.0.1 (settings only, no
patching), so the commands run exactly as a deployment with a remote embedder would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lentera.cli import cli
from tests.openai_server import OpenAICompatibleServer

CORPUS_FILES = 5


@pytest.fixture
def env(openai_server: OpenAICompatibleServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "LENTERA_EMBEDDING": "openai-compatible",
        "LENTERA_EMBEDDING_MODEL": "test-embedder",
        "LENTERA_EMBEDDING_BASE_URL": openai_server.base_url,
        "LENTERA_EMBEDDING_API_KEY": "not-needed",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_list_remove(env, corpus, data_dir):
    result = run("ingest", str(corpus), "--data-dir", str(data_dir), "--quiet")
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"added {CORPUS_FILES}, updated 0, unchanged 0, failed 0 (chunks")

    again = run("ingest", str(corpus), "--data-dir", str(data_dir), "-q")
    assert again.exit_code == 0
    assert again.stdout.strip() == (
        f"added 0, updated 0, unchanged {CORPUS_FILES}, failed 0 (chunks embedded: 0)"
    )

    listed = run("docs", "list", "--data-dir", str(data_dir), "--json")
    docs = json.loads(listed.stdout)
    assert sorted(d["source"] for d in docs) == sorted(p.name for p in corpus.iterdir())
    assert all(d["chunks"] > 0 and d["language"] == "id" for d in docs)

    table = run("docs", "list", "--data-dir", str(data_dir)).stdout.splitlines()
    assert table[0].split() == ["TITLE", "FILE", "LANG", "CHUNKS", "INGESTED"]
    assert len(table) == CORPUS_FILES + 1
    assert any("indonesia-ecpat-child-trafficking.txt" in row for row in table)

    name = "indonesia-ecpat-child-trafficking.txt"
    removed = run("docs", "remove", name, "--data-dir", str(data_dir))
    assert removed.exit_code == 0 and removed.stdout.strip() == f"removed {name}"
    remaining = json.loads(run("docs", "list", "--data-dir", str(data_dir), "--json").stdout)
    assert name not in {d["source"] for d in remaining} and len(remaining) == CORPUS_FILES - 1


def test_remove_unknown_name_is_one_error_line(env, data_dir):
    result = run("docs", "remove", "nope.pdf", "--data-dir", str(data_dir))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no document named 'nope.pdf' in the library"


def test_empty_library_listing(env, data_dir):
    result = run("docs", "list", "--data-dir", str(data_dir))
    assert result.exit_code == 0 and "library is empty" in result.stdout
    assert json.loads(run("docs", "list", "--data-dir", str(data_dir), "--json").stdout) == []


def test_failed_files_exit_1_and_the_rest_is_ingested(env, corpus, data_dir):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (corpus / "image.png").write_bytes(b"\x89PNG")
    result = run("ingest", str(corpus), "--data-dir", str(data_dir))
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert f"{corpus / 'empty.txt'}: empty file" in err
    assert any(line.startswith(f"{corpus / 'broken.pdf'}: ") for line in err)
    assert any("image.png" in line and "skipped" in line for line in err)
    assert result.stdout.strip().startswith(
        f"added {CORPUS_FILES}, updated 0, unchanged 0, failed 2"
    )
    assert "documents" in result.stderr  # the progress bar, on stderr


def _lentera(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("lentera")
    return subprocess.run(
        [str(script), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


@pytest.mark.integration
def test_real_process_exit_codes_and_one_line_errors(env, corpus, data_dir, openai_server):
    ok = _lentera("ingest", str(corpus), "--data-dir", str(data_dir), "-q", env=env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"added {CORPUS_FILES},")

    missing = _lentera("docs", "remove", "nope.txt", "--data-dir", str(data_dir), env=env)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Error: no document named 'nope.txt' in the library"

    (corpus / "new.txt").write_text("Dokumen baru tentang perlindungan anak.", encoding="utf-8")
    openai_server.fail_with(500)
    down = _lentera("ingest", str(corpus), "--data-dir", str(data_dir), "-q", env=env)
    assert down.returncode == 1
    [line] = down.stderr.strip().splitlines()
    assert line.startswith("Error: embedding server") and "Traceback" not in down.stderr

    openai_server.fail_with(None)
    listed = run("docs", "list", "--data-dir", str(data_dir), "--json")
    assert len(json.loads(listed.stdout)) == CORPUS_FILES  # the failed run stored nothing partial
