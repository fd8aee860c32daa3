"""Flow control that empties the worker's queues when a suspended flow resumes, and only then.

Faust suspends its flow control for a rebalance and empties the queues it manages: the agents'
input queues and the queue of changelog records that table recovery and standby replicas read.
Resuming empties them once more. That is meant for the resume that ends the suspension, but
Faust also resumes a flow that is already running, and mode's ``FlowControlEvent.resume`` empties
the queues every time. Recovery resumes twice after a rebalance: when the standby partitions
start (the flow already runs) and again when the worker is ready, a moment later.

The second resume dropped the standby records fetched in between. Faust counts a standby
partition as read up to the newest record it applied, so the next record applied (after the
records that were dropped) moved that mark past the whole dropped range, which was never read
again. On a busy 2-core machine a restarted worker's standby replica of ``user-profiles`` applied
offsets 0-5 of a partition and then 433 onwards. When the other worker left and the partition
became active on this one, it restored only what came after the standby's mark: users with no
update after offset 433 had no profile at all (the crash test's "events want 61 have 0").

``SteadyFlowControl.resume`` empties the queues only when the flow was suspended. Records that
were queued before a rebalance are still dropped at that point, by the ``clear`` Faust calls when
it suspends the flow and by the first resume after it. Once the flow runs again, what reaches
a queue belongs to the current assignment and stays in the queue.
"""

from __future__ import annotations

from mode.utils.queues import FlowControlEvent


class SteadyFlowControl(FlowControlEvent):
    """``FlowControlEvent`` whose ``resume`` empties the managed queues only if the flow was suspended."""

    def resume(self) -> None:
        """Resume production into the managed queues; empty them if the flow was suspended until now."""
        was_suspended = not self.is_active()
        self._suspend.clear()
        self._resume.set()
        if was_suspended:
            self.clear()
