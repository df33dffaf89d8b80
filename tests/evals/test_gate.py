"""The eval regression gate: extractive answers on the real sample library vs the baseline.

Runs the project's gold questions through the engine ``lentera eval --llm extractive`` builds
(real e5, the session's shared sample library) and fails when a gated metric dropped by more
than the default tolerance below ``evals/baselines/extractive.json``. When a change makes
answers better or deliberately different, regenerate the baseline with ``make baselines`` and
commit it with the change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.baselines.slim import slim_result
from evals.compare import DEFAULT_TOLERANCE, GATED, Comparison, compare, load_result
from evals.gold import load_gold, project_gold_files
from tests.conftest import CORPUS_DIR, PROJECT_ROOT, SampleLibrary

BASELINE = PROJECT_ROOT / "evals" / "baselines" / "extractive.json"
MAX_BASELINE_BYTES = 300_000


def gate_failure(comparison: Comparison, result: dict[str, Any]) -> str:
    """What regressed, readably: metrics with their numbers, then the newly failing questions."""
    lines = [f"extractive eval fell below {BASELINE.relative_to(PROJECT_ROOT)}:"]
    for d in comparison.regressions:
        lines.append(
            f"  {d.name}: {d.baseline:.3f} -> {d.current:.3f} ({d.delta:+.3f}, "
            f"tolerance {comparison.tolerance})"
        )
    questions = {q["gold"]["id"]: q for q in result["questions"]}
    if comparison.newly_failing:
        lines.append("newly failing questions:")
    for qid in comparison.newly_failing:
        q = questions[qid]
        verdict = "refused" if q["answer"]["refused"] else "answered"
        lines.append(f"  {qid} ({verdict}): {q['gold']['q']}")
    if comparison.baseline_config != comparison.current_config:
        lines.append(
            f"(settings differ: baseline config {comparison.baseline_config}, "
            f"now {comparison.current_config})"
        )
    lines.append("If the change is intended, run `make baselines` and commit the new baseline.")
    return "\n".join(lines)


def test_baseline_is_a_small_eval_result_for_the_project_gold() -> None:
    baseline = load_result(BASELINE)  # raises with the file's name when it is not a result
    assert BASELINE.stat().st_size < MAX_BASELINE_BYTES
    assert baseline["settings"]["llm"] == "extractive"
    assert {q["gold"]["id"] for q in baseline["questions"]} == {
        g.id for g in load_gold(project_gold_files())
    }
    assert set(GATED) <= set(baseline["aggregates"]["overall"])


@pytest.mark.integration
def test_extractive_eval_does_not_regress(sample_library: SampleLibrary) -> None:
    from core.settings import Settings
    from evals.runner import run_eval
    from lentera.cli_eval import default_parts

    # The same parts `lentera eval --llm extractive` builds, over the shared library.
    settings = Settings(data_dir=sample_library.data_dir, llm="extractive")
    parts = default_parts(settings)
    result = run_eval(
        parts.engine,
        parts.retriever,
        load_gold(project_gold_files()),
        settings,
        corpus_files=sorted(p for p in Path(CORPUS_DIR).iterdir() if p.is_file()),
    ).to_dict()
    comparison = compare(slim_result(result), load_result(BASELINE), DEFAULT_TOLERANCE)
    # The same rule as `lentera eval --baseline`: a gated metric dropped beyond the tolerance.
    assert not comparison.regressed, gate_failure(comparison, result)
