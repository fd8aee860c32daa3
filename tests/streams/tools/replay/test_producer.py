"""What produce() promises without a broker: its report and its error when none answers."""

from datetime import UTC, datetime

import orjson
import pytest

from streams.tools.replay.events import ReplayEvent
from streams.tools.replay.producer import ReplayError, ReplayStats, encode, produce


def test_stats_read_well() -> None:
    stats = ReplayStats(sent={"shop.clicks": 1500, "shop.catalog": 500}, elapsed_s=2.0)
    assert stats.total == 2000
    assert str(stats) == "2,000 events in 2.0 s (1,000/s): shop.catalog 500, shop.clicks 1,500"
    assert "(interrupted)" in str(ReplayStats(interrupted=True))


async def test_no_broker_gives_an_error_that_says_what_to_check() -> None:
    event = ReplayEvent("shop.clicks", "ml-u1", {"event_id": "x"})
    with pytest.raises(ReplayError, match=r"could not connect to Kafka at 127\.0\.0\.1:9.*shopstream broker"):
        await produce([event], bootstrap="127.0.0.1:9", rate=None, progress=False)


def test_records_are_utf8_keys_and_json_values() -> None:
    event = ReplayEvent("shop.reviews", "wc-767", {"event_id": "wc-review-0", "text": "Café ✓"})
    key, value = encode(event)
    assert key == b"wc-767"
    assert orjson.loads(value) == event.value


def test_replay_clock_stamps_the_sending_time_and_keeps_the_rest() -> None:
    event = ReplayEvent(
        "shop.clicks", "ml-u1", {"event_id": "ml-click-1-1-1", "occurred_at": "1997-09-20T03:05:10Z"}
    )
    before = datetime.now(UTC)
    value = orjson.loads(encode(event, "replay")[1])
    stamped = datetime.fromisoformat(value.pop("occurred_at"))
    assert before <= stamped <= datetime.now(UTC)
    assert value == {"event_id": "ml-click-1-1-1"}
    assert event.value["occurred_at"] == "1997-09-20T03:05:10Z"  # the event itself is unchanged
