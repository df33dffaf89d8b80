"""``lentera ask`` / ``lentera chat`` on a real library (real e5, embedded Chroma)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from core.errors import ConfigurationError
from core.settings import Settings
from core.text.markers import parse_markers, strip_markers
from ingest.library import Library
from ingest.pipeline import ingest_paths
from lentera.cli import cli
from rag.engine import REFUSAL_MESSAGES
from tests.conftest import CORPUS_DIR, PROJECT_ROOT
from tests.openai_server import OpenAICompatibleServer, free_port

pytestmark = pytest.mark.integration

# The three abstract-length papers: a real e5 library in a few seconds.
SMALL_DOCS = (
    "indonesia-unicef-child-economic-exploitation-2016-2020.txt",
    "indonesia-unicef-cyber-sexual-violence-2016-2020.txt",
    "unicef-child-trafficking-indonesia-2021-2023.txt",
)
CPAP_QUESTION = (
    "Which plan did the Government of Indonesia and UNICEF sign to combat child trafficking?"
)
ANSWER_SCHEMA = json.loads(
    (PROJECT_ROOT / "docs" / "answer.schema.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def data_dir_e5(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from ingest.embedding import E5_MODEL_NAME
    from ingest.embedding_models import E5Embedding

    corpus = tmp_path_factory.mktemp("corpus")
    for name in SMALL_DOCS:
        shutil.copy(CORPUS_DIR / name, corpus / name)
    data_dir = tmp_path_factory.mktemp("data")
    library = Library.open(Settings(data_dir=data_dir), E5Embedding(E5_MODEL_NAME))
    assert ingest_paths([corpus], library).ok
    yield data_dir


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), env=env, input=stdin, catch_exceptions=False)


def check_answer_schema(record: dict[str, Any]) -> None:
    """The JSON contract of ``lentera ask --json``: docs/answer.schema.json, and what a schema
    cannot say (markers refer to citations, evidence spans are exact)."""
    jsonschema.validate(record, ANSWER_SCHEMA)
    for citation in record["citations"]:
        assert citation["start"] <= citation["end"] and citation["source"] in SMALL_DOCS
    assert set(parse_markers(record["answer"])) == {c["n"] for c in record["citations"]}
    assert [c["n"] for c in record["citations"]] == list(range(1, len(record["citations"]) + 1))
    texts = {c["n"]: c["text"] for c in record["citations"]}
    if not record["refused"]:
        shown = " ".join(s["text"] for s in record["sentences"])
        assert strip_markers(record["answer"]) == shown
    for sentence in record["sentences"]:
        for span in sentence["evidence"]:
            assert texts[span["n"]][span["start"] : span["end"]] == span["text"]
    if record["refused"]:
        assert record["citations"] == [] and record["sentences"] == []


def test_ask_json_extractive(data_dir_e5: Path) -> None:
    result = run(
        "ask", CPAP_QUESTION, "--json", "--llm", "extractive", "--data-dir", str(data_dir_e5)
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    check_answer_schema(record)
    assert not record["refused"]
    assert "CPAP" in record["answer"] or "Country Program" in record["answer"]
    assert record["backend"]["llm"] == "extractive"
    assert record["backend"]["embedding"].startswith("multilingual-e5-small")


def test_ask_text_lists_sources(data_dir_e5: Path) -> None:
    result = run("ask", CPAP_QUESTION, "--llm", "extractive", "--data-dir", str(data_dir_e5))
    assert result.exit_code == 0
    answer, sources = result.output.split("\nSources:\n")
    assert "[1]" in answer
    first = sources.splitlines()[0]
    assert first.startswith("[1] ") and ".txt" in first and ": " in first


def test_ask_off_topic_is_refused(data_dir_e5: Path) -> None:
    result = run(
        "ask", "What is the capital of France?", "--json", "--llm", "extractive",
        "--data-dir", str(data_dir_e5),
    )  # fmt: skip
    record = json.loads(result.output)
    check_answer_schema(record)
    assert record["refused"] is True
    assert record["answer"] == REFUSAL_MESSAGES["en"]


def test_ask_doc_filter_and_unknown_doc(data_dir_e5: Path) -> None:
    only = SMALL_DOCS[1]
    result = run(
        "ask", "Lembaga apa saja yang terlibat dalam kerja sama Indonesia dan UNICEF?", "--json",
        "--llm", "extractive", "--doc", only, "--data-dir", str(data_dir_e5),
    )  # fmt: skip
    record = json.loads(result.output)
    assert record["citations"] and {c["source"] for c in record["citations"]} == {only}
    assert record["language"] == "id"
    with pytest.raises(ConfigurationError, match="not in the library"):
        run("ask", "x", "--llm", "extractive", "--doc", "nope.pdf", "--data-dir", str(data_dir_e5))


def test_ask_batch(data_dir_e5: Path, tmp_path: Path) -> None:
    batch = tmp_path / "questions.jsonl"
    batch.write_text(
        f"{CPAP_QUESTION}\n\n"
        + json.dumps({"id": "q2", "q": "Bagaimana cara memasak rendang daging sapi?"})
        + "\n",
        encoding="utf-8",
    )
    result = run(
        "ask", "--batch", str(batch), "--llm", "extractive", "--data-dir", str(data_dir_e5)
    )
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    check_answer_schema(first)
    assert not first["refused"]
    assert second.pop("id") == "q2"
    check_answer_schema(second)
    assert second["refused"] and second["language"] == "id"


def test_ask_needs_question_or_batch(data_dir_e5: Path) -> None:
    result = CliRunner().invoke(cli, ["ask", "--data-dir", str(data_dir_e5)])
    assert result.exit_code != 0
    assert "QUESTION or --batch" in result.output


def test_ask_with_openai_compatible_server(data_dir_e5: Path) -> None:
    with OpenAICompatibleServer() as server:
        server.queue_reply("The Government of Indonesia and UNICEF signed the CPAP 2021-2025.")
        env = {
            "LENTERA_LLM_BASE_URL": server.base_url,
            "LENTERA_LLM_MODEL": "qwen2.5",
            "LENTERA_LLM_API_KEY": "test",
        }
        result = run(
            "ask", CPAP_QUESTION, "--json", "--llm", "openai-compatible",
            "--data-dir", str(data_dir_e5), env=env,
        )  # fmt: skip
        assert len(server.chat_requests()) == 1
    record = json.loads(result.output)
    check_answer_schema(record)
    assert record["answer"].endswith("2021-2025 [1].")
    assert record["citations"][0]["source"] == "unicef-child-trafficking-indonesia-2021-2023.txt"
    assert record["backend"]["llm"].startswith("openai-compatible:qwen2.5")


def test_remote_llm_down_falls_back_to_extractive(data_dir_e5: Path) -> None:
    env = {
        "LENTERA_LLM_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
        "LENTERA_LLM_MODEL": "qwen2.5",
        "LENTERA_LLM_API_KEY": "test",
        "LENTERA_LLM_MAX_RETRIES": "0",
        "LENTERA_LLM_TIMEOUT": "5",
    }
    result = CliRunner().invoke(
        cli,
        ["ask", CPAP_QUESTION, "--llm", "openai-compatible", "--data-dir", str(data_dir_e5)],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert "answering from the evidence instead" in result.stderr
    assert "(quoted from the sources: the LLM was unavailable)" in result.stdout
    assert "Sources:" in result.stdout


def test_chat_follow_up_and_commands(data_dir_e5: Path) -> None:
    conversation = (
        "Which plan did Indonesia and UNICEF sign against child trafficking?\n"
        "and for which years?\n/new\n/quit\n"
    )
    result = run("chat", "--llm", "extractive", "--data-dir", str(data_dir_e5), stdin=conversation)
    assert result.exit_code == 0
    assert result.output.count("Sources:") == 2
    assert "(new conversation)" in result.output


def _lentera(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LENTERA_")}
    script = Path(sys.executable).with_name("lentera")
    return subprocess.run(
        [str(script), *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_empty_library_is_one_clear_line(tmp_path: Path) -> None:
    done = _lentera("ask", "What is CPAP?", "--llm", "extractive", data_dir=tmp_path / "empty")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "is empty" in done.stderr and "lentera ingest" in done.stderr
    assert "Traceback" not in done.stderr
