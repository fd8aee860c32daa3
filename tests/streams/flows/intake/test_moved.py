from types import SimpleNamespace

import orjson

import streams.flows.profiles.agents  # noqa: F401  registers the profile handlers
import streams.flows.products.agents  # noqa: F401  registers the catalog handler
from streams.flows.intake.moved import HANDLERS, moved_record, unpack
from streams.flows.intake.placement import Item
from tests.streams.factories import click, search


def test_every_keyed_input_has_a_handler_at_home():
    assert set(HANDLERS) == {"clicks", "searches", "erasures", "catalog"}


def test_a_moved_record_carries_values_and_input_coordinates_home():
    source = SimpleNamespace(message=SimpleNamespace(partition=3, offset=9))
    items = [Item(source, click(1), (3, 9)), Item(source, click(2, "purchase"), (3, 12))]
    wire = orjson.loads(orjson.dumps(moved_record("clicks", items)))  # as the codec sends it
    home = SimpleNamespace(value=wire, message=SimpleNamespace(partition=1, offset=40))
    unpacked = unpack(home)
    assert [item.value for item in unpacked] == [click(1), click(2, "purchase")]
    assert [item.at for item in unpacked] == [(3, 9), (3, 12)]  # the markers see the input's coordinates
    assert all(item.event is home for item in unpacked)  # table writes go to the home partition


def test_searches_travel_the_same_way():
    source = SimpleNamespace(message=SimpleNamespace(partition=0, offset=1))
    wire = orjson.loads(orjson.dumps(moved_record("searches", [Item(source, search(4), (0, 1))])))
    (item,) = unpack(SimpleNamespace(value=wire, message=SimpleNamespace(partition=2, offset=0)))
    assert item.value == search(4) and item.at == (0, 1)
