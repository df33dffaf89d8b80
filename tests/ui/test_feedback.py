"""The feedback store and its export as gold-question drafts."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from click.testing import CliRunner

from lentera.cli_serve import feedback
from ui.feedback import FeedbackRecord, FeedbackStore, export_unhelpful

ANSWER = {
    "question": "Apa peran ECPAT?",
    "answer": "ECPAT bekerja sama dengan polisi. [1]",
    "language": "id",
    "refused": False,
    "citations": [
        {
            "n": 1,
            "source": "indonesia-ecpat-child-trafficking.txt",
            "title": "T",
            "section": "S",
            "start": 0,
            "end": 5,
            "text": "x",
            "score": 0.5,
        }
    ],
    "backend": {"llm": "extractive", "embedding": "e5"},
}


def test_records_survive_and_concurrent_writers_do_not_interleave(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback")

    def write(i: int) -> None:
        for j in range(20):
            store.add(FeedbackRecord.from_answer(ANSWER, "helpful", f"c{i}-{j}"))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = list(FeedbackStore(tmp_path / "feedback").records())
    assert len(records) == 80
    assert {r.comment for r in records} == {f"c{i}-{j}" for i in range(4) for j in range(20)}


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    store.add(FeedbackRecord.from_answer(ANSWER, "unhelpful"))
    with store.path.open("a") as handle:
        handle.write('{"question": "half')
    assert len(list(store.records())) == 1


def test_export_writes_unhelpful_answers_as_gold_drafts(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "data" / "feedback")
    store.add(FeedbackRecord.from_answer(ANSWER, "unhelpful", "missed the MoU"))
    store.add(FeedbackRecord.from_answer({**ANSWER, "question": "Good one?"}, "helpful"))
    out = tmp_path / "drafts.jsonl"
    drafts = export_unhelpful(store, out)
    assert len(drafts) == 1
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["q"] == "Apa peran ECPAT?" and line["lang"] == "id"
    assert line["docs"] == ["indonesia-ecpat-child-trafficking"]
    assert line["facts"] == [] and line["unanswerable"] is False
    assert "missed the MoU" in line["note"] and line["id"].startswith("fb-")


def test_feedback_export_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    FeedbackStore(data / "feedback").add(FeedbackRecord.from_answer(ANSWER, "unhelpful"))
    out = tmp_path / "out" / "gold.jsonl"
    result = CliRunner().invoke(feedback, ["export", "--out", str(out), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "Wrote 1" in result.output
    assert json.loads(out.read_text())["docs"] == ["indonesia-ecpat-child-trafficking"]
    printed = CliRunner().invoke(feedback, ["export", "--data-dir", str(data)])
    assert json.loads(printed.output.strip())["q"] == "Apa peran ECPAT?"
