"""build_replay over the whole real datasets: contract, order, mapping, determinism."""

import operator
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import orjson
import pandas as pd
import pytest

from schemas.topics import CATALOG, CLICKS, REVIEWS, SEARCHES, spec_for
from shopmodels.datasets import MovieLens
from streams.tools.replay.events import KIND_BY_RATING, SESSION_GAP_S, ReplayEvent, build_replay

FULL_COUNTS = {CATALOG: 2_861, CLICKS: 100_000, SEARCHES: 9_662, REVIEWS: 22_641}


def _referenced(event: ReplayEvent) -> list[str]:
    value = event.value
    return value["results"] if event.topic == SEARCHES else [value["product_id"]]


def _timeline(events: list[ReplayEvent]) -> list[ReplayEvent]:
    return [event for event in events if event.topic != CATALOG]


def test_full_replay_counts(full_replay: list[ReplayEvent]) -> None:
    assert Counter(event.topic for event in full_replay) == FULL_COUNTS
    kinds = Counter(e.value["kind"] for e in full_replay if e.topic == CLICKS)
    assert kinds == {"view": 44_625, "cart": 34_174, "purchase": 21_201}


def test_every_event_validates_against_its_topic_schema(full_replay: list[ReplayEvent]) -> None:
    for event in full_replay:
        spec = spec_for(event.topic)
        model = spec.value_model.model_validate_json(orjson.dumps(event.value))
        assert getattr(model, spec.key_field) == event.key
        assert model.model_dump(mode="json", exclude_unset=True) == event.value  # nothing altered


def test_event_ids_are_unique_and_deterministic(
    full_replay: list[ReplayEvent], movielens: MovieLens, reviews: pd.DataFrame
) -> None:
    ids = [event.value["event_id"] for event in full_replay]
    assert len(set(ids)) == len(ids)
    assert list(build_replay(movielens, reviews)) == full_replay
    assert ids[0] == "ml-product-1"
    assert "ml-click-196-242-881250949" in ids and "wc-review-0" in ids


def test_catalog_comes_first_and_names_every_product_before_use(
    full_replay: list[ReplayEvent],
) -> None:
    topics = [event.topic for event in full_replay]
    catalog_size = topics.count(CATALOG)
    assert set(topics[:catalog_size]) == {CATALOG}
    products = {event.key for event in full_replay[:catalog_size]}
    assert len(products) == catalog_size
    for event in full_replay[catalog_size:]:
        assert set(_referenced(event)) <= products


def test_timeline_runs_forward_in_time(full_replay: list[ReplayEvent]) -> None:
    times = [datetime.fromisoformat(e.value["occurred_at"]) for e in _timeline(full_replay)]
    assert times == sorted(times)
    assert times[0] == datetime(1997, 9, 20, 3, 5, 10, tzinfo=UTC)
    assert times[-1] == datetime(1998, 4, 22, 23, 10, 38, tzinfo=UTC)
    last_seen: dict[str, datetime] = {}
    for event, moment in zip(_timeline(full_replay), times):
        user = event.value.get("user_id")
        if user is not None:
            assert moment >= last_seen.get(user, moment)
            last_seen[user] = moment


def test_clicks_replay_each_users_movielens_sequence(
    full_replay: list[ReplayEvent], movielens: MovieLens
) -> None:
    replayed = defaultdict(list)
    for event in full_replay:
        if event.topic == CLICKS:
            replayed[event.key].append(event.value["product_id"])
    for user_id, items in movielens.interactions.groupby("user_id")["item_id"]:
        assert replayed[f"ml-u{user_id}"] == [f"ml-{item}" for item in items]


def test_rating_maps_to_click_kind_on_every_real_row(
    full_replay: list[ReplayEvent], movielens: MovieLens
) -> None:
    assert KIND_BY_RATING == {1: "view", 2: "view", 3: "view", 4: "cart", 5: "purchase"}
    rating = {
        (f"ml-u{u}", f"ml-{i}"): r
        for u, i, r in movielens.interactions[["user_id", "item_id", "rating"]].itertuples(index=False)
    }
    clicks = {e.value["event_id"]: e.value for e in full_replay if e.topic == CLICKS}
    for value in clicks.values():
        assert value["kind"] == KIND_BY_RATING[rating[(value["user_id"], value["product_id"])]]
    assert clicks["ml-click-196-242-881250949"]["kind"] == "view"  # rated 3
    assert clicks["ml-click-1-168-874965478"]["kind"] == "purchase"  # rated 5
    assert clicks["ml-click-1-156-874965556"]["kind"] == "cart"  # rated 4


def test_sessions_split_after_thirty_idle_minutes(full_replay: list[ReplayEvent]) -> None:
    previous: dict[str, tuple[datetime, str]] = {}
    for event in full_replay:
        if event.topic != CLICKS:
            continue
        moment = datetime.fromisoformat(event.value["occurred_at"])
        session = event.value["session_id"]
        if event.key in previous:
            last_moment, last_session = previous[event.key]
            new_session = moment - last_moment > timedelta(seconds=SESSION_GAP_S)
            assert (session != last_session) == new_session
        previous[event.key] = (moment, session)


def test_a_search_precedes_each_first_click_in_a_category(full_replay: list[ReplayEvent]) -> None:
    products = {e.key: e.value for e in full_replay if e.topic == CATALOG}
    pending: dict[str, dict] = {}
    for event in full_replay:
        value = event.value
        if event.topic == SEARCHES:
            results = value["results"]
            assert 1 <= len(results) <= 10 and len(set(results)) == len(results)
            clicked = products[results[0]]
            assert {products[p]["category"] for p in results} == {clicked["category"]}
            if value["category"] is None:  # typed words of the movie's title
                assert set(value["query"].split()) <= set(re.findall(r"[^\W_]+(?:'[^\W_]+)?", clicked["title"].lower()))
            else:  # the category, with the category filter set
                assert (value["query"], value["category"]) == (clicked["category"].lower(), clicked["category"])
            pending[event.key] = value
        elif event.topic == CLICKS and event.key in pending:
            search = pending.pop(event.key)
            assert search["results"][0] == value["product_id"]
            assert search["occurred_at"] == value["occurred_at"]
    assert not pending


def test_reviews_carry_the_real_rows(full_replay: list[ReplayEvent], reviews: pd.DataFrame) -> None:
    replayed = [e.value for e in full_replay if e.topic == REVIEWS]
    written = reviews[reviews["review_text"].notna()]
    assert [v["review_id"] for v in replayed] == [f"wcr-{row}" for row in written.index]
    row = 2  # "Some major design flaws"
    value = next(v for v in replayed if v["review_id"] == f"wcr-{row}")
    assert value["product_id"] == f"wc-{reviews.at[row, 'clothing_id']}"
    assert (value["rating"], value["title"]) == (3, "Some major design flaws")
    assert value["text"] == reviews.at[row, "review_text"]
    assert value["user_id"] is None and value["language"] == "en"


def test_users_keeps_the_first_users_and_a_share_of_reviews(
    movielens: MovieLens, reviews: pd.DataFrame
) -> None:
    events = list(build_replay(movielens, reviews, users=10))
    counts = Counter(event.topic for event in events)
    assert counts[CLICKS] == int((movielens.interactions["user_id"] <= 10).sum())
    assert counts[REVIEWS] == round(22_641 * 10 / 943)
    users = {e.key for e in events if e.topic in (CLICKS, SEARCHES)}
    assert users == {f"ml-u{n}" for n in range(1, 11)}
    catalog = {e.key for e in events if e.topic == CATALOG}
    assert catalog == {p for e in _timeline(events) for p in _referenced(e)}


@pytest.mark.parametrize(("users", "limit"), [(None, 0), (None, 1), (None, 1_000), (5, 300), (1, 10**6)])
def test_limit_bounds_the_whole_replay(
    movielens: MovieLens,
    reviews: pd.DataFrame,
    full_replay: list[ReplayEvent],
    users: int | None,
    limit: int,
) -> None:
    replay = build_replay(movielens, reviews, users=users, limit=limit)
    hint = operator.length_hint(replay)
    events = list(replay)
    assert len(events) == hint <= limit
    unlimited = full_replay if users is None else list(build_replay(movielens, reviews, users=users))
    if limit < len(unlimited):
        assert len(events) > limit - 11  # the next event (and its <= 10 products) did not fit
        assert _timeline(events) == _timeline(unlimited)[: len(_timeline(events))]
    else:
        assert events == unlimited
    seen: set[str] = set()
    for event in events:
        if event.topic == CATALOG:
            seen.add(event.key)
        assert set(_referenced(event)) <= seen


def test_replay_clock_shifts_the_timeline_to_start(movielens: MovieLens, reviews: pd.DataFrame) -> None:
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    original = list(build_replay(movielens, reviews, users=3))
    shifted = list(build_replay(movielens, reviews, users=3, clock="replay", start=start))
    assert [e.value["event_id"] for e in shifted] == [e.value["event_id"] for e in original]
    first = datetime.fromisoformat(_timeline(original)[0].value["occurred_at"])
    for before, after in zip(original, shifted):
        gap = datetime.fromisoformat(before.value["occurred_at"]) - first
        assert datetime.fromisoformat(after.value["occurred_at"]) == start + gap


@pytest.mark.parametrize(
    "options",
    [
        {"users": 0},
        {"limit": -1},
        {"clock": "wall"},
        {"start": datetime(2030, 1, 1, tzinfo=UTC)},
        {"clock": "replay", "start": datetime(2030, 1, 1)},
    ],
)
def test_bad_options_are_refused(movielens: MovieLens, reviews: pd.DataFrame, options: dict) -> None:
    with pytest.raises(ValueError):
        build_replay(movielens, reviews, **options)
