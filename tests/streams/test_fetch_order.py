"""FetchOrder: records of a partition are handed out in log order; a jump is refetched, and handed out
only when a fetch made after the seek back confirms it."""

from streams.fetch_order import FetchOrder, Verdict

TP = ("shop.clicks", 3)


def hand_out(order: FetchOrder, batch: int, offsets) -> list[Verdict]:
    return [order.verdict(TP, offset, batch) for offset in offsets]


def test_in_order_records_are_handed_out_and_advance_the_expected_offset():
    order = FetchOrder()
    order.positioned(TP, 100)
    batch = order.fetch_started()
    assert hand_out(order, batch, [100, 101, 102]) == [Verdict.HAND_OUT] * 3
    assert order.expected(TP) == 103


def test_a_stale_batch_after_a_seek_to_the_committed_offsets_is_refetched_not_skipped():
    """The failure seen in bench/chaos.py: a batch fetched from offset 594 is handed out after the seek to
    the committed offset 177."""
    order = FetchOrder()
    stale = order.fetch_started()
    order.positioned(TP, 177)  # perform_seek, while the stale batch is still being handed out
    assert order.verdict(TP, 594, stale) is Verdict.SEEK_BACK
    order.sought_back(TP)
    assert hand_out(order, stale, [595, 596]) == [Verdict.DROP, Verdict.DROP]
    fresh = order.fetch_started()
    assert hand_out(order, fresh, [177, 178]) == [Verdict.HAND_OUT] * 2
    assert order.expected(TP) == 179


def test_a_jump_confirmed_by_a_fetch_after_the_seek_back_is_a_real_hole():
    """Transaction markers or compaction leave holes; they must not stall the partition."""
    order = FetchOrder()
    order.positioned(TP, 10)
    first = order.fetch_started()
    assert order.verdict(TP, 12, first) is Verdict.SEEK_BACK
    order.sought_back(TP)
    again = order.fetch_started()
    assert hand_out(order, again, [12, 13]) == [Verdict.HAND_OUT] * 2
    later = order.fetch_started()
    assert order.verdict(TP, 20, later) is Verdict.SEEK_BACK  # a new jump is checked again


def test_records_below_the_expected_offset_are_left_to_faust_and_do_not_move_it_back():
    order = FetchOrder()
    order.positioned(TP, 50)
    batch = order.fetch_started()
    assert order.verdict(TP, 40, batch) is Verdict.HAND_OUT
    assert order.expected(TP) == 50


def test_an_unknown_position_accepts_the_first_record():
    order = FetchOrder()
    order.positioned(TP, None)  # never committed: the client starts where auto_offset_reset says
    assert order.verdict(TP, 7, order.fetch_started()) is Verdict.HAND_OUT
    assert order.expected(TP) == 8


def test_partitions_are_independent():
    order = FetchOrder()
    other = ("shop.clicks", 0)
    order.positioned(TP, 5)
    order.positioned(other, 5)
    batch = order.fetch_started()
    assert order.verdict(TP, 9, batch) is Verdict.SEEK_BACK
    assert order.verdict(other, 5, batch) is Verdict.HAND_OUT


def test_a_partition_nobody_committed_is_read_again_from_its_start_after_the_seek():
    """The failure seen in the crash test: a worker killed before its first commit; the next one's fetch
    went on at offset 162 after Faust dropped 148-161 while it suspended the flow for its seek. With no
    committed offset the seek moves nothing, so the transport positions the partition at its log start
    (``earliest``), and the jump is read again."""
    order = FetchOrder()
    order.positioned(TP, 0)  # no commit: the log start, not "unknown"
    after = order.fetch_started()
    assert order.verdict(TP, 162, after) is Verdict.SEEK_BACK
    order.sought_back(TP)
    again = order.fetch_started()
    assert hand_out(order, again, range(0, 163)) == [Verdict.HAND_OUT] * 163


def test_records_fetched_before_the_partition_is_positioned_are_dropped():
    """The failure seen in bench/chaos.py with two workers: a restarted worker handed out offsets
    1929-1961 of a partition committed at 1226 while its tables were restored, before its seek; the
    agent applied them before 1226-1928, and the offset markers then counted 1226-1928 as applied."""
    order = FetchOrder()
    during_recovery = order.fetch_started()
    assert hand_out(order, during_recovery, [1929, 1930]) == [Verdict.DROP] * 2
    order.positioned(TP, 1226)  # the seek to the committed offset
    after = order.fetch_started()
    assert hand_out(order, after, [1226, 1227]) == [Verdict.HAND_OUT] * 2
    assert order.expected(TP) == 1228


def test_a_revoked_partition_is_not_handed_out_until_positioned_again():
    order = FetchOrder()
    order.positioned(TP, 10)
    assert order.verdict(TP, 10, order.fetch_started()) is Verdict.HAND_OUT
    order.revoked([TP])
    assert order.expected(TP) is None
    assert order.verdict(TP, 11, order.fetch_started()) is Verdict.DROP  # another worker may own it now
    order.positioned(TP, 40)  # assigned again: that worker committed up to 40
    assert order.verdict(TP, 40, order.fetch_started()) is Verdict.HAND_OUT
