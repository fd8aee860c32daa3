"""Flow control that keeps the fetched changelog records when Faust resumes a flow that already runs.

Faust suspends its flow control for a rebalance and empties the queues it manages: the agents'
input queues and the queue of changelog records that table recovery and standby replicas read.
Resuming empties them once more, and mode's ``FlowControlEvent.resume`` does that every time,
even when the flow was already running. Recovery resumes twice after a rebalance: when the
standby partitions start (the flow already runs) and again when the worker is ready, a moment later.

The second resume dropped the standby records fetched in between. Faust counts a standby
partition as read up to the newest record it applied, so the next record applied (after the
records that were dropped) moved that mark past the whole dropped range, which was never read
again. On a busy 2-core machine a restarted worker's standby replica of ``user-profiles`` applied
offsets 0-5 of a partition and then 433 onwards. When the other worker left and the partition
became active on this one, it restored only what came after the standby's mark: users with no
update after offset 433 had no profile at all (the crash test's "events want 61 have 0").

``SteadyFlowControl.resume`` empties the queues it is told to keep (the changelog queue) only when
the flow was suspended, which is when what they hold may come from before the rebalance. Every
other queue is emptied as Faust empties it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mode.utils.queues import FlowControlEvent, FlowControlQueue


class SteadyFlowControl(FlowControlEvent):
    """``FlowControlEvent`` whose ``resume`` of a running flow keeps what the queues of ``kept()`` hold."""

    def __init__(self, kept: Callable[[], Iterable[FlowControlQueue]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._kept = kept

    def resume(self) -> None:
        """Resume production into the managed queues and empty them, except the kept ones while the flow was
        running already."""
        was_suspended = not self.is_active()
        self._suspend.clear()
        self._resume.set()
        kept = () if was_suspended else [id(queue) for queue in self._kept()]
        for queue in self._queues:
            if id(queue) not in kept:
                queue.clear()
