from streams.flows.profiles.profile import add_affinity, apply_click, apply_search, public_view
from tests.streams.factories import DEFAULT_LIMITS, click, profile_limits, search

LIMITS = profile_limits(recent_items=3, recent_queries=2, purchased=2, categories=2, seen_event_ids=4)


def fold(events, profile=None, limits=LIMITS):
    for event in events:
        apply = apply_click if event.event_id.startswith("c-") else apply_search
        profile, _ = apply(profile, event, limits)
    return profile


def test_click_records_item_kind_time_and_affinity():
    profile, changed = apply_click(None, click(1, "cart", product="ml-7"), LIMITS)
    assert changed
    assert profile["recent"] == [{"product_id": "ml-7", "kind": "cart", "at": "1997-09-20T05:05:11+00:00"}]
    assert profile["affinities"] == {"Animation": 3.0}
    assert profile["events"] == 1 and profile["last_seen"] == "1997-09-20T05:05:11+00:00"
    assert profile["purchased"] == []


def test_recent_items_are_bounded_newest_last():
    profile = fold([click(n, product=f"ml-{n}") for n in range(1, 6)])
    assert [item["product_id"] for item in profile["recent"]] == ["ml-3", "ml-4", "ml-5"]
    assert profile["events"] == 5


def test_purchases_are_bounded_and_not_repeated():
    profile = fold([click(1, "purchase", product="ml-1"), click(2, "purchase", product="ml-2"),
                    click(3, "purchase", product="ml-1"), click(4, "purchase", product="ml-3")])
    assert profile["purchased"] == ["ml-1", "ml-3"]


def test_redelivered_event_changes_nothing():
    first, _ = apply_click(None, click(1), LIMITS)
    again, changed = apply_click(first, click(1), LIMITS)
    assert not changed and again == first


def test_dedupe_memory_is_bounded():
    profile = fold([click(n) for n in range(1, 7)])
    assert profile["seen"] == {"clicks": ["c-ml-u1-3", "c-ml-u1-4", "c-ml-u1-5", "c-ml-u1-6"]}
    # an id older than the memory is applied again: the documented limit of seen_event_ids
    _, changed = apply_click(profile, click(1), LIMITS)
    assert changed


def test_affinities_keep_the_strongest_categories():
    affinities = add_affinity({}, "Drama", 5.0, 2)
    affinities = add_affinity(affinities, "Comedy", 1.0, 2)
    affinities = add_affinity(affinities, "Horror", 3.0, 2)
    assert affinities == {"Drama": 5.0, "Horror": 3.0}
    assert add_affinity(affinities, "Drama", 1.0, 2) == {"Horror": 3.0, "Drama": 6.0}


def test_uncategorised_click_leaves_affinities_alone():
    profile, _ = apply_click(None, click(1, category=None), LIMITS)
    assert profile["affinities"] == {}


def test_searches_are_bounded_and_category_filter_counts():
    profile = fold([search(1, "comedy"), search(2, "drama", category="Drama"), search(3, "heat")])
    assert [q["query"] for q in profile["queries"]] == ["drama", "heat"]
    assert profile["affinities"] == {"Drama": 2.0}


def test_last_seen_is_the_latest_even_out_of_order():
    profile = fold([click(5), click(2)])
    assert profile["last_seen"] == "1997-09-20T05:05:15+00:00"


def test_public_view_hides_dedupe_ids():
    profile = fold([click(1)])
    assert "seen" not in public_view(profile) and public_view(profile)["events"] == 1


def test_dedupe_memory_is_per_stream():
    # many clicks after a search do not push the search out of the search memory
    profile = fold([search(1), *[click(n) for n in range(2, 12)]])
    _, changed = apply_search(profile, search(1), LIMITS)
    assert not changed


def test_fold_applies_in_order_and_counts_duplicates():
    from streams.state.batch import fold, group_by

    events = [click(1, product="ml-1"), click(2, product="ml-2"), click(1, product="ml-1")]
    profile, applied, duplicates = fold(apply_click, None, events, LIMITS)
    assert (applied, duplicates) == (2, 1)
    assert profile == fold_one_by_one(events)
    groups = group_by(events, lambda e: e.product_id)
    assert list(groups) == ["ml-1", "ml-2"] and len(groups["ml-1"]) == 2


def fold_one_by_one(events):
    profile = None
    for event in events:
        profile, _ = apply_click(profile, event, LIMITS)
    return profile


def test_a_redelivered_backlog_longer_than_the_id_memory_is_applied_once():
    limits = DEFAULT_LIMITS.profile
    backlog = [(click(n), (2, 500 + n)) for n in range(1, 3 * limits.seen_event_ids)]  # beyond the id memory
    profile = None
    for event, origin in backlog:
        profile, _ = apply_click(profile, event, limits, origin)
    once = profile
    for event, origin in backlog:  # a crash or a rebalance delivers the whole backlog again
        profile, changed = apply_click(profile, event, limits, origin)
        assert not changed
    assert profile == once and profile["events"] == len(backlog)
    assert profile["applied"] == {"clicks@2": 500 + len(backlog)} and "applied" not in public_view(profile)


def test_a_search_at_or_below_its_partitions_marker_is_a_replay_however_many_ids_passed():
    profile = None
    for n in range(1, 11):  # far more searches than the 4 ids the profile remembers
        profile, _ = apply_search(profile, search(n), LIMITS, (2, 100 + n))
    for n in range(1, 11):  # the whole backlog again, as after kill -9
        profile, changed = apply_search(profile, search(n), LIMITS, (2, 100 + n))
        assert not changed
    assert profile["events"] == 10
    _, changed = apply_search(profile, search(11), LIMITS, (0, 5))  # another partition's marker is its own
    assert changed
