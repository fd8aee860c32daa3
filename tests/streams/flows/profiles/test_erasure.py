"""Erasure as pure functions: what is deleted, the guard against the erased past, the confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from schemas import ErasureCompleted, ErasureRequested
from streams.flows.profiles.erasure import (apply_guard_record, caused_before_erasure, confirmation, erase_user,
                                            expired_guards, guard_key, new_guard, repeated_confirmation)

AT = datetime(2026, 12, 1, 10, tzinfo=UTC)
REQUEST = ErasureRequested(event_id="erase-7", occurred_at=AT, user_id="u-42")
DONE = confirmation(REQUEST, ["profile"], AT + timedelta(seconds=2))


def test_erasure_deletes_the_user_from_every_table_and_says_which_held_it():
    profiles, lists, other = {"u-42": {"recent": []}, "u-1": {}}, {"u-1": {}}, {"u-42": {}}
    held = erase_user("u-42", {"profile": profiles, "latest-recommendations": lists, "other": other})
    assert held == ["profile", "other"]
    assert "u-42" not in profiles and "u-42" not in other and profiles == {"u-1": {}} and lists == {"u-1": {}}


def test_the_guard_holds_a_digest_not_the_user_id():
    key, value = guard_key("u-42"), new_guard(REQUEST, partition=3, keep=timedelta(days=7), done=DONE)
    assert "u-42" not in key + str(value) and len(key) == 64 and key == guard_key("u-42") != guard_key("u-43")
    assert "erase-7" not in str(value) and len(value.pop("request")) == 64
    assert value == {"erased_at": AT.isoformat(), "expires_at": (AT + timedelta(days=7)).isoformat(), "partition": 3,
                     "held": ["profile"], "done_at": (AT + timedelta(seconds=2)).isoformat()}


def test_a_redelivered_request_gets_the_confirmation_it_got_the_first_time():
    value = new_guard(REQUEST, 3, timedelta(days=7), DONE)
    assert repeated_confirmation(value, REQUEST) == DONE
    stored = orjson.loads(orjson.dumps(value))  # as the changelog gives it back after a crash
    assert orjson.dumps(repeated_confirmation(stored, REQUEST).model_dump(mode="json")) == \
        orjson.dumps(DONE.model_dump(mode="json"))
    later = ErasureRequested(event_id="erase-8", occurred_at=AT + timedelta(days=1), user_id="u-42")
    assert repeated_confirmation(value, later) is None  # a new request for the same user is carried out
    assert repeated_confirmation(None, REQUEST) is None
    older_version = {key: value[key] for key in ("erased_at", "expires_at", "partition")}
    assert repeated_confirmation(older_version, REQUEST) is None


def test_what_happened_before_the_erasure_is_dropped_and_what_happened_after_is_kept():
    guard = new_guard(REQUEST, 0, timedelta(days=7), DONE)
    assert caused_before_erasure(guard, AT - timedelta(seconds=1))
    assert caused_before_erasure(guard, AT.isoformat())
    assert caused_before_erasure(guard, "2026-12-01T11:59:59+02:00")  # offsets compared as moments
    assert not caused_before_erasure(guard, AT + timedelta(seconds=1))
    assert not caused_before_erasure(None, AT - timedelta(days=1))


def test_only_the_partitions_own_expired_guards_are_removed():
    minute, week = timedelta(minutes=1), timedelta(days=7)
    guards = {"a": new_guard(REQUEST, 0, minute, DONE), "b": new_guard(REQUEST, 1, minute, DONE),
              "c": new_guard(REQUEST, 0, week, DONE)}
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
    key, value = guard_key("u-42"), new_guard(REQUEST, 2, timedelta(days=7), DONE)
    apply_guard_record(guards, key.encode(), orjson.dumps(value))  # raw key
    assert guards == {key: value}
    apply_guard_record(guards, orjson.dumps(key), orjson.dumps(value))  # a JSON string key, as Faust may write
    assert guards == {key: value}
    apply_guard_record(guards, key.encode(), None)  # tombstone
    apply_guard_record(guards, None, b"{}")  # no key: ignored
    assert guards == {}
