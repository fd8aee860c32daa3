"""Each input partition is handed to the agents in log order, without holes the fetch made up.

Faust fills offset jumps in what it reads as holes in the log (compaction, transaction markers)
and commits past them. But some jumps are its own: a batch fetched before a seek to the committed
offsets (after a rebalance or a table recovery) is still handed out after the seek, and records
of a batch are dropped when the partition is paused or the flow stops while the client's position
has moved past them. After a kill -9 during a catch-up, that handed a restarted worker offsets
594 onwards of a partition without 177-593: the range came again only after the next crash,
behind the offset markers, and was skipped as a replay (issue 15's lost updates).

``FetchOrder`` keeps, per acked partition, the next offset it expects. A record past it is not
handed out: the consumer seeks back to the expected offset, and the records of batches fetched
before that seek are dropped. Only a batch fetched *after* the seek may confirm the jump, and
then it is a real hole in the log and is handed out.

A partition is handed out only once it is *positioned* in the current assignment: from the seek to
the committed offsets that follows each rebalance and table recovery, until it is revoked. Before
that the client fetches from wherever it stands, and Faust hands those records to the agents while
its tables are restored. After a kill -9 a restarted worker handed out offsets 1929-1961 of a
partition committed at 1226 that way; the agent applied them after its seek back to 1226, so the
re-keyed records of 1929-1961 reached product stats and profiles before those of 1226-1928, whose
offset markers then counted them as applied (2,425 lost updates in one two-worker chaos run).
Such records are dropped: the seek reads them again, in order.

A partition nobody has committed yet is positioned at its log start (the consumer reads it from
``earliest``): a seek with no committed offset moves nothing, so without a position the fetch went
on past records Faust had dropped while it suspended the flow for its seek.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Hashable


def known(offset: int | None) -> int | None:
    """A committed offset as the client reports it, or None where nothing was committed (None or -1)."""
    return offset if offset is not None and offset >= 0 else None


class Verdict(Enum):
    """What to do with one fetched record."""

    HAND_OUT = "hand out"
    DROP = "drop"  # not positioned yet, or fetched before a seek back that is under way: it is read again
    SEEK_BACK = "seek back"  # a jump nobody confirmed: seek to ``expected(tp)`` and drop it


@dataclass
class FetchOrder:
    """The next expected offset per positioned partition, and the seeks back under way."""

    #: positioned partition -> next offset to hand out (None: unknown, the first record sets it)
    _expected: dict[Hashable, int | None] = field(default_factory=dict)
    _seeking: dict[Hashable, int] = field(default_factory=dict)  # partition -> fetches started when it sought
    fetches: int = 0  # batches fetched so far; each batch carries the count when its fetch began

    def fetch_started(self) -> int:
        """Number the batch a fetch starting now will return."""
        self.fetches += 1
        return self.fetches

    def positioned(self, tp: Hashable, offset: int | None) -> None:
        """The consumer was positioned at ``offset`` (a seek to the committed offsets); None: unknown."""
        self._expected[tp] = known(offset)
        self._seeking.pop(tp, None)

    def revoked(self, tps) -> None:
        """``tps`` left this consumer: none of them is handed out again before it is positioned anew."""
        for tp in tps:
            self._expected.pop(tp, None)
            self._seeking.pop(tp, None)

    def expected(self, tp: Hashable) -> int | None:
        """The next offset ``tp`` should hand out, if known."""
        return self._expected.get(tp)

    def sought_back(self, tp: Hashable) -> None:
        """The consumer now sits at ``expected(tp)``; batches fetched before now are stale for ``tp``."""
        self._seeking[tp] = self.fetches

    def verdict(self, tp: Hashable, offset: int, batch: int) -> Verdict:
        """Whether the record at ``offset`` of ``tp``, from batch number ``batch``, may be handed out."""
        if tp not in self._expected:
            return Verdict.DROP  # not positioned in this assignment: the seek that positions it reads it again
        expected = self._expected[tp]
        if expected is not None and offset < expected:
            return Verdict.HAND_OUT  # a replay: Faust drops it by its read offset
        if expected is not None and offset > expected:
            sought_at = self._seeking.get(tp)
            if sought_at is None:
                return Verdict.SEEK_BACK
            if batch <= sought_at:
                return Verdict.DROP
            # fetched after the seek back and still past it: a real hole in the log
        self._seeking.pop(tp, None)
        self._expected[tp] = offset + 1
        return Verdict.HAND_OUT
