from types import SimpleNamespace

from aiokafka.partitioner import DefaultPartitioner

from streams.flows.intake.placement import Item, home_partition, split_by_home
from tests.streams.factories import click


def test_home_partition_is_the_one_kafkas_default_partitioner_picks():
    partitioner = DefaultPartitioner()
    for partitions in (1, 3, 4, 12):
        everyone = list(range(partitions))
        for key in ("ml-u1", "crash-u77", "wc-1078", "ü-ß-用户", "x" * 80):
            assert home_partition(key, partitions) == partitioner(key.encode(), everyone, everyone)


def _item(partition: int, offset: int, value) -> Item:
    event = SimpleNamespace(message=SimpleNamespace(partition=partition, offset=offset))
    return Item(event, value, (partition, offset))


def test_events_outside_their_home_are_grouped_by_key_in_order():
    users = [f"ml-u{n}" for n in range(12)]
    items = [_item(n % 4, n, click(n, user=users[n % len(users)])) for n in range(48)]
    home, away = split_by_home(items, "user_id", 4)
    assert all(home_partition(item.value.user_id, 4) == item.event.message.partition for item in home)
    assert {key for key in away} == {item.value.user_id for item in items
                                     if home_partition(item.value.user_id, 4) != item.event.message.partition}
    for key, group in away.items():
        assert all(item.value.user_id == key for item in group)
        assert [item.at for item in group] == sorted(item.at for item in group)
    assert len(home) + sum(map(len, away.values())) == len(items)
    assert home and away  # 12 users over 4 partitions: both kinds occur
