from streams.monitoring.progress import format_report
from streams.monitoring.counters import IngestCounters, InferenceCounters


def test_report_line_names_rates_state_and_dead_letters():
    line = format_report(1234.4, {"clicks": 10, "catalog": 2}, 3, {"not_json": 1, "oversized": 2},
                         {"user-profiles": 5, "products": 2})
    assert line == ("1,234 events/s | applied: catalog 2, clicks 10 | duplicates 3 | "
                    "dead letters 3 (not_json 1, oversized 2) | state: user-profiles=5, products=2")


def test_quiet_report_has_no_reason_list():
    assert "dead letters 0 |" in format_report(0.0, {}, 0, {}, {})


def test_counters_total_and_rate():
    counters = IngestCounters()
    counters.accepted["clicks"] += 3
    counters.duplicates["clicks"] += 1
    counters.dead_letters["not_json"] += 1
    assert counters.total() == 5
    assert counters.rate_since_last_call() > 0
    assert counters.rate_since_last_call() == 0


def test_inference_report_gives_rate_and_mean_batch_since_the_last_report():
    from streams.monitoring.counters import InferenceCounters

    counters = InferenceCounters()
    counters.batch_done(100, "sasrec-1")
    counters.batch_done(50, "sasrec-1")
    first = counters.report()
    assert "mean batch 75.0 | 150 requests in 2 batches since start | model sasrec-1" in first
    counters.batch_done(10, "sasrec-2")
    assert "mean batch 10.0 | 160 requests in 3 batches since start | model sasrec-2" in counters.report()
    assert "mean batch 0.0 |" in counters.report()


def test_inference_report_gives_the_newest_lists_latency_percentiles():
    counters = InferenceCounters()
    counters.batch_done(100, "sasrec-2")
    line = counters.report([i / 1000 for i in range(1, 101)])  # 1..100 ms
    assert "| list latency p50 50 ms p99 99 ms (newest 100) |" in line
    assert "list latency" not in counters.report([])
