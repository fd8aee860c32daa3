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
    """The failure seen in the crash test: a worker killed before its first commit; the next one handed out
    offsets 0-161 while its tables were restored, Faust dropped the last of them as it suspended the flow
    for its seek, and the fetch went on at 162. With no committed offset the seek moves nothing, so the
    transport positions the partition at its log start (``earliest``), and the jump is read again."""
    order = FetchOrder()
    before = order.fetch_started()
    assert hand_out(order, before, range(0, 162)) == [Verdict.HAND_OUT] * 162  # 148-161 dropped by Faust
    order.positioned(TP, 0)  # no commit: the log start, not "unknown"
    after = order.fetch_started()
    assert order.verdict(TP, 162, after) is Verdict.SEEK_BACK
    order.sought_back(TP)
    again = order.fetch_started()
    assert hand_out(order, again, range(0, 163)) == [Verdict.HAND_OUT] * 163
