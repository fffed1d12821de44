"""Sliding-window rate limiters: in process memory, or shared through Redis.

Login checks them before any password hashing: every attempt counts per IP, failed
attempts count per account. The in-process limiter counts per process (the embedded
default runs one); with Redis configured every API process shares one count.

The limiters used by the services are async (``Limiter``): ``hit`` checks and counts,
``wait_for`` only checks, ``record`` only counts.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger("causerie.ratelimit")


class SlidingWindowLimiter:
    """The in-process window (synchronous core)."""

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


class Limiter(Protocol):
    async def wait_for(self, key: str) -> int: ...

    async def record(self, key: str) -> None: ...

    async def hit(self, key: str) -> int: ...


class InProcessLimiter:
    """``SlidingWindowLimiter`` behind the async ``Limiter`` interface."""

    def __init__(self, *, limit: int, window_seconds: float) -> None:
        self.window = SlidingWindowLimiter(limit=limit, window_seconds=window_seconds)

    async def wait_for(self, key: str) -> int:
        return self.window.wait_for(key)

    async def record(self, key: str) -> None:
        self.window.record(key)

    async def hit(self, key: str) -> int:
        return self.window.hit(key)


# One atomic step on a sorted set of attempt times (Redis server clock, milliseconds):
# drop what left the window, then check and/or count. Returns the seconds to wait (0: go).
_SCRIPT = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local mode = ARGV[3]
local member = ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if mode ~= 'record' then
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local wait = math.ceil((tonumber(oldest[2]) + window - now) / 1000)
    if wait < 1 then wait = 1 end
    return wait
  end
  if mode == 'check' then return 0 end
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return 0
"""


class RedisLimiter:
    """The same window kept in Redis, so every API process shares the count.

    Keys are ``<prefix>:<purpose>:<sha256 of the key>`` (no addresses stored in clear) and
    expire with the window. If Redis cannot be reached the process falls back to its own
    window rather than failing the request.
    """

    def __init__(
        self, redis: Redis, *, prefix: str, purpose: str, limit: int, window_seconds: float
    ) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:{purpose}"
        self.limit = limit
        self.window_ms = int(window_seconds * 1000)
        self.fallback = InProcessLimiter(limit=limit, window_seconds=window_seconds)

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{hashlib.sha256(key.encode()).hexdigest()}"

    async def _run(self, key: str, mode: str) -> int | None:
        try:
            result = await self.redis.eval(
                _SCRIPT,
                1,
                self._key(key),
                self.limit,
                self.window_ms,
                mode,
                secrets.token_hex(8),
            )
        except (RedisError, OSError):
            logger.warning("Redis rate limiter unreachable; counting in this process")
            return None
        return int(result)

    async def wait_for(self, key: str) -> int:
        result = await self._run(key, "check")
        return await self.fallback.wait_for(key) if result is None else result

    async def record(self, key: str) -> None:
        if await self._run(key, "record") is None:
            await self.fallback.record(key)

    async def hit(self, key: str) -> int:
        result = await self._run(key, "hit")
        return await self.fallback.hit(key) if result is None else result


def redis_client(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
