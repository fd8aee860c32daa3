"""TokenBucket with an injected clock: no sleeping, exact arithmetic."""

import pytest

from streams.tools.replay.ratelimit import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_events_wait_their_turn() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, burst=2, clock=clock)
    assert [bucket.reserve() for _ in range(4)] == pytest.approx([0.0, 0.0, 0.1, 0.2])


def test_tokens_refill_with_time_up_to_the_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, burst=2, clock=clock)
    bucket.reserve(2)
    clock.now += 0.1
    assert bucket.reserve() == pytest.approx(0.0)
    clock.now += 60  # a long pause refills only up to the burst
    assert [bucket.reserve() for _ in range(3)] == pytest.approx([0.0, 0.0, 0.1])


def test_a_caller_that_sleeps_as_told_keeps_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1000, clock=clock)
    started = clock.now
    for _ in range(10_100):
        clock.now += bucket.reserve()
    # the first 100 (the default burst, a tenth of a second) are free
    assert clock.now - started == pytest.approx(10.0, abs=1e-6)


def test_default_burst_is_a_tenth_of_a_second_but_at_least_one() -> None:
    assert TokenBucket(1000).capacity == 100
    assert TokenBucket(2).capacity == 1


@pytest.mark.parametrize("rate", [0, -5])
def test_rate_must_be_positive(rate: float) -> None:
    with pytest.raises(ValueError, match="rate must be a positive"):
        TokenBucket(rate)
