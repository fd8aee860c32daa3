"""Quality-aware ranking: products with an active complaint alert are demoted, explained and counted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schemas.alerts import AlertStatus, SentimentAlertChanged
from streams.flows.reviews.complaints import ComplaintView
from streams.flows.recommendations.ranking import Candidates, rank
from tests.streams.factories import T0
from tests.streams.flows.recommendations.test_ranking import catalog, request  # noqa: F401  (the real six-title CatalogView fixture)


def alert(product_id: str, aspect: str, status: str = "raised", alert_id: str | None = None) -> bytes:
    """A ``shop.sentiment-alerts`` record as the state agent writes it."""
    return SentimentAlertChanged(
        event_id=f"alert:{product_id}:{aspect}:{status}", occurred_at=T0, caused_by="score:r-1",
        alert_id=alert_id or f"alert-{product_id}-{aspect}", product_id=product_id, aspect=aspect,
        status=AlertStatus(status), severity="high", window_start=T0 - timedelta(hours=1), window_end=T0,
        negative_count=6, total_count=7, negative_share=0.857, baseline_share=0.1,
    ).model_dump_json().encode()


MODEL = Candidates(model=[("ml-2", 5.0), ("ml-3", 4.0), ("ml-4", 3.0), ("ml-5", 2.0), ("ml-6", 1.0)],
                   anchors={pid: "ml-1" for pid in ("ml-2", "ml-3", "ml-4", "ml-5", "ml-6")})


def listed(ranking) -> list[str]:
    return [item.product_id for item in ranking.items]


def test_an_active_alert_moves_the_product_down_and_the_reason_says_what_outranked_it(catalog):
    complaints = ComplaintView()
    assert complaints.apply_alert(alert("ml-2", "battery_life"))
    plain = rank(request(history=["ml-1"]), MODEL, catalog, k=4, search_weight=0.5)
    demoted = rank(request(history=["ml-1"]), MODEL, catalog, k=4, search_weight=0.5, complaints=complaints,
                   demotion=0.6)
    assert listed(plain) == ["ml-2", "ml-3", "ml-4", "ml-5"]  # min-max scores 1, .75, .5, .25
    assert listed(demoted) == ["ml-3", "ml-4", "ml-2", "ml-5"]  # ml-2: 1 - 0.6 = 0.4
    moved = demoted.items[2]
    assert moved.reason == ("because you viewed Toy Story (1995); #3, not #1, for recent complaints about "
                            "battery life (Four Rooms (1995) ranks above it)")
    assert [item.reason for item in demoted.items if item.product_id != "ml-2"] == [
        "because you viewed Toy Story (1995)"] * 3
    assert demoted.displaced == []  # still in the list: no slot lost
    assert [item.score for item in demoted.items] == sorted((item.score for item in demoted.items), reverse=True)


def test_a_product_pushed_out_of_the_top_k_is_a_lost_slot_and_counts_against_its_alerts(catalog):
    complaints = ComplaintView()
    complaints.apply_alert(alert("ml-5", "sizing"))
    complaints.apply_alert(alert("ml-5", "delivery"))
    ranking = rank(request(history=["ml-1"]), MODEL, catalog, k=4, search_weight=0.5, complaints=complaints,
                   demotion=0.5)
    assert listed(ranking) == ["ml-2", "ml-3", "ml-4", "ml-6"]
    assert ranking.displaced == ["ml-5"]
    complaints.lost(ranking.displaced)
    complaints.lost(ranking.displaced)
    [lost] = complaints.take_lost()
    assert (lost.product_id, lost.alerts, lost.slots) == (
        "ml-5", {"delivery": "alert-ml-5-delivery", "sizing": "alert-ml-5-sizing"}, 2)
    assert complaints.take_lost() == []  # taken: the next report starts from zero


def test_a_product_nothing_comes_close_to_keeps_its_place_and_says_so(catalog):
    complaints = ComplaintView()
    complaints.apply_alert(alert("ml-2", "battery_life"))
    strong = Candidates(model=[("ml-2", 100.0), ("ml-3", 1.0), ("ml-4", 0.5)], anchors={"ml-2": "ml-1"})
    ranking = rank(request(history=["ml-1"]), strong, catalog, k=3, search_weight=0.5, complaints=complaints,
                   demotion=0.2)
    assert listed(ranking)[0] == "ml-2"
    assert ranking.items[0].reason == ("because you viewed Toy Story (1995); kept at #1 despite recent complaints "
                                       "about battery life")


@pytest.mark.parametrize("demotion", [0.0, 0.5])
def test_demotion_off_or_no_alert_leaves_the_list_exactly_as_it_was(catalog, demotion):
    complaints = ComplaintView()
    if demotion:
        complaints.apply_alert(alert("ml-9", "battery_life"))  # a product no list holds
    else:
        complaints.apply_alert(alert("ml-2", "battery_life"))
    plain = rank(request(history=["ml-1"], category="Drama"), MODEL, catalog, k=4, search_weight=0.5)
    again = rank(request(history=["ml-1"], category="Drama"), MODEL, catalog, k=4, search_weight=0.5,
                 complaints=complaints, demotion=demotion)
    assert again == plain


def test_weight_one_ranks_an_alerted_trending_product_below_every_other(catalog):
    complaints = ComplaintView()
    complaints.apply_alert(alert("ml-6", "fabric_quality"))  # ml-6 trends most in Drama
    ranking = rank(request(category="Drama"), Candidates(), catalog, k=3, search_weight=0.5,
                   complaints=complaints, demotion=1.0)
    assert listed(ranking) == ["ml-5", "ml-4", "ml-3"]  # Drama, then the shop (Comedy's ml-3)
    assert ranking.displaced == ["ml-6"]


def test_a_resolution_ends_the_demotion_but_an_old_one_does_not_close_a_newer_alert():
    complaints = ComplaintView()
    complaints.apply_alert(alert("ml-2", "battery_life", alert_id="alert-new"))
    complaints.apply_alert(alert("ml-2", "battery_life", "resolved", alert_id="alert-old"))
    assert complaints.active("ml-2") == {"battery_life": "alert-new"}
    complaints.apply_alert(alert("ml-2", "battery_life", "updated", alert_id="alert-new"))
    complaints.apply_alert(alert("ml-2", "battery_life", "resolved", alert_id="alert-new"))
    assert complaints.active("ml-2") == {} and not complaints
    complaints.lost(["ml-2"])  # no alert any more: nothing to count against
    assert complaints.take_lost() == []


def test_an_invalid_alert_record_is_refused_and_changes_nothing():
    complaints = ComplaintView()
    assert not complaints.apply_alert(b'{"product_id": "ml-2"}')
    assert not complaints.apply_alert(None)
    assert not complaints
