"""``lentera serve`` for real: extractive answers, real e5, real embedded Chroma."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from ui.chat import message_text

SMALL_DOCS = [
    "indonesia-unicef-child-economic-exploitation-2016-2020.txt",
    "indonesia-unicef-cyber-sexual-violence-2016-2020.txt",
    "unicef-child-trafficking-indonesia-2021-2023.txt",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``lentera serve`` on an empty library; yields (url, log file)."""
    log = tmp_path / "serve.log"
    port = free_port()
    command = [sys.executable, "-m", "lentera.cli", "serve", "--llm", "extractive",
               "--data-dir", str(tmp_path / "data"), "--port", str(port)]  # fmt: skip
    env = {**os.environ, "LENTERA_EMBEDDING_THREADS": "1"}
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while "running on" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "serve did not start: " + log.read_text()
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/", log
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.integration
def test_serve_uploads_and_answers_with_the_real_engine(
    served: tuple[str, Path], corpus_dir: Path, tmp_path: Path
) -> None:
    url, log = served
    assert "library is empty" in log.read_text()
    client = Client(url, verbose=False, analytics_enabled=False)
    uploads = []
    for name in SMALL_DOCS:
        shutil.copy(corpus_dir / name, tmp_path / name)
        uploads.append(handle_file(str(tmp_path / name)))
    result, table, _, _ = client.predict(uploads, [], api_name="/upload")
    assert result.count(": added") == 3, result
    assert sorted(row[1] for row in table["data"]) == sorted(SMALL_DOCS)

    chatbot, _, _, answer = client.predict(
        "Bagaimana kerja sama Indonesia dan UNICEF mengatasi eksploitasi ekonomi anak?",
        [],
        api_name="/ask",
    )
    assert answer["refused"] is False and answer["language"] == "id"
    assert answer["citations"] and answer["backend"]["llm"] == "extractive"
    html = message_text(chatbot[-1]["content"])
    assert "lentera-cite-0-1" in html and "ekstraktif" in html
    panel = client.predict("0-1", api_name="/show_citation")
    assert answer["citations"][0]["source"] in panel and "lentera-hl" in panel

    _, _, _, refused = client.predict("Who won the 2018 football World Cup?", [], api_name="/ask")
    assert refused["refused"] is True and refused["citations"] == []

    restricted = SMALL_DOCS[2]
    _, _, _, only = client.predict(
        "What did UNICEF do about child trafficking?", [restricted], api_name="/ask"
    )
    assert {c["source"] for c in only["citations"]} <= {restricted}
