"""``lentera eval``: answer-accuracy evals against gold questions, reports and a baseline gate.

Writes ``result.json``, ``summary.md`` and ``report.html`` to the output directory, prints the
summary, and with ``--baseline`` exits 1 when a gated metric dropped by more than the tolerance.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from evals.compare import DEFAULT_TOLERANCE, Comparison, compare, load_result
from evals.gold import GoldFormatError, GoldQuestion, load_gold, project_gold_files
from evals.runner import Engine, QuestionResult, Retriever, run_eval
from rag.cli_options import LLM_BACKENDS, data_dir_option, llm_option
from rag.settings import Settings, load_settings

PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
BACKENDS = LLM_BACKENDS


@dataclass
class EvalParts:
    """What an eval run needs from the rest of Lentera, built once at the entry point."""

    engine: Engine
    retriever: Retriever
    ingest: Callable[[Path], str]  # corpus dir -> one-line summary


PartsFactory = Callable[[Settings], EvalParts]


def default_parts(settings: Settings) -> EvalParts:
    """The default engine and library (rag.assemble) and the ingest pipeline."""
    from ingest.pipeline import ingest_paths
    from rag.assemble import build_engine

    engine, library = build_engine(settings)

    def ingest(corpus: Path) -> str:
        report = ingest_paths([corpus], library, settings=settings)
        if not report.ok:
            failed = "; ".join(f"{f}: {r}" for f, r in report.failed)
            raise click.ClickException(f"ingesting {corpus} failed: {failed}")
        return report.summary()

    return EvalParts(engine=engine, retriever=engine.retriever, ingest=ingest)


@click.command("eval")
@click.option(
    "--gold",
    "gold_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Gold question file (JSONL, DESIGN.md format); repeatable. Default: evals/gold/*.jsonl.",
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
    help="A result.json to compare with; exit 1 when a gated metric regressed.",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_TOLERANCE,
    show_default=True,
    help="Largest drop of a gated metric that is not a regression.",
)
@data_dir_option()
@click.option(
    "--ingest/--no-ingest",
    default=True,
    show_default=True,
    help="Make sure the corpus is ingested into the data directory first.",
)
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Documents the gold questions are about (default: the project's corpus/).",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N.")
@click.option(
    "--judge-llm",
    type=click.Choice(BACKENDS[:3]),
    default=None,
    help="Also grade answers with an LLM judge on this backend (optional).",
)
@click.option("--judge-model", default=None, help="Model name for the judge backend.")
@click.option("--judge-base-url", default=None, help="Base URL of the judge's server.")
@click.option("--quiet", "-q", is_flag=True, help="No per-question progress lines.")
@click.pass_context
def eval_command(
    ctx: click.Context,
    gold_files: tuple[Path, ...],
    llm: str | None,
    out: Path | None,
    baseline: Path | None,
    tolerance: float,
    data_dir: Path | None,
    ingest: bool,
    corpus: Path | None,
    limit: int | None,
    judge_llm: str | None,
    judge_model: str | None,
    judge_base_url: str | None,
    quiet: bool,
) -> None:
    """Measure answer accuracy against gold questions and write the reports."""
    gold = _load_gold_or_exit(list(gold_files) or project_gold_files())[:limit]
    baseline_data = load_result(baseline) if baseline is not None else None
    settings = load_settings(data_dir=data_dir, llm=llm)
    corpus_dir = corpus or PROJECT_CORPUS
    factory: PartsFactory = (ctx.obj or {}).get("eval_parts_factory") or default_parts
    parts = factory(settings)
    if ingest:
        click.echo(f"corpus {corpus_dir}: {parts.ingest(corpus_dir)}", err=True)
    result = run_eval(
        parts.engine,
        parts.retriever,
        gold,
        settings,
        progress=None if quiet else _progress_line,
        corpus_files=sorted(p for p in corpus_dir.iterdir() if p.is_file()),
    ).to_dict()
    if judge_llm:
        _judge(result, settings, judge_llm, judge_model, judge_base_url, quiet)
    comparison = compare(result, baseline_data, tolerance) if baseline_data else None
    out_dir = out or Path("evals") / "results" / datetime.now().strftime("%Y%m%d-%H%M%S")
    summary = write_reports(result, comparison, out_dir)
    click.echo(summary)
    click.echo(f"reports: {out_dir}/", err=True)
    if comparison is not None and comparison.regressed:
        raise click.exceptions.Exit(1)


def _load_gold_or_exit(paths: list[Path]) -> list[GoldQuestion]:
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


def write_reports(result: dict[str, Any], comparison: Comparison | None, out_dir: Path) -> str:
    """Write result.json, summary.md and report.html; return the summary text."""
    from evals.report import html_report, markdown_summary

    out_dir.mkdir(parents=True, exist_ok=True)
    summary = markdown_summary(result, comparison)
    (out_dir / "result.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (out_dir / "summary.md").write_text(summary, encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(result, comparison), encoding="utf-8")
    return summary
