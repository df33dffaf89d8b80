"""A real `chroma run` server on a free loopback port, as a context manager (for tests)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_script() -> str:
    script = Path(sys.executable).with_name("chroma")
    return str(script) if script.exists() else (shutil.which("chroma") or "chroma")


class ChromaServer:
    """``chroma run --path <dir>`` on 127.0.0.1; ``kill()`` makes it vanish mid-use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.host = "127.0.0.1"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        self.path.mkdir(parents=True, exist_ok=True)
        self._log = open(self.path / "server.log", "wb")  # noqa: SIM115 - closed in stop()
        command = [_chroma_script(), "run", "--path", str(self.path / "db")]
        command += ["--host", self.host, "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_for_heartbeat()
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_for_heartbeat(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 30
        url = f"http://{self.host}:{self.port}/api/v2/heartbeat"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("chroma run did not answer its heartbeat within 30 s")
