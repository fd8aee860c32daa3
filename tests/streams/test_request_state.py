"""Recommendation requests built from profiles, one per click or search, redeliveries included."""

from schemas.requests import RecommendationRequested
from streams.state.latest import newer
from streams.state.profile import ProfileLimits
from streams.state.requests import apply_clicks, apply_searches
from tests.streams.factories import click, search

LIMITS = ProfileLimits(recent_items=3, purchased=2)


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


def _issued(caused_at: str, occurred_at: str) -> dict:
    return {"caused_at": caused_at, "occurred_at": occurred_at}


def test_the_list_of_the_newest_cause_is_kept_whatever_order_lists_arrive_in():
    old = _issued("2026-01-01T10:00:00Z", "2026-01-01T10:00:05Z")
    new = _issued("2026-01-01T10:00:01Z", "2026-01-01T10:00:02Z")
    assert newer(old, None)
    assert newer(new, old)
    assert not newer(old, new)  # a redelivered older request re-issued later does not win
    assert newer(_issued("2026-01-01T10:00:01+00:00", "2026-01-01T10:00:03Z"), new)  # same cause, reissued later
    assert not newer(new, new)


def test_a_review_request_joins_title_and_text_and_carries_no_pii():
    from streams.state.requests import review_request
    from tests.streams.factories import review

    base = review(1)
    with_pii = base.model_copy(update={"title": "Runs small", "text": "Write to jane.doe@example.com or call "
                                                                     "+1 415 555 2671. Card 4111 1111 1111 1111."})
    request = review_request(with_pii)
    assert request.text == "Runs small. Write to [email] or call [phone]. Card [card]."
    assert (request.event_id, request.product_id, request.rating) == (base.event_id, base.product_id, base.rating)
    assert review_request(base).text == "Lovely fabric."  # no title: the text alone
