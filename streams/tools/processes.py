"""Child processes of the demo, the tests and the benchmarks: the worker command and a clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

#: How the demo, the tests and the benchmarks start a worker: exactly what users run.
WORKER_COMMAND = [sys.executable, "-m", "faust", "-A", "streams.app", "worker", "-l", "info"]


def stop_process(process: subprocess.Popen, timeout: float = 30.0) -> int:
    """SIGTERM a process group started with ``start_new_session=True``, SIGKILL it after ``timeout``
    seconds; returns its exit code."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode
