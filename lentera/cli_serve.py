"""``lentera serve`` (the chat page) and ``lentera feedback export``.

Gradio and the engine are imported inside the commands, so ``lentera --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from lentera.cli_options import data_dir_option, llm_option, load_settings

if TYPE_CHECKING:
    from core.settings import Settings


def _settings(
    data_dir: Path | None, llm: str | None, host: str | None = None, port: int | None = None
) -> Settings:
    settings = load_settings(data_dir=data_dir, llm=llm)
    ui_changes = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    if ui_changes:
        settings = settings.model_copy(update={"ui": settings.ui.model_copy(update=ui_changes)})
    return settings


def _ingest_now(paths: tuple[Path, ...], library: Any) -> None:
    from ingest.pipeline import ingest_paths

    click.echo(f"Ingesting {', '.join(str(p) for p in paths)} ...", err=True)
    report = ingest_paths(list(paths), library)
    click.echo(f"Ingest: {report.summary()}", err=True)
    for name, reason in report.failed:
        click.echo(f"  failed: {name}: {reason}", err=True)


@click.command()
@data_dir_option("Library and feedback directory (default: LENTERA_DATA_DIR).")
@llm_option()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 7860).")
@click.option(
    "--ingest",
    "ingest_paths",
    type=click.Path(exists=True, path_type=Path),
    multiple=True,
    help="Ingest these files or folders first (e.g. corpus/).",
)
def serve(
    data_dir: Path | None,
    llm: str | None,
    host: str | None,
    port: int | None,
    ingest_paths: tuple[Path, ...],
) -> None:
    """Start the chat page in the browser."""
    settings = _settings(data_dir, llm, host, port)
    from lentera.assemble import build_engine
    from ui.app import build_app, page_access

    engine, library = build_engine(settings)
    engine.warm_up_in_background()  # the model loads while the page starts
    if ingest_paths:
        _ingest_now(ingest_paths, library)
    if not library.documents():
        click.echo(
            "The library is empty. Add documents with `lentera ingest corpus/`, start with "
            "`lentera serve --ingest corpus/`, or upload files in the page's Library tab.",
            err=True,
        )

    def ingest(paths: list[Path], progress: Any) -> Any:
        from ingest.pipeline import ingest_paths as run_ingest

        return run_ingest(paths, library, progress=progress)

    demo = build_app(engine, library, settings, ingest=ingest)
    try:
        demo.launch(prevent_thread_lock=True, quiet=True)
    except OSError as exc:
        raise click.ClickException(
            f"cannot serve on {settings.ui.host}:{settings.ui.port}: {exc}"
        ) from exc
    click.echo(f"Lentera is running on {demo.local_url}  (Ctrl+C to stop)")
    if (
        settings.ui.host not in ("127.0.0.1", "localhost")
        and not page_access(settings).login_required
    ):
        click.echo(
            "Warning: the page is reachable from other machines and has no login "
            "(add one with `lentera users add NAME --role admin`).",
            err=True,
        )
    try:
        demo.block_thread()
    finally:
        demo.close()


@click.group()
def feedback() -> None:
    """Export feedback given on the page."""


@feedback.command("export")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the drafts here (default: standard output).",
)
@data_dir_option("Data directory whose feedback to export (default: LENTERA_DATA_DIR).")
def export(out: Path | None, data_dir: Path | None) -> None:
    """Write answers rated unhelpful as gold-question drafts (eval format, JSON lines)."""
    from ui.feedback import FeedbackStore, export_unhelpful

    settings = _settings(data_dir, None)
    drafts = export_unhelpful(FeedbackStore(settings.feedback_dir), out)
    if out is None:
        for draft in drafts:
            click.echo(json.dumps(draft, ensure_ascii=False))
    else:
        click.echo(f"Wrote {len(drafts)} gold-question drafts to {out}", err=True)
