import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import ReviewScored, SentimentLabel
from schemas.alerts import AlertSeverity, AlertStatus, SentimentAlertChanged
from streams.flows.reviews.alert_rule import AlertRule
from streams.flows.reviews.alert_windows import Mention, apply_mention
from streams.flows.reviews.alerts import alert_event, alert_id, decide, mentions_of, observe, record
from tests.streams.factories import alert_rule

RULE = alert_rule()
START = datetime(2024, 4, 1, tzinfo=timezone.utc)
WEEK = timedelta(days=7)
POLARITY = {"N": SentimentLabel.NEGATIVE, "P": SentimentLabel.POSITIVE, "U": SentimentLabel.NEUTRAL}


def stream(pattern: str, at: datetime, every_s: int = 60, product: str = "sku-1",
           aspect: str = "fit") -> list[Mention]:
    """One mention per letter of ``pattern`` (N negative, P positive, U neutral), ``every_s`` apart."""
    mentions = []
    for i, letter in enumerate(pattern):
        moment = at + timedelta(seconds=i * every_s)
        review = f"r-{product}-{int(moment.timestamp())}-{i}"
        mentions.append(Mention(product, aspect, POLARITY[letter], review, moment, f"score:{review}",
                                f"{aspect} remark of {review}"))
    return mentions


def run(mentions: list[Mention], state=None, rule: AlertRule = RULE):
    """Observe each mention in order; returns the final state and the decisions made."""
    decisions = []
    for mention in mentions:
        state, decision, _ = observe(state, mention, rule)
        if decision is not None:
            decisions.append(decision)
    return state, decisions


def statuses(decisions) -> list[str]:
    return [decision.status.value for decision in decisions]


def quiet_week(pattern: str = "PPPPPPPPPN", **key) -> list[Mention]:
    """A week of hourly mentions repeating ``pattern`` (default: 10% negative)."""
    return stream(pattern * (160 // len(pattern)), START, every_s=3600, **key)


SURGE_AT = START + WEEK


def test_surge_raises_exactly_one_alert_with_the_schema_numbers():
    state, decisions = run(quiet_week())
    assert decisions == []
    state, decisions = run(stream("NNNPNNNPNN", SURGE_AT), state)
    assert statuses(decisions) == ["raised"]
    raised = decisions[0]
    assert (raised.negative_count, raised.total_count, raised.negative_share) == (5, 6, 0.8333)
    assert raised.baseline_share == pytest.approx((16 + 0.15 * 20) / (160 + 20), abs=1e-4)
    assert raised.severity is AlertSeverity.HIGH and raised.sequence == 0
    assert raised.window_end - raised.window_start == timedelta(seconds=RULE.window_s)
    assert raised.window_start <= raised.decided_at < raised.window_end
    event = alert_event(raised)
    assert isinstance(event, SentimentAlertChanged) and event.status is AlertStatus.RAISED
    assert event.alert_id == "alert-sku-1-fit-20240408T000500Z" and event.caused_by == raised.caused_by
    assert [item.review_id for item in event.evidence] == [review for review, _ in raised.evidence]
    assert len(event.evidence) == 5 and state["alert"]["alert_id"] == event.alert_id


def test_growth_during_an_active_alert_updates_a_few_times_and_never_raises_again():
    state, _ = run(quiet_week("PPPPPPPNNN"))  # a 30% negative baseline: the surge starts at low severity
    state, decisions = run(stream("NNPNNPNNP" + "N" * 40, SURGE_AT), state)
    assert statuses(decisions)[0] == "raised" and statuses(decisions).count("raised") == 1
    updates = decisions[1:]
    assert updates and all(decision.status is AlertStatus.UPDATED for decision in updates)
    assert len(updates) <= 1 / RULE.update_share_step + 2
    order = [AlertSeverity.LOW, AlertSeverity.MEDIUM, AlertSeverity.HIGH]
    assert decisions[0].severity is AlertSeverity.LOW
    assert order.index(decisions[-1].severity) > order.index(AlertSeverity.LOW)
    assert [decision.sequence for decision in decisions] == list(range(len(decisions)))
    assert {decision.alert_id for decision in decisions} == {decisions[0].alert_id}


def surge_then_decline():
    state, _ = run(quiet_week())
    state, raised = run(stream("NNNPNNNPNN", SURGE_AT), state)
    state, after = run(stream("P" * 72, SURGE_AT + timedelta(minutes=15), every_s=300), state)
    return state, raised + after


def test_decline_resolves_exactly_once_and_starts_the_cooldown():
    state, decisions = surge_then_decline()
    assert statuses(decisions) == ["raised", "resolved"]
    resolved = decisions[1]
    assert resolved.alert_id == decisions[0].alert_id and resolved.sequence == 1
    assert resolved.negative_share < RULE.share_threshold * RULE.resolve_factor or \
        resolved.negative_count < RULE.min_negative * RULE.resolve_factor
    assert state["alert"] is None
    cooldown_until = datetime.fromisoformat(state["cooldown_until"])
    assert cooldown_until - datetime.fromisoformat(state["resolved_at"]) == timedelta(seconds=RULE.cooldown_s)
    assert alert_event(resolved).status is AlertStatus.RESOLVED


def test_cooldown_suppresses_a_second_alert_until_it_ends():
    state, first = surge_then_decline()
    resolved_at = datetime.fromisoformat(state["resolved_at"])
    state, during = run(stream("NNNNNNNNNN", resolved_at + timedelta(hours=1)), state)
    assert during == []
    state, after = run(stream("NNNNNNNNNN", resolved_at + timedelta(seconds=RULE.cooldown_s, hours=1)), state)
    assert statuses(after) == ["raised"] and after[0].alert_id != first[0].alert_id


def test_a_product_with_a_naturally_high_negative_baseline_does_not_alert_on_the_same_share():
    surge = "NNPNNPNNPN"  # 70% negative
    grumpy, calm = {"product": "sku-grumpy"}, {"product": "sku-calm"}
    _, for_grumpy = run(quiet_week("PN", **grumpy) + stream(surge, SURGE_AT, **grumpy))  # 50% usually
    _, for_calm = run(quiet_week("P" * 19 + "N", **calm) + stream(surge, SURGE_AT, **calm))  # 5% usually
    assert for_grumpy == []
    assert statuses(for_calm) == ["raised"]


def test_a_new_product_is_judged_against_the_prior():
    _, decisions = run(stream("NNNPNN", START))
    assert statuses(decisions) == ["raised"]
    assert decisions[0].baseline_share == RULE.prior_share


def test_too_few_negative_mentions_never_alert():
    _, all_negative = run(stream("NNNN", START))
    _, spread_out = run(stream("N" * 200, START, every_s=RULE.window_s // 4 + 1))
    assert all_negative == [] and spread_out == []


def test_redelivered_reviews_are_counted_once():
    once = stream("NNNN", START)
    state, decisions = run([mention for mention in once for _ in range(3)])
    assert decisions == []
    assert sum(counts[0] for counts in state["recent"].values()) == 4
    again, changed = apply_mention(state, once[0], RULE)
    assert not changed and again is state


def test_evidence_is_bounded_newest_first_and_only_negative():
    mentions = stream("NNNNNNNN", START)
    state, _ = run([*mentions[4:], *mentions[:4]], rule=alert_rule(min_negative=100))  # arrive out of order
    late_positive = stream("P", START + timedelta(hours=1))[0]
    no_excerpt = Mention("sku-1", "fit", SentimentLabel.NEGATIVE, "r-bare", START + timedelta(hours=1), "e-bare")
    state, _ = apply_mention(state, late_positive, RULE)
    state, _ = apply_mention(state, no_excerpt, RULE)
    assert [entry["review_id"] for entry in state["evidence"]] == [m.review_id for m in mentions[::-1][:5]]


def test_decision_evidence_comes_from_the_window_only():
    rule = alert_rule(evidence_size=10, ratio_to_baseline=1.0)
    mentions = stream("NNNN", START) + stream("PPPPPNNNNN", START + timedelta(hours=5))
    state, decisions = run(mentions, rule=rule)
    assert statuses(decisions) == ["raised"] and len(state["evidence"]) == 9
    in_window = [mention.review_id for mention in mentions[-5:]]
    assert [review for review, _ in decisions[0].evidence] == in_window[::-1]


def test_state_stays_bounded_over_a_long_stream():
    rng = random.Random(7)
    pattern = "".join(rng.choice("PPPPUN") for _ in range(10_000))
    state, decisions = run(stream(pattern, START, every_s=30 * 86400 // 10_000))
    assert len(state["recent"]) <= RULE.window_s // RULE.step_s
    assert len(state["history"]) <= RULE.baseline_s // RULE.baseline_step_s + 1
    assert len(state["seen"]["reviews"]) <= RULE.seen_review_ids
    assert len(state["evidence"]) <= RULE.evidence_size
    assert len(json.dumps(state)) < 8_000
    assert statuses(decisions).count("raised") - statuses(decisions).count("resolved") in (0, 1)


def test_a_later_now_resolves_a_quiet_alert_and_an_earlier_now_is_ignored():
    state, _ = run(quiet_week())
    state, _ = run(stream("NNNPNNNPNN", SURGE_AT), state)
    assert decide(state, RULE, now=START) is None  # clamped to the newest mention: nothing new
    resolved = decide(state, RULE, now=SURGE_AT + timedelta(hours=2))
    assert resolved.status is AlertStatus.RESOLVED and resolved.total_count == 0
    state = record(state, resolved, RULE)
    with pytest.raises(ValueError, match="does not fit the state"):
        record(state, resolved, RULE)


def test_a_mention_of_another_key_is_refused():
    state, _ = run(stream("P", START))
    with pytest.raises(ValueError, match="key the table by product and aspect"):
        apply_mention(state, stream("N", START, aspect="price")[0], RULE)


def test_rule_validation_explains_what_is_wrong():
    with pytest.raises(ValueError, match="multiples of step_s"):
        alert_rule(window_s=1000, step_s=300)
    with pytest.raises(ValueError, match="evidence_size"):
        alert_rule(evidence_size=11)
    with pytest.raises(ValueError, match="cooldown_s"):
        alert_rule(cooldown_s=0)


def test_mentions_come_from_scored_reviews():
    scored = ReviewScored.model_validate(ReviewScored.model_config["json_schema_extra"]["examples"][0])
    mentions = mentions_of(scored)
    assert [(m.aspect, m.polarity) for m in mentions] == [("waterproofing", "negative"), ("fit", "positive")]
    assert mentions[0].event_id == scored.event_id and mentions[0].excerpt.startswith("my feet")
    assert mentions[0].occurred_at == scored.caused_at  # windows count reviews by their own time


def test_alert_ids_fit_the_identifier_contract():
    assert alert_id("sku-1", "fit", START) == "alert-sku-1-fit-20240401T000000Z"
    hashed = alert_id("sku-" + "9" * 60, "battery life", START)
    assert hashed.startswith("alert-") and len(hashed) <= 64 and " " not in hashed


@settings(database=None, max_examples=150, deadline=None)  # no .hypothesis/ folder left in the repository
@given(st.lists(st.tuples(st.sampled_from("NNPPU"), st.sampled_from([0, 30, 120, 600, 1800, 7200, 30000])),
                max_size=300))
def test_random_streams_never_raise_twice_without_a_resolve(events):
    rule = alert_rule(min_negative=3, cooldown_s=3600)
    state, decisions, moment = None, [], START
    for i, (letter, gap_s) in enumerate(events):
        moment += timedelta(seconds=gap_s)
        review = f"r-{i}"
        state, decision, _ = observe(state, Mention("sku-1", "fit", POLARITY[letter], review, moment, review, "x"),
                                     rule)
        if decision is not None:
            decisions.append(decision)
    active, resolved_at, updates = None, None, 0
    for decision in decisions:
        if decision.status is AlertStatus.RAISED:
            assert active is None, "a second raise without a resolve in between"
            assert resolved_at is None or decision.decided_at >= resolved_at + timedelta(seconds=rule.cooldown_s)
            active, updates = decision.alert_id, 0
        else:
            assert active == decision.alert_id, f"{decision.status.value} without an active alert"
            updates += decision.status is AlertStatus.UPDATED
            assert updates <= 1 / rule.update_share_step + 2
            if decision.status is AlertStatus.RESOLVED:
                active, resolved_at = None, decision.decided_at
    if state is not None:
        assert len(state["recent"]) <= rule.window_s // rule.step_s
        assert len(state["history"]) <= rule.baseline_s // rule.baseline_step_s + 1
