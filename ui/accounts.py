"""Who may use the page, and for what: accounts with roles, hashed passwords, a login guard.

Accounts live in one JSON file (``settings.users_file``), written by ``lentera users add``:
``{"users": {"name": {"role": "admin", "password": "scrypt$..."}}}``. Passwords are kept only
as salted scrypt hashes; the file is written atomically and readable by its owner alone.

Roles: ``staff`` may ask and give feedback; ``admin`` may also upload and remove documents.
With no accounts (and no single login in the settings) the page is a one-person tool on its
own machine, and that person may do everything.

Gradio checks a session cookie on every route once ``auth`` is set, so a logged-out caller
reaches no endpoint; the role of a logged-in one is checked inside each handler that changes
the library (``Access.require``), because Gradio itself knows no roles.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from core.errors import LenteraError

Role = Literal["admin", "staff"]
ROLES: tuple[str, ...] = get_args(Role)
ADMIN_ACTIONS = frozenset({"upload", "remove"})
# scrypt at n=2**14, r=8: ~16 MB and ~50 ms per check, the cost OWASP names for interactive
# logins; the parameters are stored with each hash, so they can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")


class AccountError(LenteraError):
    """A users file or an account that cannot be used as asked."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def check_name(name: str) -> str:
    """A login name: lower-case letters, digits and ``._-@``, 1-64 characters."""
    clean = name.strip().lower()
    if not clean or len(clean) > 64 or not set(clean) <= _NAME_CHARS:
        raise AccountError(
            f"invalid user name {name!r}: use 1-64 letters, digits or . _ - @ (no spaces)"
        )
    return clean


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    password_hash: str


class AccountStore:
    """The users file: read on every call (so `lentera users add` applies to a running page)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def accounts(self) -> dict[str, Account]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            users = data["users"]
            return {
                name: Account(name, _role(entry["role"]), str(entry["password"]))
                for name, entry in users.items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise AccountError(f"{self.path}: not a readable users file ({exc})") from exc

    def get(self, name: str) -> Account | None:
        return self.accounts().get(name.strip().lower())

    def add(self, name: str, password: str, role: str, replace: bool = False) -> Account:
        name, role_ = check_name(name), _role(role)
        if len(password) < 8:
            raise AccountError("a password needs at least 8 characters")
        accounts = self.accounts()
        if name in accounts and not replace:
            raise AccountError(f"user {name} exists (use --replace to change it)")
        accounts[name] = Account(name, role_, hash_password(password))
        self._write(accounts)
        return accounts[name]

    def remove(self, name: str) -> bool:
        accounts = self.accounts()
        if accounts.pop(name.strip().lower(), None) is None:
            return False
        self._write(accounts)
        return True

    def verify(self, name: str, password: str) -> Account | None:
        account = self.get(name)
        if account is None or not check_password(password, account.password_hash):
            return None
        return account

    def _write(self, accounts: dict[str, Account]) -> None:
        users = {a.name: {"role": a.role, "password": a.password_hash} for a in accounts.values()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"users": users}, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


def _role(value: str) -> Role:
    if value not in ROLES:
        raise AccountError(f"unknown role {value!r}: use {' or '.join(ROLES)}")
    return value  # type: ignore[return-value]  # checked against ROLES just above


@dataclass
class LoginGuard:
    """Failed logins slowed down and then refused for a while, per name and over all names.

    Each failure costs the caller ``failure_delay`` seconds (awaited, so other users' requests
    go on); ``max_failures`` failures for one name within ``window`` seconds lock that name
    for the rest of the window, and ``max_total`` failures over all names lock every login.
    """

    verify: Callable[[str, str], bool]
    max_failures: int = 5
    max_total: int = 50
    window: float = 300.0
    failure_delay: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def locked(self, name: str) -> bool:
        with self._lock:
            now = self.clock()
            mine = self._recent(self._failures.setdefault(name, deque()), now)
            return mine >= self.max_failures or self._recent(self._all, now) >= self.max_total

    def _recent(self, times: deque[float], now: float) -> int:
        while times and now - times[0] > self.window:
            times.popleft()
        return len(times)

    def _fail(self, name: str) -> None:
        with self._lock:
            now = self.clock()
            self._failures.setdefault(name, deque()).append(now)
            self._all.append(now)

    async def login(self, username: str, password: str) -> bool:
        """Gradio's ``auth`` callable. It must be a coroutine function, not an object with an
        async ``__call__``: Gradio awaits only what ``inspect.iscoroutinefunction`` names, and
        would take the un-awaited coroutine for a true result."""
        name = username.strip().lower()
        # scrypt takes ~50 ms: off the event loop, so the page stays responsive.
        if not self.locked(name) and await asyncio.to_thread(self.verify, name, password):
            with self._lock:
                self._failures.pop(name, None)
            return True
        self._fail(name)
        await asyncio.sleep(self.failure_delay)
        return False


class Access:
    """The role of the user behind a request, and the check that guards library changes."""

    def __init__(self, store: AccountStore | None, single: tuple[str, str] | None = None) -> None:
        self.store = store
        # The one login of ui.auth_user / ui.auth_password, kept working: an admin.
        self.single = (single[0].strip().lower(), single[1]) if single else None
        self.single_user = self.single[0] if self.single else None

    @property
    def login_required(self) -> bool:
        return self.single_user is not None or bool(self.store and self.store.accounts())

    def role(self, username: str | None) -> Role | None:
        if not self.login_required:
            return "admin"  # a one-person tool on its own machine
        if username is None:
            return None
        if self.single_user is not None and username == self.single_user:
            return "admin"
        account = self.store.get(username) if self.store else None
        return account.role if account else None

    def allows(self, username: str | None, action: str) -> bool:
        role = self.role(username)
        if role is None:
            return False
        return role == "admin" or action not in ADMIN_ACTIONS

    def guard(self) -> LoginGuard:
        return LoginGuard(self._verify)

    def _verify(self, name: str, password: str) -> bool:
        if self.single is not None and name == self.single[0]:
            return hmac.compare_digest(password.encode(), self.single[1].encode())
        return bool(self.store and self.store.verify(name, password))
