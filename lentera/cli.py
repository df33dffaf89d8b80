"""The ``lentera`` command: a thin shell over library calls.

Each subcommand lives in a small module of this package that imports only click and the
settings at load time; the heavy parts (llama-index, Chroma, Gradio) are imported inside the
commands, so ``lentera --help`` stays fast. Domain errors become one readable line and a
non-zero exit; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import sys

import click

from core.errors import LenteraError
from lentera.cli_answer import ask, chat
from lentera.cli_eval import eval_command
from lentera.cli_library import docs, ingest
from lentera.cli_models import models
from lentera.cli_serve import feedback, serve
from lentera.cli_users import users


def offline_environment() -> None:
    """Keep every library we load from reaching out to the network at run time."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="lentera")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Lentera: grounded, cited answers from a library of policy documents.

    Ask in English or Indonesian; every answer cites the passages it came from, or says
    plainly that the library does not contain the answer.

    \b
    Quick start:
      lentera ingest corpus/          # add documents to the library
      lentera ask "What is CPAP?"     # answer with citations
      lentera serve                   # the chat page on http://127.0.0.1:7860

    Settings come from LENTERA_* environment variables and an optional config file
    (LENTERA_CONFIG, default ~/.config/lentera/config.toml).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for _command in (ingest, docs, models, ask, chat, serve, feedback, users, eval_command):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    offline_environment()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        # Without standalone mode click returns the exit code of ctx.exit(n) instead of
        # exiting: pass it on, or a failed command would exit 0.
        code = cli.main(args=argv, prog_name="lentera", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except LenteraError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one readable line, not a traceback
        if debug:
            raise
        click.echo(f"Error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
