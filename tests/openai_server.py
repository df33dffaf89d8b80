"""A real OpenAI-compatible HTTP server on 127.0.0.1, in a thread, for tests of remote backends.

Implements ``POST /v1/chat/completions`` (JSON, or SSE ``data: {...}`` chunks ending with
``data: [DONE]`` when ``"stream": true``), ``POST /v1/embeddings`` and ``GET /v1/models``.
Replies are scriptable (``queue_reply``), failures too (``fail_with(500)``, ``fail_with(429)``),
``delay`` makes every request slow so client timeouts can be tested, and ``fault`` makes the
server misbehave as broken ones do: ``"garbage"`` (HTTP 200 with a body that is not JSON),
``"cut"`` (the reply stops mid-way and the connection closes) or ``"hang"`` (the request is
accepted and never answered). Every request body is recorded.

    with OpenAICompatibleServer() as server:
        server.queue_reply("Jakarta [1].")
        client = OpenAI(base_url=server.base_url, api_key="x")
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _embedding(text: str, dimensions: int) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    raw = [digest[i % len(digest)] / 255.0 - 0.5 for i in range(dimensions)]
    norm = sum(v * v for v in raw) ** 0.5 or 1.0
    return [v / norm for v in raw]


def split_deltas(text: str) -> list[str]:
    """How the server cuts a reply into stream chunks: words with their following space."""
    parts: list[str] = []
    for word in text.split(" "):
        parts.append(word + " ")
    if parts:
        parts[-1] = parts[-1][:-1]
    return [p for p in parts if p]


class OpenAICompatibleServer:
    """The server, its script and its record of requests; a context manager."""

    def __init__(self, models: tuple[str, ...] = ("gpt-4o-mini", "qwen2.5"), dims: int = 8):
        self.models = models
        self.dimensions = dims
        self.default_reply = "OK"
        self.delay = 0.0  # seconds before every reply (timeouts)
        self.error_status: int | None = None  # e.g. 500 or 401: every request fails
        self.fault: str | None = None  # "garbage", "cut" or "hang" (see the module docstring)
        # A reply made from the request (an echo, a model that obeys what it reads), instead
        # of the queued replies.
        self.responder: Callable[[dict[str, Any]], str] | None = None
        self.requests: list[dict[str, Any]] = []  # {"path":..., "body":..., "headers":...}
        self._replies: deque[str] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a slow handler must not hold up close()
        # A short poll interval makes shutdown() (every test's teardown) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- life cycle
    def start(self) -> OpenAICompatibleServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()  # wakes handlers sleeping in slow mode
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OpenAICompatibleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- script
    def queue_reply(self, *texts: str) -> None:
        """Replies handed out in order, one per chat request; then ``default_reply``."""
        with self._lock:
            self._replies.extend(texts)

    def fail_with(self, status: int | None) -> None:
        """Answer every request with this HTTP status (None: back to normal)."""
        self.error_status = status

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def next_reply(self, body: dict[str, Any] | None = None) -> str:
        if self.responder is not None and body is not None:
            return self.responder(body)
        with self._lock:
            return self._replies.popleft() if self._replies else self.default_reply

    def record(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append({"path": path, "body": body, "headers": headers})

    def wait_delay(self) -> None:
        if self.delay:
            self._stop.wait(self.delay)


_ERRORS = {
    401: ("invalid_api_key", "Incorrect API key provided"),
    429: ("rate_limit_exceeded", "Rate limit reached for requests"),
    500: ("server_error", "The server had an error"),
}


def _chunk(model: str, delta: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
    }


def _make_handler(server: OpenAICompatibleServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        owner = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAICompatibleServer
    protocol_version = "HTTP/1.0"  # one request per connection: simple and enough for tests

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _read_body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        data = json.loads(raw or b"{}")
        return data if isinstance(data, dict) else {}

    def _start(self, body: dict[str, Any]) -> bool:
        """Record, wait in slow mode, fail in error mode; True when the request may go on."""
        self.owner.record(self.path, body, dict(self.headers))
        self.owner.wait_delay()
        status = self.owner.error_status
        if status is None:
            return True
        kind, message = _ERRORS.get(status, _ERRORS[500])
        self._send_json(status, {"error": {"message": message, "type": kind, "code": kind}})
        return False

    def _misbehave(self, body: dict[str, Any]) -> bool:
        """Act out ``owner.fault``; True when the request has been dealt with."""
        fault = self.owner.fault
        if fault == "hang":
            self.owner._stop.wait(3600)
            return True
        if fault == "garbage":
            raw = b"<html>502 Bad Gateway</html>{"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            return True
        if fault == "cut":
            reply = self.owner.next_reply()
            if body.get("stream"):
                self._stream(reply, str(body.get("model", "")), cut=True)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "4096")  # promises more than it sends
                self.end_headers()
                self.wfile.write(b'{"id": "chatcmpl-test", "choices": [{"index": 0, "mess')
            return True
        return False

    def do_GET(self) -> None:
        if not self.path.rstrip("/").endswith("/v1/models"):
            self._send_json(404, {"error": {"message": f"no route {self.path}"}})
            return
        if self._start({}):
            data = [{"id": m, "object": "model", "owned_by": "test"} for m in self.owner.models]
            self._send_json(200, {"object": "list", "data": data})

    def do_POST(self) -> None:
        body = self._read_body()
        try:
            if not self._start(body):
                return
            if self.path.endswith("/chat/completions"):
                if not self._misbehave(body):
                    self._chat(body)
            elif self.path.endswith("/embeddings"):
                self._embeddings(body)
            else:
                self._send_json(404, {"error": {"message": f"no route {self.path}"}})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test): nothing to answer

    def _chat(self, body: dict[str, Any]) -> None:
        reply = self.owner.next_reply(body)
        model = str(body.get("model", "unknown"))
        if body.get("stream"):
            self._stream(reply, model)
            return
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body["messages"])
        self._send_json(
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": len(reply.split()),
                    "total_tokens": prompt_tokens + len(reply.split()),
                },
            },
        )

    def _stream(self, reply: str, model: str, cut: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        deltas = [{"role": "assistant", "content": ""}]
        deltas += [{"content": piece} for piece in split_deltas(reply)]
        if cut:  # half the reply, then the connection drops: no finish_reason, no [DONE]
            for delta in deltas[: max(2, len(deltas) // 2)]:
                self.wfile.write(f"data: {json.dumps(_chunk(model, delta))}\n\n".encode())
            self.wfile.flush()
            self.close_connection = True
            return
        for delta in [*deltas, {}]:  # the last, empty delta carries finish_reason
            chunk = {
                "id": "chatcmpl-test",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {"index": 0, "delta": delta, "finish_reason": "stop" if not delta else None}
                ],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _embeddings(self, body: dict[str, Any]) -> None:
        inputs = body.get("input", [])
        texts = [inputs] if isinstance(inputs, str) else list(inputs)
        dims = self.owner.dimensions
        data = [
            {"object": "embedding", "index": i, "embedding": _embedding(str(t), dims)}
            for i, t in enumerate(texts)
        ]
        self._send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "unknown"),
                "usage": {"prompt_tokens": len(texts), "total_tokens": len(texts)},
            },
        )


def free_port() -> int:
    """A port nothing listens on (bound, then released): connections to it are refused."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
