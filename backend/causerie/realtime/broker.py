"""Pushing committed live events to the streams: in memory by default, Redis pub/sub across
processes.

Each process holds one subscription and fans events out in memory to its own streams,
indexed by person, organization and space; each stream then decides for its person
(``realtime/audience.py``). The database is read only when a stream reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable

from causerie.realtime.audience import Listener, Scripts
from causerie.realtime.service import LiveEvent

logger = logging.getLogger("causerie.realtime")
CHANNEL = "causerie:events"
QUEUE_SIZE = 1_000
Ended = tuple[uuid.UUID | None, tuple[uuid.UUID, uuid.UUID | None] | None]


HEARTBEAT = None
"""What the hub offers every stream once a heartbeat: time to send a comment line and to
look whether the stream's session has ended."""


class Stream:
    """One open stream: its person and the events waiting to be decided and sent."""

    def __init__(self, listener: Listener) -> None:
        self.listener = listener
        self.queue: asyncio.Queue[LiveEvent | None] = asyncio.Queue(QUEUE_SIZE)
        self.overflowed = False

    def offer(self, event: LiveEvent | None) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True  # the stream ends; the client catches up on reconnect


class LocalHub:
    """The streams of this process, indexed by who they may concern.

    One timer beats for all of them (``heartbeat_seconds``): a stream waits on its queue
    alone, without a timer of its own to arm again after every event, which was the largest
    cost of a delivery to thousands of streams (issue 11, B5).
    """

    def __init__(self, heartbeat_seconds: float = 15.0) -> None:
        self.heartbeat_seconds = heartbeat_seconds
        self._beating: asyncio.Task[None] | None = None
        self._by_user: dict[uuid.UUID, set[Stream]] = defaultdict(set)
        self._by_organization: dict[uuid.UUID, set[Stream]] = defaultdict(set)
        self._by_space: dict[uuid.UUID, set[Stream]] = defaultdict(set)
        self.count = 0
        self.scripts = Scripts()
        # Sessions ended since this process started: streams close on their next heartbeat.
        self._ended_sessions: set[uuid.UUID] = set()
        self._ended_people: dict[uuid.UUID, set[uuid.UUID | None]] = defaultdict(set)

    def _indexes(self, stream: Stream) -> list[tuple[dict[uuid.UUID, set[Stream]], uuid.UUID]]:
        listener = stream.listener
        return [
            (self._by_user, listener.user_id),
            *((self._by_organization, org) for org in listener.organization_ids),
            *((self._by_space, space) for space in listener.space_ids),
        ]

    def register(self, listener: Listener) -> Stream:
        stream = Stream(listener)
        for index, key in self._indexes(stream):
            index[key].add(stream)
        self.count += 1
        if self._beating is None or self._beating.done():
            self._beating = asyncio.create_task(self._beat(), name="realtime-heartbeat")
        return stream

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            self.beat()

    def beat(self) -> None:
        """Offer every open stream its heartbeat."""
        for streams in list(self._by_user.values()):
            for stream in streams:
                stream.offer(HEARTBEAT)

    async def close(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beating
            self._beating = None

    def unregister(self, stream: Stream) -> None:
        for index, key in self._indexes(stream):
            streams = index.get(key)
            if streams is not None:
                streams.discard(stream)
                if not streams:
                    del index[key]
        self.count -= 1

    def streams_of(self, user_id: uuid.UUID) -> int:
        return len(self._by_user.get(user_id, ()))

    def end_sessions(self, ended: Iterable[Ended]) -> None:
        for session_id, everyone_but in ended:
            if session_id is not None:
                self._ended_sessions.add(session_id)
            if everyone_but is not None:
                user_id, kept = everyone_but
                self._ended_people[user_id].add(kept)

    def session_ended(self, user_id: uuid.UUID, session_id: uuid.UUID) -> bool:
        """Whether the session was ended (since this process started; older ends are seen
        when the stream opens, which checks the session in the database)."""
        if session_id in self._ended_sessions:
            return True
        return any(kept != session_id for kept in self._ended_people.get(user_id, ()))

    def dispatch(self, events: Iterable[LiveEvent]) -> None:
        for event in sorted(events, key=lambda e: (e.created_at, e.id)):
            candidates: set[Stream] = set()
            if event.user_id is not None:
                candidates |= self._by_user.get(event.user_id, set())
            if event.organization_id is not None:
                candidates |= self._by_organization.get(event.organization_id, set())
            if event.space_id is not None:
                candidates |= self._by_space.get(event.space_id, set())
            for stream in candidates:
                stream.offer(event)


class InMemoryBroker:
    def __init__(self, heartbeat_seconds: float = 15.0) -> None:
        self.hub = LocalHub(heartbeat_seconds)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self.hub.close()

    async def publish(self, events: Iterable[LiveEvent]) -> None:
        self.hub.dispatch(events)

    async def end_sessions(self, ended: Iterable[Ended]) -> None:
        self.hub.end_sessions(ended)


class RedisBroker:
    """Publishes committed events on a Redis channel; every process listens once and fans
    them out to its own streams."""

    def __init__(self, url: str, heartbeat_seconds: float = 15.0) -> None:
        from redis.asyncio import Redis

        self.hub = LocalHub(heartbeat_seconds)
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
                    envelope = json.loads(message["data"])
                    if envelope.get("events"):
                        self.hub.dispatch(LiveEvent.from_message(e) for e in envelope["events"])
                    if envelope.get("ended"):
                        self.hub.end_sessions(_ended_from_json(envelope["ended"]))
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
        await self.hub.close()
        await self._redis.aclose()

    async def publish(self, events: Iterable[LiveEvent]) -> None:
        messages = [event.to_message() for event in events]
        if messages:
            await self._send({"events": messages})

    async def end_sessions(self, ended: Iterable[Ended]) -> None:
        items = [
            [
                str(sid) if sid else None,
                [str(but[0]), str(but[1]) if but[1] else None] if but else None,
            ]
            for sid, but in ended
        ]
        if items:
            await self._send({"ended": items})

    async def _send(self, envelope: dict[str, object]) -> None:
        try:
            await self._redis.publish(CHANNEL, json.dumps(envelope))
        except Exception:  # clients catch up from the database when they reconnect
            logger.exception("publishing to Redis failed")


def _ended_from_json(items: list[list[object]]) -> list[Ended]:
    def optional(value: object) -> uuid.UUID | None:
        return uuid.UUID(str(value)) if value else None

    ended: list[Ended] = []
    for session_id, everyone_but in items:
        but = None
        if isinstance(everyone_but, list):
            user_id = optional(everyone_but[0])
            but = (user_id, optional(everyone_but[1])) if user_id else None
        ended.append((optional(session_id), but))
    return ended


Broker = InMemoryBroker | RedisBroker


def broker_from_url(redis_url: str | None, heartbeat_seconds: float = 15.0) -> Broker:
    if redis_url:
        return RedisBroker(redis_url, heartbeat_seconds)
    return InMemoryBroker(heartbeat_seconds)
