"""`lentera --help` start-up time (target: under 0.3 s; heavy imports are lazy)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from common import percentiles, write_result


def main(runs: int = 10) -> None:
    command = [shutil.which("lentera") or "lentera", "--help"]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
    write_result("cli_help", {"command": "lentera --help", **percentiles(samples)})


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
