"""The metric helpers behind ``GET /metrics`` and the dashboard."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

from streams.monitoring import metrics


def test_a_model_serves_one_version_at_a_time():
    metrics.set_model_version("test-model", "v1")
    metrics.set_model_version("test-model", "v2")
    metrics.set_model_version("other-test-model", "x")
    assert metrics.model_versions()["test-model"] == "v2"
    metrics.set_model_version("test-model", None)
    assert "test-model" not in metrics.model_versions() and metrics.model_versions()["other-test-model"] == "x"


def test_counter_totals_sum_over_the_other_labels():
    counter = Counter("test_things", "Things.", ["topic", "reason"], registry=CollectorRegistry())
    counter.labels(topic="a", reason="x").inc(2)
    counter.labels(topic="a", reason="y").inc(3)
    counter.labels(topic="b", reason="x").inc()
    assert metrics.counter_totals(counter, "topic") == {"a": 5.0, "b": 1.0}
    assert metrics.counter_totals(counter, "reason") == {"x": 3.0, "y": 3.0}


def test_gauges_are_read_at_scrape_not_at_registration():
    reads = []

    def read():
        reads.append(1)
        return {("t1",): 4.0, ("t2",): 0.0}
    registry = CollectorRegistry()
    registry.register(metrics.GaugesAtScrape("test_sizes", "Sizes.", ["table"], read))
    assert reads == []
    assert registry.get_sample_value("test_sizes", {"table": "t1"}) == 4.0 and reads == [1]


def test_recommendation_latencies_feed_the_histogram_and_the_recent_window():
    count = metrics.RECOMMENDATION_LATENCY._sum.get(), len(metrics.recent_recommendation_latencies())
    metrics.record_recommendation_latencies([0.25, 0.5])
    assert metrics.RECOMMENDATION_LATENCY._sum.get() == count[0] + 0.75
    assert metrics.recent_recommendation_latencies()[-2:] == [0.25, 0.5]


def test_exposition_is_prometheus_text():
    metrics.record_dead_letter("shop.test", "not_json")
    body, content_type = metrics.exposition()
    assert content_type.startswith("text/plain")
    assert b'shopstream_dead_letters_total{reason="not_json",topic="shop.test"}' in body


def test_label_children_are_made_once_per_label_tuple_and_count_where_labels_say():
    before = metrics.DEAD_LETTERS.labels(topic="shop.cached", reason="a")._value.get()
    metrics.record_dead_letter("shop.cached", "a")
    metrics.record_dead_letter("shop.cached", "a")
    metrics.record_dead_letter("shop.cached", "b")
    assert metrics.child(metrics.DEAD_LETTERS, "shop.cached", "a") is metrics.child(metrics.DEAD_LETTERS, "shop.cached", "a")
    assert metrics.DEAD_LETTERS.labels(topic="shop.cached", reason="a")._value.get() == before + 2
    assert metrics.DEAD_LETTERS.labels(topic="shop.cached", reason="b")._value.get() == 1
