"""The real page, launched in process, driven through gradio_client (what the browser calls)."""

from __future__ import annotations

import asyncio
import inspect
import json
from pathlib import Path
from typing import Any

from gradio_client import Client, handle_file

from core.errors import BackendUnavailableError
from tests.fakes import ScriptedLLM
from tests.ui.conftest import RunningApp
from ui.chat import message_text


def client_for(app: RunningApp) -> Client:
    return Client(app.url, verbose=False, analytics_enabled=False)


def ask(client: Client, question: str, sources: list[str] | None = None) -> tuple[Any, ...]:
    result = client.predict(question, sources or [], api_name="/ask")
    assert isinstance(result, tuple | list)
    return tuple(result)  # chatbot, question box, panel, answer json


def last_bot(chatbot: list[dict[str, Any]]) -> str:
    assert chatbot[-1]["role"] == "assistant"
    return message_text(chatbot[-1]["content"])


SHELTERS_QUESTION = "Which district shelter serves trafficked children?"
SHELTER_REPLY = (
    "Every district must run a shelter [1]. The district shelters serve trafficked children [1]. "
    "The child protection act requires every district to run one [1]."
)


def test_answer_streams_with_citation_markers_and_sources(app: RunningApp) -> None:
    app.engine.llm = ScriptedLLM([SHELTER_REPLY], delay=0.02)
    client = client_for(app)
    job = client.submit(SHELTERS_QUESTION, [], api_name="/ask")
    chatbot, box, panel, answer = job.result(timeout=30)
    partials = [out[0] for out in job.outputs() if out and out[0]]
    streaming = [p for p in partials if "lentera-streaming" in last_bot(p)]
    assert len(streaming) >= 3, "the answer should arrive in several streamed updates"
    assert len(last_bot(streaming[1])) < len(last_bot(streaming[-1]))
    html = last_bot(chatbot)
    assert 'class="lentera-cite" href="#lentera-cite-0-1"' in html
    assert "lentera-sources" in html and "shelters.txt" in html
    assert "ScriptedLLM" in html and " s</div>" in html  # backend and time line
    assert box == ""
    assert answer["citations"][0]["source"] == "shelters.txt"
    assert "shelters.txt" in panel


def test_clicking_a_citation_shows_the_highlighted_passage(app: RunningApp) -> None:
    client = client_for(app)
    ask(client, "Which district shelter serves trafficked children?")
    panel = client.predict("0-1", api_name="/show_citation")
    assert "Child Protection Act" in panel  # title
    assert "shelters.txt" in panel and "Section:" in panel  # file and section
    assert '<mark class="lentera-hl">' in panel
    assert "every district to run a shelter" in panel


def test_refusal_is_styled_apart_from_answers(app: RunningApp) -> None:
    client = client_for(app)
    chatbot, _, _, answer = ask(client, "What is the capital of Mongolia?")
    html = last_bot(chatbot)
    assert answer["refused"] is True
    assert 'class="lentera-refusal"' in html and "lentera-icon" in html
    assert "lentera-cite" not in html


def test_a_dead_model_server_gives_the_quoted_answer_marked_as_such(app: RunningApp) -> None:
    client = client_for(app)
    app.engine.llm = ScriptedLLM([BackendUnavailableError("LLM server 127.0.0.1:9 unreachable")])
    chatbot, _, _, answer = ask(client, "Which district shelter serves trafficked children?")
    assert not answer["refused"] and "every district to run a shelter" in answer["answer"]
    assert "unreachable" in answer["backend"]["fallback"]
    html = last_bot(chatbot)
    assert 'class="lentera-fallback"' in html and "quotes the sources" in html
    # While the model rests, the next question is answered from the evidence at once.
    app.engine.llm = ScriptedLLM(["never asked"])
    _, _, _, second = ask(client, "Which district shelter serves trafficked children?")
    assert second["backend"]["fallback"] and app.engine.llm.calls == []


def test_follow_up_sends_history_and_new_conversation_clears_it(app: RunningApp) -> None:
    client = client_for(app)
    ask(client, "Which district shelter serves trafficked children?")
    chatbot, _, _, _ = ask(client, "How often do shelters report to the ministry?")
    assert len(chatbot) == 4
    _, history, _ = app.engine.calls[-1]
    assert history[0][0] == "Which district shelter serves trafficked children?"
    assert "[1]" in history[0][1]
    cleared = client.predict(api_name="/new_conversation")
    assert cleared[0] == []
    ask(client, "How often do shelters report to the ministry?")
    assert app.engine.calls[-1][1] == ()


def test_restrict_questions_to_one_document(app: RunningApp) -> None:
    client = client_for(app)
    question = "Do inspectors or shelters protect trafficked children in garment factories?"
    _, _, _, everywhere = ask(client, question)
    assert {c["source"] for c in everywhere["citations"]} >= {"labour.txt"}
    _, _, _, only = ask(client, question, ["shelters.txt"])
    assert app.engine.calls[-1][2] == ("shelters.txt",)
    assert {c["source"] for c in only["citations"]} == {"shelters.txt"}


def test_upload_good_and_bad_files_in_one_go(app: RunningApp, tmp_path: Path) -> None:
    good = tmp_path / "policy notes.md"
    good.write_text("# Policy notes\nVillage councils keep a register of migrant children.\n")
    wrong_type = tmp_path / "tool.exe"
    wrong_type.write_bytes(b"MZ\x00\x01")
    unreadable = tmp_path / "broken.txt"
    unreadable.write_bytes(b"\x00\x01\x02\xff" * 50)  # binary, named .txt
    too_big = tmp_path / "huge.txt"
    too_big.write_text("word " * 300_000)  # 1.5 MB over the 1 MB limit of this app
    client = client_for(app)
    files = [handle_file(str(p)) for p in (good, wrong_type, unreadable, too_big)]
    result, table, _, _ = client.predict(files, [], api_name="/upload")
    lines = result.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("✓ policy_notes.md: added") or lines[0].startswith(
        "✓ policy notes.md: added"
    )
    assert lines[1].startswith("✗ tool.exe: failed") and ".exe" in lines[1]
    assert (
        lines[2].startswith("✗ broken.txt: failed (") and len(lines[2]) > 25
    )  # the loader's reason
    assert lines[3].startswith("✗ huge.txt: failed") and "1 MB" in lines[3]
    stored = sorted(p.name for p in app.settings.uploads_dir.iterdir())
    assert stored in (["broken.txt", "policy notes.md"], ["broken.txt", "policy_notes.md"])
    files_in_table = [row[1] for row in table["data"]]
    assert any(name.startswith("policy") for name in files_in_table)


def test_an_upload_never_replaces_a_library_document(app: RunningApp, tmp_path: Path) -> None:
    before = {d.source: d.chunks for d in app.library.documents()}
    imposter = tmp_path / "shelters.txt"
    imposter.write_text("Short note.\n\nNothing about shelters here.\n")
    client = client_for(app)
    result, *_ = client.predict([handle_file(str(imposter))], [], api_name="/upload")
    assert result.startswith("✓ shelters (2).txt: added (a different document named shelters.txt")
    after = {d.source: d.chunks for d in app.library.documents()}
    assert after["shelters.txt"] == before["shelters.txt"]  # the old version is untouched
    assert "shelters (2).txt" in after
    _, _, _, answer = ask(client, "How often do shelters report to the ministry?")
    assert not answer["refused"] and "shelters.txt" in {c["source"] for c in answer["citations"]}
    same = app.documents / "shelters.txt"  # the very same bytes: the same document again
    result, *_ = client.predict([handle_file(str(same))], [], api_name="/upload")
    assert result == "✓ shelters.txt: unchanged"


def test_remove_a_document(app: RunningApp) -> None:
    client = client_for(app)
    result, table, _, _ = client.predict("labour.txt", [], api_name="/remove_document")
    assert "labour.txt" in result
    assert [row[1] for row in table["data"]] == ["shelters.txt"]
    _, _, _, answer = ask(client, "What do factory inspectors fine garment employers for?")
    assert all(c["source"] != "labour.txt" for c in answer["citations"])


def test_feedback_is_stored_with_the_answer(app: RunningApp) -> None:
    client = client_for(app)
    ask(client, "Which district shelter serves trafficked children?")
    box, status = client.predict("cited the wrong law", api_name="/rate_unhelpful")
    assert box == "" and status
    path = app.settings.feedback_dir / "feedback.jsonl"
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    assert record["rating"] == "unhelpful"
    assert record["comment"] == "cited the wrong law"
    assert record["question"] == "Which district shelter serves trafficked children?"
    assert record["citations"][0]["source"] == "shelters.txt"
    assert record["backend"]["llm"] == "extractive"
    assert record["timestamp"]


def test_two_clients_do_not_share_conversations(app: RunningApp) -> None:
    first, second = client_for(app), client_for(app)
    ask(first, "Which district shelter serves trafficked children?")
    chatbot, _, _, _ = ask(second, "What do factory inspectors fine garment employers for?")
    assert len(chatbot) == 2
    assert "shelter serves" not in json.dumps(chatbot)
    assert app.engine.calls[-1][1] == ()
    ask(first, "How often do shelters report to the ministry?")
    history = app.engine.calls[-1][1]
    assert [q for q, _ in history] == ["Which district shelter serves trafficked children?"]


def test_document_html_is_shown_as_text(app: RunningApp) -> None:
    app.add_document(
        "evil.txt",
        "Evil page\n\nMidwives register newborn babies <script>alert(1)</script> at the clinic "
        "<img src=x onerror=alert(2)> every week.",
    )
    client = client_for(app)
    chatbot, _, panel, _ = ask(client, "Do midwives register newborn babies at the clinic?")
    html = last_bot(chatbot)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<script" not in panel
    passage = client.predict("0-1", api_name="/show_citation")
    assert "<script" not in passage and "<img" not in passage
    assert "&lt;img src=x onerror=alert(2)&gt;" in passage


def test_fixed_indonesian_labels_and_login(tmp_path: Path) -> None:
    from tests.ui.conftest import make_settings, real_parts
    from ui.app import build_app

    settings = make_settings(
        tmp_path, language="id", auth_user="staff", auth_password="s3cret", max_upload_mb=5
    )
    engine, library, _ = real_parts(settings, tmp_path / "documents")
    demo = build_app(engine, library, settings)
    by_id = {c["props"].get("elem_id"): c["props"] for c in demo.config["components"]}
    assert by_id["lentera-ask"]["value"] == "Tanya"
    assert by_id["lentera-new"]["value"] == "Percakapan baru"
    defaults = demo.launch_defaults  # type: ignore[attr-defined]
    login = defaults["auth"]  # the login guard, over the single login of the settings
    assert inspect.iscoroutinefunction(login)  # what Gradio's login route awaits
    assert asyncio.run(login("staff", "s3cret")) and not asyncio.run(login("staff", "guess"))
    assert defaults["server_name"] == "127.0.0.1" and defaults["share"] is False
    assert "lentera-cite-go" in defaults["head"]
