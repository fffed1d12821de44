"""Wake-ups for live streams: in memory by default, Redis pub/sub across processes.

Events themselves live in the database (written in the change's own transaction); the
broker only carries "user X has new events" after commit, so a stream in any process reads
them. A stream also re-reads on every heartbeat, so a lost wake-up delays, never loses.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable

logger = logging.getLogger("causerie.realtime")
CHANNEL = "causerie:events"


class LocalHub:
    """The streams of this process, by user."""

    def __init__(self) -> None:
        self._waiters: dict[uuid.UUID, set[asyncio.Event]] = defaultdict(set)

    def register(self, user_id: uuid.UUID) -> asyncio.Event:
        event = asyncio.Event()
        self._waiters[user_id].add(event)
        return event

    def unregister(self, user_id: uuid.UUID, event: asyncio.Event) -> None:
        waiters = self._waiters.get(user_id)
        if waiters is not None:
            waiters.discard(event)
            if not waiters:
                del self._waiters[user_id]

    def streams_of(self, user_id: uuid.UUID) -> int:
        return len(self._waiters.get(user_id, ()))

    def wake(self, user_ids: Iterable[uuid.UUID]) -> None:
        for user_id in user_ids:
            for event in self._waiters.get(user_id, ()):
                event.set()


class InMemoryBroker:
    def __init__(self) -> None:
        self.hub = LocalHub()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, user_ids: Iterable[uuid.UUID]) -> None:
        self.hub.wake(user_ids)


class RedisBroker:
    """Publishes wake-ups on a Redis channel; every process listens and wakes its streams."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self.hub = LocalHub()
        self._redis = Redis.from_url(url)
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen(), name="realtime-redis")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=5)

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self._redis.pubsub()
                await pubsub.subscribe(CHANNEL)
                self._ready.set()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    ids = [uuid.UUID(value) for value in json.loads(message["data"])]
                    self.hub.wake(ids)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Redis subscription lost; reconnecting")
                await asyncio.sleep(1)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()

    async def publish(self, user_ids: Iterable[uuid.UUID]) -> None:
        ids = sorted({str(user_id) for user_id in user_ids})
        if not ids:
            return
        try:
            await self._redis.publish(CHANNEL, json.dumps(ids))
        except Exception:  # the streams still re-read on their next heartbeat
            logger.exception("publishing a wake-up to Redis failed")


Broker = InMemoryBroker | RedisBroker


def broker_from_url(redis_url: str | None) -> Broker:
    return RedisBroker(redis_url) if redis_url else InMemoryBroker()
