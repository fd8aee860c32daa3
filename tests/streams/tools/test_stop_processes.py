"""stop_processes: one SIGTERM to each process group, SIGKILL for those that outlive one shared deadline."""

import subprocess
import sys

from streams.tools.processes import stop_processes

IGNORES_SIGTERM = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"


def test_each_process_gets_sigterm_and_one_that_ignores_it_is_killed_at_the_deadline():
    polite = subprocess.Popen([sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, start_new_session=True)
    stubborn = subprocess.Popen([sys.executable, "-c", IGNORES_SIGTERM], stdout=subprocess.PIPE, start_new_session=True)
    for process in (polite, stubborn):
        assert process.stdout.readline() == b"ready\n"  # its handlers are in place
    assert stop_processes([polite, stubborn], timeout=2) == [-15, -9]


def test_processes_that_already_ended_are_left_as_they_are():
    done = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    done.wait()
    assert stop_processes([done], timeout=1) == [0]
