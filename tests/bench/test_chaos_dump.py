"""The chaos dump's out-of-order report: a re-keyed event behind a later offset of its input partition."""

from bench.chaos_dump import out_of_order


def record(partition: int, offset: int, key: str, at: list[list[int]], kind: str | None = None) -> dict:
    """A re-key record: moved-events (``kind``, one key) or product-interactions (each event names its product)."""
    events = [{}] * len(at) if kind else [{"product_id": key}] * len(at)
    value = {"at": at, **({"kind": kind, "events": events} if kind else {"clicks": events})}
    return {"partition": partition, "offset": offset, "timestamp_ms": 1000 + offset, "key": key, "value": value}


def test_an_event_behind_a_later_offset_of_its_input_partition_is_named():
    """The loss of 2026-12-06: 1929-1931 forwarded first, then 1226 onwards."""
    records = [record(0, 10, "p1", [[2, 1929], [2, 1931]]), record(0, 11, "p1", [[2, 1226], [2, 1932]])]
    assert out_of_order(records) == ["[0]@11 t=1011 key=p1 clicks[2]@1226 behind @1931"]


def test_replays_other_keys_other_partitions_and_kinds_are_not_named():
    records = [record(0, 1, "p1", [[2, 5], [2, 6]]),
               record(0, 2, "p1", [[2, 5], [2, 6], [2, 7]]),  # a replay after a crash, then new
               record(0, 3, "p2", [[2, 1]]),  # another key
               record(0, 4, "p1", [[3, 1]]),  # another input partition
               record(1, 0, "u1", [[2, 9]], kind="clicks"), record(1, 1, "u1", [[2, 3]], kind="searches")]
    assert out_of_order(records) == []


def test_a_product_interactions_record_is_read_per_product():
    value = {"clicks": [{"product_id": "p1"}, {"product_id": "p2"}, {"product_id": "p1"}], "at": [[2, 9], [2, 3], [2, 4]]}
    records = [{"partition": 0, "offset": 0, "timestamp_ms": 0, "key": None, "value": value}]
    assert out_of_order(records) == ["[0]@0 t=0 key=p1 clicks[2]@4 behind @9"]


def test_records_are_read_in_log_order_whatever_order_they_come_in():
    records = [record(0, 2, "p1", [[1, 4]]), record(0, 1, "p1", [[1, 8]]), {"partition": 0, "offset": 0,
               "timestamp_ms": 0, "key": None, "value": "not json"}]
    assert out_of_order(records) == ["[0]@2 t=1002 key=p1 clicks[1]@4 behind @8"]
