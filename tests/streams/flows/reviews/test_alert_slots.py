"""Recommendation slots lost to demotion: added to the active alert once per report, announced, carried on."""

from datetime import timedelta

from streams.flows.reviews.alerts import add_lost_slots, alert_event
from tests.streams.flows.reviews.test_alerts import RULE, SURGE_AT, quiet_week, run, statuses, stream


def raised_state():
    state, _ = run(quiet_week())
    state, decisions = run(stream("NNNPNNNPNN", SURGE_AT), state)
    assert statuses(decisions) == ["raised"]
    return state, decisions[0]


def test_reports_add_up_on_the_active_alert_and_each_announces_the_new_total():
    state, raised = raised_state()
    assert alert_event(raised).recommendation_slots_lost == 0
    state, first = add_lost_slots(state, raised.alert_id, 7, "slots:a", RULE)
    state, second = add_lost_slots(state, raised.alert_id, 5, "slots:b", RULE)
    assert [(d.status.value, d.sequence, d.slots_lost, d.caused_by) for d in (first, second)] == [
        ("updated", 1, 7, "slots:a"), ("updated", 2, 12, "slots:b")]
    event = alert_event(second)
    assert (event.alert_id, event.recommendation_slots_lost) == (raised.alert_id, 12)
    assert (event.negative_count, event.total_count) == (8, 10)  # the window now: all ten surge mentions


def test_a_repeated_report_counts_once():
    state, raised = raised_state()
    state, _ = add_lost_slots(state, raised.alert_id, 7, "slots:a", RULE)
    again, decision = add_lost_slots(state, raised.alert_id, 7, "slots:a", RULE)
    assert decision is None and again["alert"]["slots_lost"] == 7


def test_the_resolution_carries_the_total_and_a_late_report_changes_nothing():
    state, raised = raised_state()
    state, _ = add_lost_slots(state, raised.alert_id, 3, "slots:a", RULE)
    state, after = run(stream("P" * 72, SURGE_AT + timedelta(minutes=15), every_s=300), state)
    assert statuses(after) == ["resolved"] and after[0].slots_lost == 3 and after[0].sequence == 2
    late, decision = add_lost_slots(state, raised.alert_id, 4, "slots:b", RULE)
    assert decision is None and late == state


def test_a_report_for_another_alert_or_no_state_is_ignored():
    state, raised = raised_state()
    assert add_lost_slots(state, "alert-someone-else", 3, "slots:a", RULE) == (state, None)
    assert add_lost_slots(None, raised.alert_id, 3, "slots:a", RULE) == (None, None)
