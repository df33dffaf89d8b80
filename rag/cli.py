"""The ``lentera`` command: a thin shell over library calls.

Subcommands live in small modules and are imported only when run, so ``lentera --help`` stays
fast (no llama-index, Chroma or Gradio import on that path). Domain errors become one readable
line and a non-zero exit; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from rag.errors import LenteraError

# name -> (module, attribute, one-line help). The help is here so --help needs no import.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "ingest": ("rag.cli_library", "ingest", "Add or update documents (files or folders)."),
    "docs": ("rag.cli_library", "docs", "List or remove documents in the library."),
    "models": ("rag.cli_models", "models", "Install or check the offline models."),
    "ask": ("rag.cli_answer", "ask", "Answer a question from the library, with citations."),
    "chat": ("rag.cli_answer", "chat", "A conversation in the terminal, with follow-ups."),
    "serve": ("ui.cli", "serve", "Start the chat page in the browser."),
    "feedback": ("ui.cli", "feedback", "Export feedback given on the page."),
    "eval": ("evals.cli", "eval_command", "Measure answer accuracy against gold questions."),
}


def offline_environment() -> None:
    """Keep every library we load from reaching out to the network at run time."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attr, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The group's --help lists the one-liners above instead of importing every module.
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
