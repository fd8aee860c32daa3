from streams.flows.recommendations.latest import newer


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
