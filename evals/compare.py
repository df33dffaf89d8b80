"""Compare an eval result with a committed baseline: metric deltas and a regression gate."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import LenteraError

DEFAULT_TOLERANCE = 0.02
# A drop of more than the tolerance in any of these fails the gate.
GATED = ("fact_accuracy", "refusal_accuracy", "hit@5", "citation_validity", "language_match")
REPORTED = (
    *GATED,
    "accuracy",
    "precision",
    "fact_recall",
    "hit@1",
    "hit@3",
    "mrr",
    "citation_precision",
    "citation_recall",
    "unanswerable_refused",
    "answerable_refused",
)
# Where a smaller number is better, a rise is the regression.
LOWER_IS_BETTER = frozenset({"answerable_refused"})
_EPSILON = 1e-9


class BaselineError(LenteraError):
    """A baseline file is missing or is not an eval result."""


@dataclass(frozen=True)
class MetricDelta:
    name: str
    baseline: float | None
    current: float | None
    gated: bool
    regressed: bool

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


@dataclass
class Comparison:
    tolerance: float
    baseline_config: str
    current_config: str
    deltas: list[MetricDelta] = field(default_factory=list)
    newly_failing: list[str] = field(default_factory=list)
    newly_passing: list[str] = field(default_factory=list)
    only_in_current: list[str] = field(default_factory=list)
    only_in_baseline: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[MetricDelta]:
        return [d for d in self.deltas if d.regressed]

    @property
    def regressed(self) -> bool:
        return bool(self.regressions)


def load_result(path: Path) -> dict[str, Any]:
    """A result.json (or committed baseline) as a dict; one-line error when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(data, dict) or "aggregates" not in data or "questions" not in data:
        raise BaselineError(f"{path}: not an eval result (no aggregates/questions)")
    return data


def _passing(result: Mapping[str, Any]) -> dict[str, bool]:
    return {q["gold"]["id"]: bool(q["scores"].get("correct")) for q in result["questions"]}


def metric_delta(name: str, baseline: Any, current: Any, tolerance: float) -> MetricDelta:
    gated = name in GATED
    regressed = False
    if gated and baseline is not None and current is not None:
        drop = (current - baseline) if name in LOWER_IS_BETTER else (baseline - current)
        regressed = drop > tolerance + _EPSILON
    return MetricDelta(name, baseline, current, gated, regressed)


def compare(
    result: Mapping[str, Any], baseline: Mapping[str, Any], tolerance: float = DEFAULT_TOLERANCE
) -> Comparison:
    """Per-metric deltas (overall) and the questions whose pass/fail changed."""
    current_overall = result["aggregates"]["overall"]
    baseline_overall = baseline["aggregates"]["overall"]
    comparison = Comparison(
        tolerance=tolerance,
        baseline_config=str(baseline.get("config_hash", "")),
        current_config=str(result.get("config_hash", "")),
    )
    for name in REPORTED:
        comparison.deltas.append(
            metric_delta(name, baseline_overall.get(name), current_overall.get(name), tolerance)
        )
    now, before = _passing(result), _passing(baseline)
    for qid in now:
        if qid not in before:
            comparison.only_in_current.append(qid)
        elif before[qid] and not now[qid]:
            comparison.newly_failing.append(qid)
        elif now[qid] and not before[qid]:
            comparison.newly_passing.append(qid)
    comparison.only_in_baseline = [qid for qid in before if qid not in now]
    return comparison
