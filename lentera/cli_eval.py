"""``lentera eval``: answer accuracy against gold questions, per library, with a baseline gate.

``lentera eval`` runs every library the evals know (``evals.libraries``: the sample library
and each library no rule was tuned on), each ingested into its own data directory; ``--library``
picks some. ``--gold FILE --corpus DIR`` runs any gold file instead, over documents ingested
into the data directory itself. Each run writes ``result.json``, ``summary.md`` and
``report.html`` (under ``<out>/<library>/`` for named libraries), prints the summary, and with
``--baseline`` exits 1 when a gated metric dropped by more than the tolerance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from core.backends import LLM_BACKENDS
from evals.compare import DEFAULT_TOLERANCE
from lentera.cli_options import data_dir_option, llm_option, load_settings

if TYPE_CHECKING:
    from core.protocols import QuestionAnswerer, Retriever
    from core.settings import Settings
    from evals.gold import GoldQuestion
    from evals.runner import QuestionResult


@dataclass
class EvalParts:
    """What an eval run needs from the rest of Lentera, built once per library."""

    engine: QuestionAnswerer
    retriever: Retriever
    ingest: Callable[[Path], str]  # documents dir -> one-line summary


PartsFactory = Callable[["Settings"], EvalParts]


@dataclass(frozen=True)
class EvalRun:
    """One library (or custom gold file) to evaluate, and where its library lives."""

    name: str
    gold: tuple[Path, ...]
    documents: Path
    settings: Settings
    prune: bool  # a named library's data directory holds exactly its documents


def default_parts(settings: Settings, prune: bool = False) -> EvalParts:
    """The default engine and library (``lentera.assemble``) and the ingest pipeline."""
    from ingest.pipeline import ingest_paths
    from lentera.assemble import build_engine

    engine, library = build_engine(settings)

    def ingest(documents: Path) -> str:
        report = ingest_paths([documents], library, prune=prune)
        if not report.ok:
            failed = "; ".join(f"{f}: {r}" for f, r in report.failed)
            raise click.ClickException(f"ingesting {documents} failed: {failed}")
        return report.summary()

    return EvalParts(engine=engine, retriever=engine.retriever, ingest=ingest)


@click.command("eval")
@click.option(
    "--library",
    "library_names",
    multiple=True,
    help="Evaluate this library (repeatable; default: every library, see evals/libraries.py).",
)
@click.option(
    "--gold",
    "gold_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A gold question file (JSONL, DESIGN.md format) instead of a library; repeatable.",
)
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="With --gold: the documents its questions are about (default: corpus/).",
)
@llm_option()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output directory (default: evals/results/<timestamp>/).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A result.json to compare with (one library only); exit 1 when a gated metric regressed.",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_TOLERANCE,
    show_default=True,
    help="Largest drop of a gated metric that is not a regression.",
)
@data_dir_option("Data directory (default: LENTERA_DATA_DIR); libraries go to <dir>/eval/<name>.")
@click.option(
    "--ingest/--no-ingest",
    default=True,
    show_default=True,
    help="Make sure the documents are ingested first.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N.")
@click.option(
    "--judge-llm",
    type=click.Choice(list(LLM_BACKENDS[:3])),
    default=None,
    help="Also grade answers with an LLM judge on this backend (optional).",
)
@click.option("--judge-model", default=None, help="Model name for the judge backend.")
@click.option("--judge-base-url", default=None, help="Base URL of the judge's server.")
@click.option("--quiet", "-q", is_flag=True, help="No per-question progress lines.")
@click.pass_context
def eval_command(
    ctx: click.Context,
    library_names: tuple[str, ...],
    gold_files: tuple[Path, ...],
    corpus: Path | None,
    llm: str | None,
    out: Path | None,
    baseline: Path | None,
    tolerance: float,
    data_dir: Path | None,
    ingest: bool,
    limit: int | None,
    judge_llm: str | None,
    judge_model: str | None,
    judge_base_url: str | None,
    quiet: bool,
) -> None:
    """Measure answer accuracy against gold questions and write the reports."""
    settings = load_settings(data_dir=data_dir, llm=llm)
    runs = _runs(library_names, gold_files, corpus, settings)
    if baseline is not None and len(runs) > 1:
        raise click.UsageError("--baseline compares one library: add --library NAME")
    factory: Callable[[Settings, bool], EvalParts] = (ctx.obj or {}).get(
        "eval_parts_factory"
    ) or default_parts
    out_dir = out or Path("evals") / "results" / datetime.now().strftime("%Y%m%d-%H%M%S")
    regressed = False
    for run in runs:
        target = out_dir if len(runs) == 1 and gold_files else out_dir / run.name
        result = _evaluate(run, factory, ingest, limit, quiet)
        if judge_llm:
            _judge(result, run.settings, judge_llm, judge_model, judge_base_url, quiet)
        regressed |= _report(
            result, run.name if len(runs) > 1 else None, baseline, tolerance, target
        )
    click.echo(f"reports: {out_dir}/", err=True)
    if regressed:
        raise click.exceptions.Exit(1)


def _runs(
    names: Sequence[str], gold_files: Sequence[Path], corpus: Path | None, settings: Settings
) -> list[EvalRun]:
    from evals.libraries import SAMPLE_DOCUMENTS, eval_libraries
    from rag.models import local_model_path

    if gold_files:
        if names:
            raise click.UsageError("give either --library or --gold, not both")
        return [EvalRun("custom", tuple(gold_files), corpus or SAMPLE_DOCUMENTS, settings, False)]
    if corpus is not None:
        raise click.UsageError("--corpus goes with --gold (libraries know their documents)")
    known = eval_libraries()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} (known: {', '.join(known)})", param_hint="--library"
        )
    chosen = [known[n] for n in dict.fromkeys(names)] if names else list(known.values())
    # Every library's data directory is its own, but the 1.1 GB local model is shared.
    model = settings.local_model.model_copy(update={"path": local_model_path(settings)})
    return [
        EvalRun(
            lib.name,
            lib.gold,
            lib.documents,
            settings.model_copy(
                update={"data_dir": lib.data_dir(settings.data_dir), "local_model": model}
            ),
            True,
        )
        for lib in chosen
    ]


def _evaluate(
    run: EvalRun,
    factory: Callable[[Settings, bool], EvalParts],
    ingest: bool,
    limit: int | None,
    quiet: bool,
) -> dict[str, Any]:
    from evals.runner import run_eval

    gold = _load_gold_or_exit(list(run.gold))[:limit]
    parts = factory(run.settings, run.prune)
    if ingest:
        click.echo(f"{run.name} ({run.documents}): {parts.ingest(run.documents)}", err=True)
    result = run_eval(
        parts.engine,
        parts.retriever,
        gold,
        run.settings,
        progress=None if quiet else _progress_line,
        corpus_files=sorted(p for p in run.documents.iterdir() if p.is_file()),
    ).to_dict()
    result["library"] = run.name
    return result


def _report(
    result: dict[str, Any],
    heading: str | None,
    baseline: Path | None,
    tolerance: float,
    out_dir: Path,
) -> bool:
    """Write and print one run's reports; True when it regressed below the baseline."""
    from evals.compare import compare, load_result
    from evals.report import write_reports

    comparison = compare(result, load_result(baseline), tolerance) if baseline else None
    summary = write_reports(result, comparison, out_dir)
    if heading:
        click.echo(f"## Library: {heading}\n")
    click.echo(summary)
    return comparison is not None and comparison.regressed


def _load_gold_or_exit(paths: list[Path]) -> list[GoldQuestion]:
    from evals.gold import GoldFormatError, load_gold

    try:
        return load_gold(paths)
    except GoldFormatError as exc:
        for problem in exc.problems:
            click.echo(f"Error: {problem}", err=True)
        raise click.exceptions.Exit(2) from exc


def _progress_line(done: int, total: int, result: QuestionResult) -> None:
    verdict = "ok" if result.scores.get("correct") else "FAIL"
    total_ms = result.answer.get("timings_ms", {}).get("total")
    took = f" {total_ms:.0f} ms" if total_ms is not None else ""
    click.echo(f"[{done}/{total}] {result.gold.id}: {verdict}{took}", err=True)


def _judge(
    result: dict[str, Any],
    settings: Settings,
    backend: str,
    model: str | None,
    base_url: str | None,
    quiet: bool,
) -> None:
    from evals.judge import Judge, judge_result, judge_settings
    from rag.llm import build_llm

    llm = build_llm(judge_settings(settings, backend, model, base_url))

    def progress(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"[judge {done}/{total}]", err=True)

    judge_result(result, Judge(llm), progress)
