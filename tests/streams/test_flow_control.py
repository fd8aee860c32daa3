"""Resuming a running flow keeps what the queues hold: standby records queued between Faust's two resumes
after a rebalance are applied, not dropped (``streams/flow_control.py``)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mode.utils.queues import FlowControlQueue

from streams.flow_control import SteadyFlowControl

# The worker's own changelog queue (what table recovery and standby replicas read), driven the way Faust's
# recovery drives it after a rebalance: suspended and cleared, resumed for the standbys, resumed once more
# when the worker is ready.
RECOVERY_ON_THE_APP = """
import asyncio
from streams.app import app

async def main():
    queue, flow = app.tables.changelog_queue, app.flow_control
    flow.suspend()
    queue.put_nowait("a record fetched before the rebalance")
    flow.clear()
    flow.resume()  # standby partitions start
    for offset in range(3):
        queue.put_nowait(f"standby record {offset}")
    flow.resume()  # the worker is ready: the flow was running already
    print(queue.qsize())

asyncio.run(main())
"""


def test_the_apps_changelog_queue_keeps_standby_records_when_a_running_flow_is_resumed():
    done = subprocess.run([sys.executable, "-c", RECOVERY_ON_THE_APP], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "3", done.stdout  # Faust's own flow control leaves 0


@pytest.mark.asyncio
async def test_a_resume_after_a_suspension_empties_the_queues_and_a_resume_while_running_does_not():
    flow = SteadyFlowControl()
    queue = FlowControlQueue(flow_control=flow, clear_on_resume=True)
    flow.resume()
    queue.put_nowait(1)
    flow.resume()
    assert (queue.qsize(), flow.is_active()) == (1, True)
    flow.suspend()
    assert not flow.is_active()
    flow.resume()
    assert (queue.qsize(), flow.is_active()) == (0, True)
