"""``lentera users``: the accounts that may log in to the page, and their roles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lentera.cli_options import data_dir_option, load_settings

if TYPE_CHECKING:
    from ui.accounts import AccountStore


def _store(data_dir: Path | None) -> AccountStore:
    from ui.accounts import AccountStore

    return AccountStore(load_settings(data_dir=data_dir).users_file)


@click.group()
def users() -> None:
    """Accounts for the chat page: staff may ask and rate, admins may also add and remove
    documents. The first account turns the page's login on."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "staff"]),
    default="staff",
    show_default=True,
    help="staff: ask and give feedback; admin: also upload and remove documents.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input (one line) instead of asking for it.",
)
@click.option("--replace", is_flag=True, help="Change the role or password of an existing user.")
@data_dir_option("Data directory whose users file to change (default: LENTERA_DATA_DIR).")
def add(name: str, role: str, password_stdin: bool, replace: bool, data_dir: Path | None) -> None:
    """Add the user NAME (asks for a password of 8 or more characters)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _store(data_dir)
    account = store.add(name, password, role, replace=replace)
    click.echo(f"{account.name}: {account.role} (in {store.path})")


@users.command("remove")
@click.argument("name")
@data_dir_option("Data directory whose users file to change (default: LENTERA_DATA_DIR).")
def remove(name: str, data_dir: Path | None) -> None:
    """Remove the user NAME."""
    store = _store(data_dir)
    if not store.remove(name):
        raise click.ClickException(f"no user {name} in {store.path}")
    click.echo(f"Removed {name}")


@users.command("list")
@data_dir_option("Data directory whose users to list (default: LENTERA_DATA_DIR).")
def list_users(data_dir: Path | None) -> None:
    """List users and their roles (never their passwords)."""
    store = _store(data_dir)
    accounts = store.accounts()
    if not accounts:
        click.echo(f"No users in {store.path}: the page has no login.", err=True)
    for account in sorted(accounts.values(), key=lambda a: a.name):
        click.echo(f"{account.name}\t{account.role}")
