"""The eval regression gate: extractive answers on every gated library vs its baseline.

Runs each library's gold questions through the engine ``lentera eval --llm extractive`` builds
(real e5; the sample library is the session's shared one, the others are ingested here) and
fails when a gated metric dropped by more than the default tolerance below
``evals/baselines/<library>-extractive.json``. When a change makes answers better or
deliberately different, regenerate the baselines with ``make baselines`` and commit them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.baselines.slim import slim_result
from evals.compare import DEFAULT_TOLERANCE, GATED, Comparison, compare, load_result
from evals.gold import load_gold
from evals.libraries import eval_libraries
from tests.conftest import PROJECT_ROOT, SampleLibrary

BASELINES = PROJECT_ROOT / "evals" / "baselines"
LIBRARIES = eval_libraries()
GATED_LIBRARIES = sorted(
    p.name.removesuffix("-extractive.json") for p in BASELINES.glob("*-extractive.json")
)
MAX_BASELINE_BYTES = 300_000


def baseline_of(library: str) -> Path:
    return BASELINES / f"{library}-extractive.json"


def gate_failure(comparison: Comparison, result: dict[str, Any], library: str) -> str:
    """What regressed, readably: metrics with their numbers, then the newly failing questions."""
    lines = [f"extractive eval fell below {baseline_of(library).relative_to(PROJECT_ROOT)}:"]
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


def test_the_sample_library_and_one_no_rule_was_tuned_on_are_gated() -> None:
    assert "sample" in GATED_LIBRARIES and len(GATED_LIBRARIES) >= 2
    assert set(GATED_LIBRARIES) <= set(LIBRARIES)


@pytest.mark.parametrize("library", GATED_LIBRARIES)
def test_baseline_is_a_small_eval_result_for_the_librarys_gold(library: str) -> None:
    path = baseline_of(library)
    baseline = load_result(path)  # raises with the file's name when it is not a result
    assert path.stat().st_size < MAX_BASELINE_BYTES
    assert baseline["settings"]["llm"] == "extractive" and baseline["library"] == library
    assert {q["gold"]["id"] for q in baseline["questions"]} == {
        g.id for g in load_gold(list(LIBRARIES[library].gold))
    }
    assert set(GATED) <= set(baseline["aggregates"]["overall"])


@pytest.mark.integration
@pytest.mark.parametrize("library", GATED_LIBRARIES)
def test_extractive_eval_does_not_regress(
    library: str, sample_library: SampleLibrary, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from core.settings import Settings
    from evals.runner import run_eval
    from lentera.cli_eval import default_parts

    spec = LIBRARIES[library]
    if library == "sample":  # the session's shared library: the same documents, already in
        data_dir = sample_library.data_dir
    else:
        data_dir = tmp_path_factory.mktemp(f"gate-{library}")
    # The same parts `lentera eval --llm extractive` builds.
    settings = Settings(data_dir=data_dir, llm="extractive")
    parts = default_parts(settings, prune=library != "sample")
    if library != "sample":
        parts.ingest(spec.documents)
    result = run_eval(
        parts.engine,
        parts.retriever,
        load_gold(list(spec.gold)),
        settings,
        corpus_files=spec.document_files(),
    ).to_dict()
    result["library"] = library
    comparison = compare(slim_result(result), load_result(baseline_of(library)), DEFAULT_TOLERANCE)
    # The same rule as `lentera eval --baseline`: a gated metric dropped beyond the tolerance.
    assert not comparison.regressed, gate_failure(comparison, result, library)
