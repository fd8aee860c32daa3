"""The bounded stop: a worker that is still stopping after its timeout exits anyway and says so."""

from __future__ import annotations

import subprocess
import sys

HANGS_AFTER_STOP = """
import logging, sys, time
logging.basicConfig(stream=sys.stderr, level=logging.INFO)
from streams.app import exit_after
exit_after(0.5, logging.getLogger("streams.app"))
time.sleep(120)  # a stop that never finishes
"""


def test_a_stop_that_hangs_ends_the_process_with_a_warning():
    done = subprocess.run([sys.executable, "-c", HANGS_AFTER_STOP], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Still stopping after 0.5 s (SHOPSTREAM_SHUTDOWN_TIMEOUT_S): exiting now" in done.stderr


def test_a_process_that_ends_in_time_is_not_held_by_the_timer():
    ends = "import logging\nfrom streams.app import exit_after\nexit_after(60, logging.getLogger('x'))\nprint('bye')"
    done = subprocess.run([sys.executable, "-c", ends], capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout.strip()) == (0, "bye")
