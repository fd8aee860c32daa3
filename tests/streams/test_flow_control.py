"""Resuming a running flow keeps the fetched changelog records: standby records queued between Faust's two
resumes after a rebalance are applied, not dropped; every other queue is emptied as Faust empties it
(``streams/flow_control.py``)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mode.utils.queues import FlowControlQueue

from streams.flow_control import SteadyFlowControl

# The worker's own changelog queue (what table recovery and standby replicas read) and an agent's input queue,
# driven the way Faust's recovery drives them after a rebalance: suspended and cleared, resumed for the
# standbys, resumed once more when the worker is ready.
RECOVERY_ON_THE_APP = """
import asyncio
from streams.app import app

async def main():
    changelog, flow = app.tables.changelog_queue, app.flow_control
    agent_input = app.FlowControlQueue(maxsize=100, clear_on_resume=True)
    flow.suspend()
    changelog.put_nowait("a record fetched before the rebalance")
    flow.clear()
    flow.resume()  # standby partitions start
    for offset in range(3):
        changelog.put_nowait(f"standby record {offset}")
    agent_input.put_nowait("an input record")
    flow.resume()  # the worker is ready: the flow was running already
    print(changelog.qsize(), agent_input.qsize())

asyncio.run(main())
"""


def test_the_apps_changelog_queue_keeps_standby_records_when_a_running_flow_is_resumed():
    done = subprocess.run([sys.executable, "-c", RECOVERY_ON_THE_APP], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # Faust's own flow control leaves "0 0": the standby records were dropped
    assert done.stdout.strip().splitlines()[-1] == "3 0", done.stdout


@pytest.mark.asyncio
async def test_a_resume_after_a_suspension_empties_every_queue_and_a_resume_while_running_keeps_the_kept_ones():
    kept, other = [], []
    flow = SteadyFlowControl(kept=lambda: kept)
    kept.append(FlowControlQueue(flow_control=flow, clear_on_resume=True))
    other.append(FlowControlQueue(flow_control=flow, clear_on_resume=True))
    flow.resume()
    kept[0].put_nowait(1)
    other[0].put_nowait(1)
    flow.resume()
    assert (kept[0].qsize(), other[0].qsize(), flow.is_active()) == (1, 0, True)
    other[0].put_nowait(2)
    flow.suspend()
    assert not flow.is_active()
    flow.resume()
    assert (kept[0].qsize(), other[0].qsize(), flow.is_active()) == (0, 0, True)
