"""Erasure as pure functions: what is deleted, the guard against the erased past, the confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from schemas import ErasureCompleted, ErasureRequested
from streams.flows.profiles.erasure import (apply_guard_record, caused_before_erasure, confirmation, erase_user,
                                            expired_guards, guard_key, new_guard)

AT = datetime(2026, 12, 1, 10, tzinfo=UTC)
REQUEST = ErasureRequested(event_id="erase-7", occurred_at=AT, user_id="u-42")


def test_erasure_deletes_the_user_from_every_table_and_says_which_held_it():
    profiles, lists, other = {"u-42": {"recent": []}, "u-1": {}}, {"u-1": {}}, {"u-42": {}}
    held = erase_user("u-42", {"profile": profiles, "latest-recommendations": lists, "other": other})
    assert held == ["profile", "other"]
    assert "u-42" not in profiles and "u-42" not in other and profiles == {"u-1": {}} and lists == {"u-1": {}}


def test_the_guard_holds_a_digest_not_the_user_id():
    key, guard = guard_key("u-42"), new_guard(REQUEST, partition=3, keep=timedelta(days=7))
    assert "u-42" not in key + str(guard) and len(key) == 64 and key == guard_key("u-42") != guard_key("u-43")
    assert guard == {"erased_at": AT.isoformat(), "expires_at": (AT + timedelta(days=7)).isoformat(), "partition": 3}


def test_what_happened_before_the_erasure_is_dropped_and_what_happened_after_is_kept():
    guard = new_guard(REQUEST, 0, timedelta(days=7))
    assert caused_before_erasure(guard, AT - timedelta(seconds=1))
    assert caused_before_erasure(guard, AT.isoformat())
    assert caused_before_erasure(guard, "2026-12-01T11:59:59+02:00")  # offsets compared as moments
    assert not caused_before_erasure(guard, AT + timedelta(seconds=1))
    assert not caused_before_erasure(None, AT - timedelta(days=1))


def test_only_the_partitions_own_expired_guards_are_removed():
    guards = {"a": new_guard(REQUEST, 0, timedelta(minutes=1)), "b": new_guard(REQUEST, 1, timedelta(minutes=1)),
              "c": new_guard(REQUEST, 0, timedelta(days=7))}
    assert expired_guards(guards.items(), 0, AT + timedelta(hours=1)) == ["a"]
    assert expired_guards(guards.items(), 0, AT) == []


def test_the_confirmation_names_the_request_the_user_and_what_was_erased():
    done = confirmation(REQUEST, ["profile"], AT + timedelta(seconds=2))
    assert isinstance(done, ErasureCompleted) and done.event_id == "erased:erase-7" and done.caused_by == "erase-7"
    assert (done.user_id, done.requested_at, done.occurred_at) == ("u-42", AT, AT + timedelta(seconds=2))
    assert done.erased == ["profile", "latest-recommendations", "pending-recommendations"]
    assert done.held == ["profile"]
    assert confirmation(REQUEST, ["profile"], AT).event_id == done.event_id  # redelivery: same id


def test_an_inference_worker_follows_the_guards_changelog():
    guards: dict = {}
    key, value = guard_key("u-42"), new_guard(REQUEST, 2, timedelta(days=7))
    apply_guard_record(guards, key.encode(), orjson.dumps(value))  # raw key
    assert guards == {key: value}
    apply_guard_record(guards, orjson.dumps(key), orjson.dumps(value))  # a JSON string key, as Faust may write
    assert guards == {key: value}
    apply_guard_record(guards, key.encode(), None)  # tombstone
    apply_guard_record(guards, None, b"{}")  # no key: ignored
    assert guards == {}
