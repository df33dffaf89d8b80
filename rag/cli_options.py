"""Options every command shares: the data directory and the answer backend.

Each command passes them to ``rag.settings.load_settings``, where None means "not given on
the command line" (environment and config file decide).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import click

from rag.settings import LLMBackend

LLM_BACKENDS: list[str] = list(get_args(LLMBackend))

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def data_dir_option(
    help: str = "Data directory (default: LENTERA_DATA_DIR or the user's data dir).",
) -> Decorator:
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=help,
    )


def llm_option(help: str = "Answer backend (default: LENTERA_LLM, else local).") -> Decorator:
    return click.option("--llm", type=click.Choice(LLM_BACKENDS), default=None, help=help)
