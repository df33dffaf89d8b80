"""Options every command shares (the data directory, the answer backend) and the settings.

Each command passes its options to ``load_settings``, where None means "not given on the
command line" (environment and config file decide). pydantic is imported only then, so that
``lentera --help`` does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from core.backends import LLM_BACKENDS

if TYPE_CHECKING:
    from core.settings import Settings

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
    return click.option("--llm", type=click.Choice(list(LLM_BACKENDS)), default=None, help=help)


def load_settings(**overrides: Any) -> Settings:
    """The settings of one command run (see ``core.settings.load_settings``)."""
    from core.settings import load_settings as load

    return load(**overrides)
