"""A token bucket that paces the replay to a target rate of events per second."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """Allow ``rate`` events per second on average, and bursts of up to ``burst``.

    Pure bookkeeping: ``reserve()`` takes tokens at once (the bucket may go into
    debt) and answers how long the caller must wait before acting, so the
    caller decides how to sleep. The clock is injectable for tests.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """rate: events per second (> 0). burst: bucket size, default a tenth of a
        second's worth (at least 1), so a fast rate sleeps in few, larger steps."""
        if not rate > 0:
            raise ValueError(f"rate must be a positive number of events per second, not {rate}")
        self.rate = float(rate)
        self.capacity = float(burst) if burst is not None else max(1.0, self.rate / 10)
        if self.capacity < 1:
            raise ValueError(f"burst must be at least 1 event, not {burst}")
        self._clock = clock
        self._tokens = self.capacity
        self._updated = clock()

    def reserve(self, tokens: float = 1.0) -> float:
        """Take ``tokens`` now; return the seconds to wait before using them (0 if none)."""
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._updated = now
        self._tokens -= tokens
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate
