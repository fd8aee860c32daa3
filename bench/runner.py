"""What the Kafka benchmarks (bench/reviews.py, bench/copywriter.py) do around their measurements:
fail at once when the embedded broker cannot start here, and run in a scratch folder that Ctrl-C or
a kill cleans up."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.timing import progress


def require_embedded_broker(needs: str, alone: str) -> None:
    """Raise SystemExit with a fix when the embedded broker cannot run (no Java, or Kafka's jars neither
    cached nor resolvable with Maven); ``needs`` names the parts that use it (e.g. "(b) runs"),
    ``alone`` the parts ``--raw-only`` still measures (e.g. "(a)")."""
    if shutil.which("java") is None:
        raise SystemExit(f"`java` is not on PATH: {needs} an embedded Kafka broker, which needs Java 17 "
                         f"(e.g. `apt-get install -y openjdk-17-jre-headless`). Use --raw-only for {alone} alone.")
    from streams.tools.broker import resolve_jars
    from streams.settings import get_settings

    resolve_jars(get_settings().cache_dir)  # at once if cached, else with Maven (clear error without it)


def run_in_scratch(run: Callable[[argparse.Namespace, Path], None], args: argparse.Namespace) -> None:
    """``run(args, scratch)`` with a temporary scratch folder; Ctrl-C or SIGTERM stops it, the
    ``with`` blocks inside stop its broker and worker, the folder is removed, and the exit code is 130."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill cleans up like Ctrl-C
    try:
        with tempfile.TemporaryDirectory(prefix="shopstream-bench-") as tmp:
            run(args, Path(tmp))
    except KeyboardInterrupt:
        progress("interrupted: broker and worker stopped, temporary files removed")
        sys.exit(130)
