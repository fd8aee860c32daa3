"""Train the recommender from a click topic on the real broker: read it once, then train and save."""

from __future__ import annotations

import asyncio
import uuid

import orjson
import pytest
from typer.testing import CliRunner

from schemas.topics import CLICKS
from shopmodels.commands import train_cli
from shopmodels.recommender.registry import load_sasrec
from streams.tools.topics import TopicPlan, create_topics
from streams.tools.click_log import read_click_events
from streams.tools.replay.events import build_replay
from streams.tools.processes import produce

pytestmark = [pytest.mark.integration, pytest.mark.slow]

USERS = 4
GOOD = {"event_id": "bad-0", "occurred_at": "1998-01-01T00:00:00Z", "user_id": "ml-u1",
        "product_id": "ml-1", "kind": "view"}
#: (key, value) of messages the worker would dead-letter: not JSON, a bad kind, a key that is not the user.
INVALID = [(b"ml-u1", b"not json"),
           (b"ml-u1", orjson.dumps({**GOOD, "event_id": "bad-1", "kind": "wishlist"})),
           (b"ml-u2", orjson.dumps({**GOOD, "event_id": "bad-2"}))]


@pytest.fixture(scope="module")
def click_topic(kafka, datasets):
    """A fresh two-partition topic holding the replayed clicks of MovieLens users 1..USERS and the
    invalid messages; returns (topic, the valid click values)."""
    movielens, reviews = datasets
    clicks = [e for e in build_replay(movielens, reviews, users=USERS) if e.topic == CLICKS]
    topic = f"test.train-clicks-{uuid.uuid4().hex[:8]}"
    messages = [(topic, e.key.encode(), orjson.dumps(e.value)) for e in clicks]
    messages[10:10] = [(topic, key, value) for key, value in INVALID]
    asyncio.run(create_topics(kafka.bootstrap, [TopicPlan(topic, 2, 1, {})]))
    asyncio.run(produce(kafka.bootstrap, messages))
    return topic, [e.value for e in clicks]


def test_reading_a_topic_returns_every_valid_click_and_counts_the_invalid(kafka, click_topic):
    topic, clicks = click_topic
    seen: list[tuple[int, int]] = []

    events, invalid = asyncio.run(read_click_events(kafka.bootstrap, topic,
                                                    progress=lambda read, total: seen.append((read, total))))

    assert len(events) == len(clicks) and invalid == len(INVALID)
    assert {e.event_id for e in events} == {c["event_id"] for c in clicks}
    assert seen[-1] == (len(clicks) + len(INVALID),) * 2


def test_reading_a_missing_topic_says_so(kafka):
    with pytest.raises(ValueError, match="does not exist"):
        asyncio.run(read_click_events(kafka.bootstrap, f"test.no-such-topic-{uuid.uuid4().hex[:8]}"))


def test_train_from_a_topic_saves_a_checkpoint_with_its_products(kafka, click_topic, tmp_path):
    topic, clicks = click_topic
    result = CliRunner().invoke(train_cli, [
        "recommender", "--from-topic", topic, "--broker", kafka.bootstrap, "--registry", str(tmp_path),
        "--epochs", "1", "--hidden", "16", "--max-len", "10", "--threads", "1"])

    assert result.exit_code == 0, result.output
    assert f"Read {len(clicks):,} click events" in result.output and f"skipped {len(INVALID)}" in result.output
    [checkpoint] = tmp_path.glob("recommender/*/model.pt")
    _, vocabulary, loaded = load_sasrec(checkpoint)
    assert {c["product_id"] for c in clicks} <= set(vocabulary.to_list())
    assert loaded.extra["source"] == f"topic:{topic}"
