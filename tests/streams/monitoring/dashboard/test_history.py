"""The dashboard's sampled history: ring buffer, rates from totals, and aligned series."""

import pytest

from streams.monitoring.dashboard.history import History, Sample, by_key, lag_label, rates, series, take_sample

INPUTS = ("shop.clicks", "shop.reviews")


def sample(at: float, received: dict, lag: dict | None = None, dead: dict | None = None) -> Sample:
    return Sample(at=at, received=received, lag=lag or {}, dead_letters=dead or {}, p50_ms=None, p99_ms=None)


def test_history_keeps_the_newest_samples_oldest_first():
    history = History(3)
    for at in range(5):
        history.add(sample(float(at), {}))
    assert [s.at for s in history.samples()] == [2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="at least 2"):
        History(1)


def test_rates_from_consecutive_totals():
    times = [0.0, 2.0, 4.0, 5.0]
    totals = [{"shop.clicks": 0}, {"shop.clicks": 100}, {"shop.clicks": 100, "shop.reviews": 8}, {"shop.clicks": 150}]
    assert rates(times, totals) == {
        "shop.clicks": [None, 50.0, 0.0, 50.0],
        "shop.reviews": [None, 0.0, 4.0, None],  # absent before its first message: 0; a total that fell: no rate
    }


def test_rates_without_time_passing_or_samples():
    assert rates([1.0, 1.0], [{"t": 0}, {"t": 5}]) == {"t": [None, None]}
    assert rates([], []) == {}


def test_take_sample_sums_lag_per_topic_and_gives_latency_percentiles_in_ms():
    lag = {("shop.clicks", "0"): 5, ("shop.clicks", "1"): 7, ("shop.reviews", "0"): 0,
           ("app-inference-requests", "2"): 3, ("app-products-changelog", "0"): 1, ("app-user-profiles-changelog", "3"): 2}
    received = {"shop.clicks": 3, "app-review-requests": 9, "shop.review-scores": 4}
    taken = take_sample(10.0, received, lag, {"invalid_json": 2}, [0.010, 0.020, 0.030], INPUTS, "app")
    assert taken.received == {"shop.clicks": 3}  # the shop's input topics only
    assert taken.lag == {"shop.clicks": 12, "shop.reviews": 0, "inference-requests": 3}  # no changelogs
    assert taken.dead_letters == {"invalid_json": 2}
    assert (taken.p50_ms, taken.p99_ms) == (20.0, pytest.approx(29.8))
    assert take_sample(10.0, {}, {}, {}, [], INPUTS, "app").p50_ms is None


def test_lag_labels():
    assert lag_label("shop.clicks", "shopstream") == "shop.clicks"
    assert lag_label("shopstream-slots-lost", "shopstream") == "slots-lost"
    assert lag_label("shopstream-product-stats-changelog", "shopstream") is None
    assert lag_label("other-app-slots-lost", "shopstream") == "other-app-slots-lost"


def test_series_share_one_time_axis():
    samples = [sample(0.0, {"shop.clicks": 0}, {"shop.clicks": 4, "shop.reviews": 0}),
               sample(2.0, {"shop.clicks": 10}, {}, {"oversized": 1}),
               sample(4.0, {"shop.clicks": 30}, {"shop.clicks": 0, "shop.reviews": 0},
                      {"oversized": 1, "invalid_json": 2})]
    drawn = series(samples)
    assert drawn["time"] == [0.0, 2.0, 4.0]
    assert drawn["events_per_s"] == {"shop.clicks": [None, 5.0, 10.0]}
    # unassigned for a moment: a gap, not 0; a topic that never lagged is not drawn
    assert drawn["lag"] == {"shop.clicks": [4, None, 0]}
    assert drawn["dead_letters"] == {"invalid_json": [0.0, 0.0, 2], "oversized": [0.0, 1, 1]}
    assert drawn["latency_ms"] == {"p50": [None] * 3, "p99": [None] * 3}
    assert all(len(values) == 3 for group in ("events_per_s", "lag", "dead_letters", "latency_ms")
               for values in drawn[group].values())


def test_by_key_fills_missing_readings():
    assert by_key([{"a": 1}, {"b": 2}], missing=0) == {"a": [1, 0], "b": [0, 2]}
