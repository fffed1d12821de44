"""A sliding-window rate limiter kept in process memory.

Login checks it before any password hashing: every attempt counts per IP, failed
attempts count per account. With several API processes each keeps its
own window, so the effective limit is multiplied by the number of processes.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    def __init__(
        self, *, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

        self._recorded = 0

    def wait_for(self, key: str) -> int:
        """0 if ``key`` may try now, else the seconds until it may."""
        now = self.clock()
        hits = self._hits.get(key)
        if not hits:
            return 0
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        return 0

    def record(self, key: str) -> None:
        now = self.clock()
        self._hits.setdefault(key, deque()).append(now)
        self._recorded += 1
        if self._recorded % 10_000 == 0:
            self._forget_idle(now)

    def hit(self, key: str) -> int:
        """Check and record in one step: 0 if allowed (and counted), else seconds to wait."""
        wait = self.wait_for(key)
        if not wait:
            self.record(key)
        return wait

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]
