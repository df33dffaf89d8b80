"""The baseline gate: deltas, newly failing/passing questions, tolerance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.compare import BaselineError, compare, load_result


def result(fact: float, hit5: float, passing: dict[str, bool], refused: float = 0.1) -> dict:
    overall = {
        "fact_accuracy": fact,
        "refusal_accuracy": 0.9,
        "hit@5": hit5,
        "citation_validity": 1.0,
        "language_match": 0.95,
        "accuracy": fact,
        "answerable_refused": refused,
    }
    return {
        "config_hash": "abc",
        "aggregates": {"overall": overall},
        "questions": [
            {"gold": {"id": q}, "scores": {"correct": float(ok)}} for q, ok in passing.items()
        ],
    }


def test_no_regression_within_tolerance() -> None:
    base = result(0.80, 1.0, {"a": True, "b": False})
    now = result(0.79, 0.99, {"a": True, "b": True})
    c = compare(now, base, tolerance=0.02)
    assert not c.regressed
    assert c.newly_passing == ["b"] and c.newly_failing == []
    fact = next(d for d in c.deltas if d.name == "fact_accuracy")
    assert fact.delta == pytest.approx(-0.01) and fact.gated


def test_drop_beyond_tolerance_regresses() -> None:
    base = result(0.80, 1.0, {"a": True, "c": True})
    now = result(0.70, 1.0, {"a": False, "d": True}, refused=0.5)
    c = compare(now, base, tolerance=0.05)
    assert c.regressed
    assert [d.name for d in c.regressions] == ["fact_accuracy"]  # answerable_refused is not gated
    assert c.newly_failing == ["a"]
    assert c.only_in_current == ["d"] and c.only_in_baseline == ["c"]


def test_exact_tolerance_is_not_a_regression() -> None:
    c = compare(result(0.78, 1.0, {}), result(0.80, 1.0, {}), tolerance=0.02)
    assert not c.regressed


def test_load_result_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(BaselineError, match="not valid JSON"):
        load_result(bad)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"x": 1}), encoding="utf-8")
    with pytest.raises(BaselineError, match="not an eval result"):
        load_result(other)
    with pytest.raises(BaselineError, match="cannot read"):
        load_result(tmp_path / "missing.json")
