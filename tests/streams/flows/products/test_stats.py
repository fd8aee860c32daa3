import orjson

from streams.flows.products.stats import (add_to_window, apply_forwarded, apply_interaction, apply_review,
                                          forwarded, forwarded_events, public_stats, trending_window)
from tests.streams.factories import T0, click, review, stats_limits

LIMITS = stats_limits(seen_event_ids=10, window_s=3600, step_s=300)


def test_each_kind_increments_its_counter_once():
    stats = None
    for n, kind in enumerate(["view", "view", "cart", "purchase"], start=1):
        stats, changed = apply_interaction(stats, click(n, kind), LIMITS)
        assert changed
    stats, changed = apply_interaction(stats, click(4, "purchase"), LIMITS)
    assert not changed
    assert (stats["views"], stats["carts"], stats["purchases"]) == (2, 1, 1)
    assert stats["category"] == "Animation"


def test_reviews_count_and_average():
    stats, _ = apply_review(None, review(1, rating=5), LIMITS)
    stats, _ = apply_review(stats, review(2, rating=2), LIMITS)
    stats, changed = apply_review(stats, review(2, rating=2), LIMITS)
    assert not changed
    view = public_stats(stats, LIMITS)
    assert view["reviews"] == 2 and view["mean_rating"] == 3.5 and "seen" not in view and "buckets" not in view


def test_hopping_window_counts_event_time_buckets():
    t = int(T0.timestamp())  # 05:05:10, inside the bucket starting 05:05:00
    buckets = {}
    for offset in (0, 10, 400, 3500):
        buckets = add_to_window(buckets, t + offset, LIMITS)
    bucket = t - t % 300
    assert buckets == {str(bucket): 2, str(bucket + 300): 1, str(bucket + 3300): 1}
    window = trending_window(buckets, LIMITS)
    assert window == {"window_start": bucket, "window_end": bucket + 3600, "count": 4}


def test_window_drops_buckets_that_hop_out_and_ignores_late_events():
    t = int(T0.timestamp()) - int(T0.timestamp()) % 300
    buckets = add_to_window({}, t, LIMITS)
    buckets = add_to_window(buckets, t + 3600, LIMITS)  # the first bucket is now outside the window
    assert buckets == {str(t + 3600): 1}
    assert add_to_window(buckets, t + 5, LIMITS) == buckets  # too late for any open window
    assert trending_window({}, LIMITS)["count"] == 0


def test_click_updates_the_trending_window():
    stats, _ = apply_interaction(None, click(1), LIMITS)
    stats, _ = apply_interaction(stats, click(2, "cart"), LIMITS)
    assert public_stats(stats, LIMITS)["trending"]["count"] == 2


def test_what_the_state_role_stores_is_what_inference_workers_may_read():
    from schemas.state import ProductStatsState

    stats, _ = apply_interaction(None, click(1, "purchase"), LIMITS)
    stats, _ = apply_review(stats, review(2, rating=4, product="ml-1"), LIMITS)
    read = ProductStatsState.model_validate_json(orjson.dumps(stats))
    assert (read.product_id, read.category, read.purchases, read.reviews, read.rating_sum) == ("ml-1", "Animation",
                                                                                                1, 1, 4)
    assert read.interactions == 1 and sum(read.buckets.values()) == 1


def hot_backlog(clicks: int) -> list[tuple]:
    """``clicks`` views of one product by many users, from two partitions of shop.clicks, with their offsets."""
    return [(click(n, user=f"u{n % 7}"), (n % 2, 1000 + n // 2)) for n in range(1, clicks + 1)]


def test_a_replayed_backlog_longer_than_the_id_memory_is_applied_once():
    backlog = hot_backlog(100)  # ten times the id memory of LIMITS
    stats = None
    for event, at in backlog:
        stats, _ = apply_interaction(stats, event, LIMITS, at)
    for event, at in backlog:  # redelivered after a crash: every copy is below its partition's marker
        stats, changed = apply_interaction(stats, event, LIMITS, at)
        assert not changed
    assert stats["views"] == 100 and stats["applied"] == {"clicks@0": 1050, "clicks@1": 1049}
    copy, _ = backlog[-1]  # the shop's producer sent the newest click twice: a new offset, a remembered id
    assert apply_interaction(stats, copy, LIMITS, (0, 1051)) == (stats, False)


def test_without_coordinates_only_the_id_memory_guards():
    backlog = hot_backlog(100)
    stats = None
    for event, _ in backlog + backlog:
        stats, _ = apply_interaction(stats, event, LIMITS)
    assert stats["views"] > 100  # what the offset markers prevent


def apply_records(stats, records):
    """Apply forwarded ``records`` in order, as the products agent does; returns (stats, applied, duplicates)."""
    applied = duplicates = 0
    for record in records:
        for kind, event, at in forwarded_events(record):
            stats, changed = apply_forwarded(stats, kind, event, at, LIMITS)
            applied, duplicates = applied + changed, duplicates + (not changed)
    return stats, applied, duplicates


def test_forwarded_records_carry_clicks_and_reviews_with_their_offsets():
    clicks = forwarded("clicks", [click(n).model_dump(mode="json") for n in (1, 2)], [(3, 10), (3, 11)])
    reviews = forwarded("reviews", [review(1, rating=5, product="ml-1").model_dump(mode="json")], [(0, 7)])
    records = orjson.loads(orjson.dumps([clicks, reviews, clicks, reviews]))  # as Kafka carries them
    stats, applied, duplicates = apply_records(None, records)
    assert (applied, duplicates) == (3, 3)
    assert (stats["views"], stats["reviews"], stats["rating_sum"]) == (2, 1, 5)
    assert stats["applied"] == {"clicks@3": 11, "reviews@0": 7} and "applied" not in public_stats(stats, LIMITS)
    older = {"clicks": [click(3).model_dump(mode="json")]}  # a record of a version without offsets
    assert apply_records(stats, [older])[1:] == (1, 0)


def test_one_record_carries_many_products_each_event_naming_its_own():
    events = [click(1, product="p-a"), click(2, product="p-b"), click(3, product="p-a")]
    record = orjson.loads(orjson.dumps(forwarded("clicks", [e.model_dump(mode="json") for e in events],
                                                 [(0, 5), (0, 6), (0, 7)])))
    unpacked = forwarded_events(record)
    assert [(kind, event["product_id"], at) for kind, event, at in unpacked] == [
        ("clicks", "p-a", (0, 5)), ("clicks", "p-b", (0, 6)), ("clicks", "p-a", (0, 7))]


def test_a_copy_the_shop_sent_twice_is_caught_however_many_clicks_other_partitions_interleave():
    original = click(1, user="u-a")
    stats, _ = apply_interaction(None, original, LIMITS, (0, 500))
    for n in range(2, 100):  # ten times the id memory, from another input partition
        stats, _ = apply_interaction(stats, click(n, user="u-b"), LIMITS, (1, 1000 + n))
    assert apply_interaction(stats, original, LIMITS, (0, 501)) == (stats, False)  # the copy: next offset, same id
    assert stats["views"] == 99


def test_a_click_forwarded_as_counted_applies_as_the_click_itself():
    from datetime import timedelta, timezone

    from streams.flows.products.stats import carried

    local = click(1).model_copy(update={"occurred_at": T0.astimezone(timezone(timedelta(hours=2)))})
    record = orjson.loads(orjson.dumps(forwarded("clicks", [carried("clicks", local)], [(2, 40)])))
    entry = record["clicks"][0]
    assert entry["time"].endswith("+00:00") and entry["epoch_s"] == int(T0.timestamp())
    (kind, event, at), = forwarded_events(record)
    assert apply_forwarded(None, kind, event, at, LIMITS) == apply_interaction(None, local, LIMITS, (2, 40))
    older = orjson.loads(orjson.dumps(forwarded("clicks", [local.model_dump(mode="json")], [(2, 40)])))
    assert apply_records(None, [older]) == apply_records(None, [record])
