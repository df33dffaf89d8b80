"""Many users on one page at once, through gradio_client, each with a session of its own.

User ``u`` asks ``questions[(u + r) % len(questions)]`` in round ``r``, all in one
conversation, so that what each session should hold is known exactly: after round ``r`` its
chat shows those questions, in that order, and its last answer is to the last of them. Anything
else (a missing turn, another user's question, an answer to the wrong question) is counted.

    result = run_load(url, users=20, questions=QUESTIONS, rounds=3)
    assert not result.errors and not result.mixups
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class LoadResult:
    answers: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # exceptions from the page
    mixups: list[str] = field(default_factory=list)  # a session showing what it should not
    wall_s: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency_ms: float) -> None:
        with self._lock:
            self.answers += 1
            self.latencies_ms.append(latency_ms)

    def fail(self, kind: str, text: str) -> None:
        with self._lock:
            (self.errors if kind == "error" else self.mixups).append(text)


def _asked(chatbot: list[dict[str, Any]]) -> list[str]:
    """The questions a session's chat shows, in order (the user messages' plain text)."""
    from ui.chat import message_text

    shown = []
    for message in chatbot:
        if message.get("role") == "user":
            text = message_text(message.get("content"))
            shown.append(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
    return shown


def _user(
    url: str,
    number: int,
    questions: Sequence[str],
    rounds: int | None,
    until: float | None,
    result: LoadResult,
    auth: tuple[str, str] | None,
) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, analytics_enabled=False, auth=auth)
    except Exception as exc:  # counted: the point is to see them
        result.fail("error", f"user {number}: connect: {type(exc).__name__}: {exc}")
        return
    expected: list[str] = []
    r = 0
    while (rounds is None or r < rounds) and (until is None or time.monotonic() < until):
        question = questions[(number + r) % len(questions)]
        expected.append(question)
        started = time.perf_counter()
        try:
            chatbot, _, _, answer = client.predict(question, [], api_name="/ask")
        except Exception as exc:
            result.fail("error", f"user {number} round {r}: {type(exc).__name__}: {exc}")
            return
        result.add((time.perf_counter() - started) * 1000)
        if _asked(chatbot) != expected:
            result.fail("mixup", f"user {number} round {r}: chat shows {_asked(chatbot)}")
        if not isinstance(answer, dict) or answer.get("question") != question:
            got = answer.get("question") if isinstance(answer, dict) else answer
            result.fail("mixup", f"user {number} round {r}: answer to {got!r}")
        r += 1


def run_load(
    url: str,
    users: int,
    questions: Sequence[str],
    rounds: int | None = None,
    duration_s: float | None = None,
    auth: tuple[str, str] | None = None,
) -> LoadResult:
    """``users`` sessions at once, each for ``rounds`` questions or ``duration_s`` seconds."""
    result = LoadResult()
    until = time.monotonic() + duration_s if duration_s else None
    threads = [
        threading.Thread(target=_user, args=(url, u, questions, rounds, until, result, auth))
        for u in range(users)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    result.wall_s = time.perf_counter() - started
    return result
