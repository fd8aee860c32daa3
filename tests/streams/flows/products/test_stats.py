import orjson

from streams.flows.products.stats import (add_to_window, apply_interaction, apply_review, public_stats,
                                          trending_window)
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
