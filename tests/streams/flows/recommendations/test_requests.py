"""Recommendation requests built from profiles, one per user and batch or one per click or search, redeliveries
included."""

from schemas.requests import RecommendationRequested
from streams.flows.recommendations.requests import apply_clicks, apply_searches
from tests.streams.factories import click, profile_limits, search

LIMITS = profile_limits(recent_items=3, purchased=2)


def test_one_request_per_click_with_the_profile_as_of_that_click():
    clicks = [click(1, product="ml-1"), click(2, product="ml-2", kind="cart"),
              click(3, product="ml-3", kind="purchase", category="Drama")]
    (profile, applied, duplicates), requests = apply_clicks(None, clicks, LIMITS)
    assert (applied, duplicates) == (3, 0)
    assert [r.event_id for r in requests] == ["c-ml-u1-1", "c-ml-u1-2", "c-ml-u1-3"]
    assert [r.history for r in requests] == [["ml-1"], ["ml-1", "ml-2"], ["ml-1", "ml-2", "ml-3"]]
    assert [r.just_viewed for r in requests] == ["ml-1", "ml-2", "ml-3"]
    assert requests[2].purchased == ["ml-3"] and requests[1].purchased == []
    assert requests[2].category == "Drama" and requests[2].top_categories == ["Drama", "Animation"]  # 5 vs 1 + 3
    assert all(r.trigger == "click" and r.query is None and r.user_id == "ml-u1" for r in requests)
    assert requests[0].occurred_at == clicks[0].occurred_at


def test_history_is_bounded_by_the_profile():
    (_, _, _), requests = apply_clicks(None, [click(n, product=f"ml-{n}") for n in range(1, 6)], LIMITS)
    assert requests[-1].history == ["ml-3", "ml-4", "ml-5"]


def test_a_redelivered_click_still_asks_again_without_changing_the_profile():
    (profile, _, _), _ = apply_clicks(None, [click(1), click(2, product="ml-2")], LIMITS)
    (again, applied, duplicates), requests = apply_clicks(profile, [click(2, product="ml-2")], LIMITS)
    assert (again, applied, duplicates) == (profile, 0, 1)
    assert [r.event_id for r in requests] == ["c-ml-u1-2"]
    assert requests[0].history == ["ml-1", "ml-2"]


def test_a_search_asks_with_its_query_and_category():
    (profile, applied, _), requests = apply_searches(None, [search(1, query="space movies", category="Sci-Fi")],
                                                     LIMITS)
    assert applied == 1
    [request] = requests
    assert isinstance(request, RecommendationRequested)
    assert (request.trigger, request.query, request.category) == ("search", "space movies", "Sci-Fi")
    assert request.history == [] and request.just_viewed is None and request.top_categories == ["Sci-Fi"]


def test_requests_survive_the_codec_round_trip():
    (_, _, _), [request] = apply_clicks(None, [click(1)], LIMITS)
    assert RecommendationRequested.model_validate_json(request.model_dump_json()) == request


def test_by_default_a_users_batch_asks_once_for_its_last_event_from_the_profile_holding_all():
    clicks = [click(1, product="ml-1"), click(2, product="ml-2", kind="purchase"), click(3, product="ml-3")]
    each = apply_clicks(None, clicks, LIMITS)
    folded, [request] = apply_clicks(None, clicks, LIMITS, each_event=False)
    assert folded == each[0] and request == each[1][-1]  # the same profile, the last event's own request
    assert request.event_id == "c-ml-u1-3" and request.just_viewed == "ml-3"
    assert request.purchased == ["ml-2"] and request.history == ["ml-1", "ml-2", "ml-3"]


def test_a_batch_of_redeliveries_still_asks_once():
    (profile, _, _), _ = apply_clicks(None, [click(1), click(2, product="ml-2")], LIMITS)
    (again, applied, duplicates), requests = apply_clicks(profile, [click(1), click(2, product="ml-2")], LIMITS,
                                                          each_event=False)
    assert (again, applied, duplicates) == (profile, 0, 2)
    assert [r.event_id for r in requests] == ["c-ml-u1-2"]
    searched = apply_searches(None, [search(1, query="a"), search(2, query="b")], LIMITS, each_event=False)[1]
    assert [r.query for r in searched] == ["b"]


def test_folding_a_batch_leaves_the_stored_profile_as_it_was():
    import copy

    (profile, _, _), _ = apply_clicks(None, [click(1), click(2, product="ml-2", kind="purchase")], LIMITS)
    before = copy.deepcopy(profile)
    (after, applied, _), _ = apply_clicks(profile, [click(3, product="ml-3", kind="purchase"), click(4)], LIMITS)
    assert applied == 2 and profile == before and after != before
