"""``lentera ingest`` and ``lentera docs``: fill the library, list it, remove from it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from core.text.display import one_line, shown
from lentera.cli_options import data_dir_option, llm_option, load_settings

if TYPE_CHECKING:
    from core.settings import Settings
    from ingest.library import DocumentInfo, Library
    from ingest.pipeline import ProgressCallback

_DATA_DIR = data_dir_option()
_LLM = llm_option("Answer backend (default: LENTERA_LLM); ingest itself needs no LLM.")


def _open_library(settings: Settings) -> Library:
    from ingest.embedding import build_embedder
    from ingest.library import Library

    # Deferred: an unchanged re-ingest or a listing never loads the model (nor llama-index).
    return Library.open(settings, build_embedder(settings, deferred=True))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_DATA_DIR
@_LLM
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option(
    "--prune", is_flag=True, help="Also remove documents whose files are not among PATHS."
)
def ingest(
    paths: tuple[Path, ...], data_dir: Path | None, llm: str | None, quiet: bool, prune: bool
) -> None:
    """Add or update documents from files or folders; unchanged files are skipped.

    Exits with 1 when any file could not be ingested (the others are still ingested).
    """
    from ingest.pipeline import ingest_paths

    settings = load_settings(data_dir=data_dir, llm=llm)
    library = _open_library(settings)
    with _progress_bars(disabled=quiet) as progress:
        report = ingest_paths(paths, library, progress=progress, prune=prune)
    for line in report.skipped:
        click.echo(line, err=True)
    for file, reason in report.failed:
        click.echo(f"{shown(file)}: {one_line(reason)}", err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)  # not click.Exit: `lentera` runs click with standalone_mode=False


@contextmanager
def _progress_bars(disabled: bool) -> Iterator[ProgressCallback]:
    """Two tqdm bars on stderr: files looked at, and chunks embedded."""
    from tqdm import tqdm

    from ingest.pipeline import ProgressEvent

    files = tqdm(total=0, unit="file", desc="documents", disable=disabled, position=0)
    chunks = tqdm(total=0, unit="chunk", desc="embedding", disable=disabled, position=1)

    def progress(event: ProgressEvent) -> None:
        if event.kind == "files":
            files.total = event.count
            files.refresh()
        elif event.kind == "chunks":
            chunks.total = (chunks.total or 0) + event.count
            chunks.refresh()
        elif event.kind == "embedded":
            chunks.update(event.count)
        elif event.kind == "file_done":
            files.set_postfix_str(Path(event.file).name, refresh=False)
            files.update(1)

    try:
        yield progress
    finally:
        chunks.close()
        files.close()


@click.group()
def docs() -> None:
    """List or remove documents in the library."""


@docs.command("list")
@_DATA_DIR
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of a table.")
def list_documents(data_dir: Path | None, as_json: bool) -> None:
    """The documents in the library: title, file, language, chunks, when ingested."""
    library = _open_library(load_settings(data_dir=data_dir))
    infos = library.documents()
    if as_json:
        click.echo(json.dumps([info.metadata() for info in infos], ensure_ascii=False, indent=2))
        return
    if not infos:
        click.echo("The library is empty: add documents with `lentera ingest PATH`.")
        return
    for line in _table(infos):
        click.echo(line)


def _table(infos: list[DocumentInfo]) -> list[str]:
    rows: list[tuple[Any, ...]] = [("TITLE", "FILE", "LANG", "CHUNKS", "INGESTED")]
    for info in infos:
        title = one_line(info.title, 48)
        when = info.ingested_at[:16].replace("T", " ")
        rows.append((title, shown(info.source), info.language, info.chunks, when))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            str(cell).rjust(w) if i == 3 else str(cell).ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


@docs.command("remove")
@click.argument("names", nargs=-1, required=True)
@_DATA_DIR
def remove_documents(names: tuple[str, ...], data_dir: Path | None) -> None:
    """Remove documents by file name (as shown by `lentera docs list`)."""
    library = _open_library(load_settings(data_dir=data_dir))
    missing = []
    for name in names:
        if library.remove(Path(name).name):
            click.echo(f"removed {shown(Path(name).name)}")
        else:
            missing.append(name)
    for name in missing:
        click.echo(f"Error: no document named {shown(name)!r} in the library", err=True)
    if missing:
        sys.exit(1)  # not click.Exit: `lentera` runs click with standalone_mode=False
