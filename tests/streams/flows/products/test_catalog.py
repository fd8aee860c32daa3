from datetime import timedelta, timezone

from schemas import ProductUpserted
from streams.flows.products.catalog import upsert_product
from tests.streams.factories import T0


def product(event_id: str, seconds: int, title: str, offset_hours: int = 0) -> ProductUpserted:
    zone = timezone(timedelta(hours=offset_hours))
    return ProductUpserted(event_id=event_id, occurred_at=(T0 + timedelta(seconds=seconds)).astimezone(zone),
                           product_id="ml-1", title=title, category="Animation")


def test_catalog_keeps_the_newest_entry():
    entry, _ = upsert_product(None, product("p1", 10, "Toy Story (1995)"))
    newer, changed = upsert_product(entry, product("p2", 20, "Toy Story"))
    assert changed and newer["title"] == "Toy Story" and newer["updated_by"] == "p2"
    stale, changed = upsert_product(newer, product("p0", 5, "Old title"))
    assert not changed and stale is newer


def test_catalog_compares_times_across_offsets():
    entry, _ = upsert_product(None, product("p1", 10, "A"))
    # 15 s after T0 but written in UTC+9: newer despite a "smaller-looking" local hour? no: larger string
    later, changed = upsert_product(entry, product("p2", 15, "B", offset_hours=-9))
    assert changed and later["occurred_at"] == "1997-09-20T05:05:25+00:00"
