"""Accounts, roles and the login guard: the file and its hashes, then the live page, driven as
an outsider would (raw HTTP, logged out) and as staff and admin (gradio_client)."""

from __future__ import annotations

import asyncio
import json
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from core.settings import Settings
from tests.ui.conftest import make_settings, real_parts
from ui.accounts import Access, AccountError, AccountStore, LoginGuard, check_password

ADMIN, STAFF = ("ana", "ana-pass-123"), ("budi", "budi-pass-456")


def test_passwords_are_stored_only_as_salted_hashes(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "users.json")
    store.add("Ana", ADMIN[1], "admin")
    store.add("budi", ADMIN[1], "staff")  # the same password
    raw = (tmp_path / "users.json").read_text()
    assert ADMIN[1] not in raw
    users = json.loads(raw)["users"]
    assert set(users) == {"ana", "budi"}  # names are kept lower-case
    assert users["ana"]["password"] != users["budi"]["password"]  # salted
    assert stat.S_IMODE((tmp_path / "users.json").stat().st_mode) == 0o600
    assert check_password(ADMIN[1], users["ana"]["password"])
    assert not check_password("wrong", users["ana"]["password"])
    assert not check_password(ADMIN[1], "plain-text-password")


def test_store_add_replace_remove_and_bad_input(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "users.json")
    store.add("ana", ADMIN[1], "staff")
    with pytest.raises(AccountError, match="exists"):
        store.add("ana", ADMIN[1], "admin")
    store.add("ana", "another-pass", "admin", replace=True)
    assert store.verify("ana", "another-pass") == store.get("ana")
    assert store.verify("ana", ADMIN[1]) is None
    with pytest.raises(AccountError, match="8 characters"):
        store.add("cici", "short", "staff")
    with pytest.raises(AccountError, match="unknown role"):
        store.add("cici", "long-enough", "owner")
    with pytest.raises(AccountError, match="invalid user name"):
        store.add("a b", "long-enough", "staff")
    assert store.remove("ana") and not store.remove("ana")
    (tmp_path / "users.json").write_text("{not json")
    with pytest.raises(AccountError, match=r"users\.json: not a readable users file"):
        store.accounts()


def test_roles_decide_what_a_user_may_do(tmp_path: Path) -> None:
    nobody = Access(AccountStore(tmp_path / "none.json"))
    assert not nobody.login_required and nobody.allows(None, "upload")  # one person, own laptop
    store = AccountStore(tmp_path / "users.json")
    store.add(*ADMIN, "admin")
    store.add(*STAFF, "staff")
    team = Access(store)
    assert team.login_required
    assert team.allows("ana", "upload") and team.allows("ana", "remove")
    assert team.allows("budi", "ask") and team.allows("budi", "feedback")
    assert not team.allows("budi", "upload") and not team.allows("budi", "remove")
    assert not team.allows(None, "ask") and not team.allows("stranger", "ask")
    single = Access(None, ("Admin", "s3cret-pass"))
    assert single.login_required and single.allows("admin", "upload")


def test_failed_logins_are_slowed_then_locked_per_name_and_overall() -> None:
    now = [0.0]
    guard = LoginGuard(
        lambda name, password: password == "right",
        max_failures=3,
        max_total=5,
        window=60.0,
        failure_delay=0.0,
        clock=lambda: now[0],
    )

    def login(name: str, password: str) -> bool:
        return asyncio.run(guard.login(name, password))

    assert [login("ana", "wrong") for _ in range(3)] == [False] * 3
    assert not login("ana", "right")  # locked: the right password does not help now
    assert login("budi", "right")  # another name is not locked
    assert not login("budi", "wrong") and not login("cici", "wrong")  # 6 failures in all
    assert not login("dedi", "right")  # every login is locked for the window
    now[0] = 61.0
    assert login("ana", "right")  # the window has passed
    assert not guard.locked("ana")  # and a success clears the name's failures


def test_each_failure_costs_the_caller_time_without_blocking_others() -> None:
    guard = LoginGuard(lambda name, password: password == "right", failure_delay=0.3)

    async def both() -> tuple[float, float]:
        start = time.perf_counter()
        wrong = asyncio.create_task(guard.login("ana", "wrong"))
        assert await guard.login("budi", "right")
        right_took = time.perf_counter() - start
        assert not await wrong
        return right_took, time.perf_counter() - start

    right_took, wrong_took = asyncio.run(both())
    assert wrong_took >= 0.3 and right_took < 0.25


# -- the live page --------------------------------------------------------------------------


@dataclass
class TeamPage:
    url: str
    settings: Settings


@pytest.fixture(scope="module")
def team_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamPage]:
    from ui.app import build_app

    root = tmp_path_factory.mktemp("team")
    settings = make_settings(root / "data", max_upload_mb=1)
    store = AccountStore(settings.users_file)
    store.add(*ADMIN, "admin")
    store.add(*STAFF, "staff")
    engine, library, ingest = real_parts(settings, root / "documents")
    demo = build_app(engine, library, settings, ingest=ingest)
    guard = demo.launch_defaults["auth"].__self__  # type: ignore[attr-defined]
    assert isinstance(guard, LoginGuard) and guard.failure_delay >= 1.0  # the default
    guard.failure_delay = 0.05  # keep the test quick; the limits stay the defaults
    demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        yield TeamPage(demo.local_url or "", settings)
    finally:
        demo.close()


def client(page: TeamPage, who: tuple[str, str]) -> Client:
    return Client(page.url, auth=who, verbose=False, analytics_enabled=False)


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("GET", "config"),
        ("GET", "gradio_api/info"),
        ("POST", "gradio_api/call/ask"),
        ("POST", "gradio_api/call/upload"),
        ("POST", "gradio_api/call/remove_document"),
        ("POST", "gradio_api/run/remove_document"),
    ],
)
def test_logged_out_callers_reach_no_endpoint(team_page: TeamPage, method: str, route: str) -> None:
    body = {"data": ["shelters.txt", []]}
    reply = httpx.request(method, f"{team_page.url}{route}", json=body, timeout=10)
    assert reply.status_code == 401, reply.text


def test_staff_may_ask_and_rate_but_not_change_the_library(team_page: TeamPage) -> None:
    staff = client(team_page, STAFF)
    chatbot, *_ = staff.predict("Who do shelters report to?", [], api_name="/ask")
    assert "ministry" in json.dumps(chatbot).lower()
    _, status = staff.predict("", api_name="/rate_helpful")
    assert status  # saved
    records = (team_page.settings.feedback_dir / "feedback.jsonl").read_text().splitlines()
    assert json.loads(records[-1])["user"] == "budi"
    for api_name, args in (("/remove_document", ("shelters.txt", [])),):
        with pytest.raises(Exception, match="Only an admin"):
            staff.predict(*args, api_name=api_name)
    note = team_page.settings.data_dir / "note.txt"
    note.write_text("Staff notes.")
    with pytest.raises(Exception, match="Only an admin"):
        staff.predict([handle_file(str(note))], [], api_name="/upload")
    table, _, _ = client(team_page, ADMIN).predict([], api_name="/refresh_library")
    assert sorted(row[1] for row in table["data"]) == ["labour.txt", "shelters.txt"]


def test_admin_may_upload_and_remove(team_page: TeamPage) -> None:
    admin = client(team_page, ADMIN)
    note = team_page.settings.data_dir / "admin-note.txt"
    note.write_text("Village councils keep a register of migrant children.")
    result, table, _, _ = admin.predict([handle_file(str(note))], [], api_name="/upload")
    assert result.startswith("✓ admin-note.txt: added")
    result, table, _, _ = admin.predict("admin-note.txt", [], api_name="/remove_document")
    assert "admin-note.txt" not in [row[1] for row in table["data"]]


def test_conversations_stay_with_their_user(team_page: TeamPage) -> None:
    ana, budi = client(team_page, ADMIN), client(team_page, STAFF)
    ana_chat, *_ = ana.predict(
        "How often do inspectors visit garment factories?", [], api_name="/ask"
    )
    budi_chat, *_ = budi.predict("Who do shelters report to?", [], api_name="/ask")
    assert "garment" not in json.dumps(budi_chat) and "inspectors" not in json.dumps(budi_chat)
    assert len(budi_chat) == 2 and len(ana_chat) == 2


def test_wrong_logins_lock_the_name(team_page: TeamPage) -> None:
    login = f"{team_page.url}login"
    victim = "cici"
    AccountStore(team_page.settings.users_file).add(victim, "cici-pass-789", "staff")
    codes = [
        httpx.post(login, data={"username": victim, "password": f"guess-{i}"}).status_code
        for i in range(5)
    ]
    assert codes == [400] * 5
    right = httpx.post(login, data={"username": victim, "password": "cici-pass-789"})
    assert right.status_code == 400  # locked for the window, even with the right password
    other = httpx.post(login, data={"username": ADMIN[0], "password": ADMIN[1]})
    assert other.status_code == 200 and other.json() == {"success": True}
