"""The dashboard's figures from plain values: percentiles, Gini, coverage, trending and alert cards."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import SentimentLabel
from streams.monitoring.dashboard.data import alert_cards, gini, percentile, recommendation_spread, top_trending
from streams.flows.reviews.alert_rule import AlertRule
from streams.flows.reviews.alerts import Mention, observe
from tests.streams.factories import alert_rule, stats_limits

RULE = alert_rule()
LIMITS = stats_limits(window_s=3600, step_s=300)
CATALOG = {"p1": {"title": "Toy Story (1995)"}, "p2": {"title": "Heat (1995)"}, "p3": {"title": "Fargo (1996)"},
           "p4": {"title": "Babe (1995)"}}


def test_percentile_known_answers():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.5
    assert percentile(values, 0) == 1.0 and percentile(values, 100) == 100.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


@given(st.lists(st.floats(0, 1e4), min_size=1, max_size=200), st.floats(0, 100))
def test_percentile_matches_numpy_linear(values, q):
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)), rel=1e-9, abs=1e-9)


def test_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError, match="outside 0-100"):
        percentile([1.0], 101)


def test_gini_known_answers():
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)
    for n in (2, 4, 10):
        assert gini([0] * (n - 1) + [3]) == pytest.approx((n - 1) / n)
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)  # mean absolute difference 1.25 / (2 * mean 2.5)
    assert gini([0, 0, 0]) is None and gini([]) is None
    with pytest.raises(ValueError, match="negative"):
        gini([1, -1])


@given(st.lists(st.integers(0, 50), min_size=1, max_size=60).filter(any))
def test_gini_is_between_0_and_its_maximum_and_ignores_order(counts):
    value = gini(counts)
    assert -1e-12 <= value <= (len(counts) - 1) / len(counts) + 1e-12
    assert value == pytest.approx(gini(list(reversed(counts))))


def issued(user: str, products: list[str], version: str = "sasrec-1") -> dict:
    return {"user_id": user, "model_version": version, "items": [{"product_id": p} for p in products]}


def test_spread_counts_catalog_coverage_and_concentration():
    lists = [issued("u1", ["p1", "p2"]), issued("u2", ["p1", "p2"]), issued("u3", ["p1", "gone"], "sasrec-2")]
    spread = recommendation_spread(lists, CATALOG)
    assert spread["users"] == 3 and spread["catalog_products"] == 4
    assert spread["recommended_products"] == 3  # "gone" is recommended but not in the catalog
    assert spread["coverage"] == 0.5  # p1 and p2 of four
    assert spread["gini"] == pytest.approx(gini([3, 2, 0, 0]))
    assert spread["versions"] == {"sasrec-1": 2, "sasrec-2": 1}


def test_spread_of_one_product_everywhere_is_fully_concentrated():
    spread = recommendation_spread([issued(f"u{n}", ["p3"]) for n in range(5)], CATALOG)
    assert spread["coverage"] == 0.25 and spread["gini"] == pytest.approx(3 / 4)


def test_spread_without_lists_or_catalog():
    assert recommendation_spread([], CATALOG)["gini"] is None
    empty = recommendation_spread([issued("u1", ["p1"])], {})
    assert empty["coverage"] is None and empty["gini"] is None


def stats(product: str, buckets: dict[int, int]) -> dict:
    return {"product_id": product, "buckets": {str(start): count for start, count in buckets.items()}}


def test_trending_ranks_within_one_shared_window_with_titles():
    end = 1_000_000_200  # a multiple of 300 (+ one step below)
    newest = end - end % 300
    table = [stats("p1", {newest: 2, newest - 300: 3}),  # 5 in the window
             stats("p2", {newest - 3300: 9, newest - 3600: 50}),  # 9: the older bucket left the shared window
             stats("p3", {newest - 7200: 40}),  # long quiet: counts nothing
             stats("p4", {newest: 5}), {"product_id": "p5", "buckets": {}}]
    trending = top_trending(table, CATALOG, LIMITS, n=2)
    assert [(p["product_id"], p["count"], p["title"]) for p in trending["products"]] == [
        ("p2", 9, "Heat (1995)"), ("p1", 5, "Toy Story (1995)")]
    assert trending["window_end"] == datetime.fromtimestamp(newest + 300, timezone.utc).isoformat()
    assert [p["product_id"] for p in top_trending(table, CATALOG, LIMITS)["products"]] == ["p2", "p1", "p4"]


def test_trending_of_nothing():
    assert top_trending([], CATALOG, LIMITS) == {"window_start": None, "window_end": None, "products": []}


START = datetime(2024, 4, 1, tzinfo=timezone.utc)


def mentions(product: str, aspect: str, pattern: str, at: datetime, every_s: int) -> list[Mention]:
    polarity = {"N": SentimentLabel.NEGATIVE, "P": SentimentLabel.POSITIVE}
    found = []
    for i, letter in enumerate(pattern):
        moment = at + timedelta(seconds=i * every_s)
        review = f"r-{product}-{aspect}-{int(moment.timestamp())}"
        found.append(Mention(product, aspect, polarity[letter], review, moment, f"score:{review}",
                             f"{aspect} complaint {i}" if letter == "N" else None))
    return found


def observed(found: list[Mention], rule: AlertRule = RULE) -> dict:
    state = None
    for mention in found:
        state, _, _ = observe(state, mention, rule)
    return state


def test_alert_cards_show_active_alerts_worst_first_with_window_evidence():
    week = timedelta(days=7)
    quiet = mentions("p1", "fit", "PPPPPPPPPN" * 16, START, 3600)  # a week at 10% negative
    surge = observed(quiet + mentions("p1", "fit", "NNNPNNNPNN", START + week, 60))
    milder = observed(mentions("p2", "delivery", "NNNNNNNN", START + week, 60))  # no history: prior baseline 0.15
    calm = observed(mentions("p3", "fit", "PPPPP", START, 60))
    assert surge["alert"] and milder["alert"] and calm["alert"] is None

    cards = alert_cards([calm, milder, surge], CATALOG, RULE, excerpts=3)
    assert [(c["product_id"], c["aspect"]) for c in cards] == [("p1", "fit"), ("p2", "delivery")]
    assert cards[0]["ratio"] > cards[1]["ratio"] == pytest.approx(1 / 0.15, abs=0.01)
    fit = cards[0]
    assert fit["title"] == "Toy Story (1995)"
    assert (fit["negative_count"], fit["total_count"], fit["negative_share"]) == (8, 10, 0.8)
    assert fit["baseline_share"] < 0.2 and fit["ratio"] == pytest.approx(0.8 / fit["baseline_share"], abs=0.01)
    assert fit["severity"] in ("medium", "high") and fit["alert_id"] == surge["alert"]["alert_id"]
    # newest first
    assert [e["excerpt"] for e in fit["evidence"]] == ["fit complaint 9", "fit complaint 8", "fit complaint 6"]
    assert [c["product_id"] for c in alert_cards([milder, surge], CATALOG, RULE, n=1)] == ["p1"]


def test_alert_card_of_a_product_missing_from_the_catalog_has_no_title():
    state = observed(mentions("p9", "fit", "NNNNNN", START, 60))
    assert alert_cards([state], CATALOG, RULE)[0]["title"] is None


def test_alert_card_evidence_comes_from_the_current_window_only():
    rule = alert_rule(evidence_size=10)
    quiet = mentions("p1", "fit", "PPPPPPPPPN" * 16, START, 3600)
    state = observed(quiet + mentions("p1", "fit", "NNNPNNNPNN", START + timedelta(days=7), 60), rule)
    assert len(state["evidence"]) == 10  # two complaints of the quiet week are still kept
    card = alert_cards([state], CATALOG, rule, excerpts=10)[0]
    assert [e["excerpt"] for e in card["evidence"]] == [f"fit complaint {i}" for i in (9, 8, 6, 5, 4, 2, 1, 0)]
