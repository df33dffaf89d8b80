"""Turn a ``lentera eval`` result.json into a committed baseline: the same format, slimmer.

``evals.compare.compare`` needs only the aggregates and, per question, the gold id and whether
it was correct; reports need the gold entry, the scores, the answer and the models. Passage
texts (citation texts, retrieved previews) are most of a result's size and are left out, so a
baseline stays small and its diffs show what changed: answers, scores, aggregates, settings.

Usage: ``python -m evals.baselines.slim RESULT_JSON BASELINE_JSON``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core.errors import LenteraError
from evals.compare import load_result

# Per citation and per retrieved passage: everything but the passage text.
_DROPPED_PASSAGE_KEYS = frozenset({"text"})


def _without_text(items: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k not in _DROPPED_PASSAGE_KEYS} for item in items]


def slim_question(question: Mapping[str, Any]) -> dict[str, Any]:
    answer = dict(question["answer"])
    answer["citations"] = _without_text(answer.get("citations", []))
    slim = dict(question)
    slim["answer"] = answer
    slim["retrieved"] = _without_text(question.get("retrieved", []))
    return slim


def slim_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """The result with passage texts removed; every other field is kept as it was."""
    slim = dict(result)
    slim["questions"] = [slim_question(q) for q in result["questions"]]
    return slim


def dumps(baseline: Mapping[str, Any]) -> str:
    """JSON with one line per question: small, and a diff shows which questions changed."""
    head = {k: v for k, v in baseline.items() if k != "questions"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-1].rstrip() + ',\n "questions": [\n'
    questions = [json.dumps(q, ensure_ascii=False) for q in baseline["questions"]]
    return lines + ",\n".join(questions) + "\n ]\n}\n"


def write_baseline(result_path: Path, baseline_path: Path) -> int:
    """Slim ``result_path`` into ``baseline_path``; returns the bytes written."""
    text = dumps(slim_result(load_result(result_path)))
    baseline_path.parent.mkdir(parents=True, exist_ok=True)
    baseline_path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m evals.baselines.slim RESULT_JSON BASELINE_JSON", file=sys.stderr)
        return 2
    try:
        size = write_baseline(Path(argv[0]), Path(argv[1]))
    except LenteraError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"{argv[1]}: {size / 1024:.0f} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
