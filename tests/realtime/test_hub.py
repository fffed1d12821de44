"""The hub's one heartbeat: every open stream is offered it, on the hub's own timer."""

from __future__ import annotations

import asyncio
import uuid

from causerie.realtime.audience import Listener
from causerie.realtime.broker import HEARTBEAT, InMemoryBroker


def _listener() -> Listener:
    return Listener(user_id=uuid.uuid4(), roles={}, participations={})


async def test_one_timer_offers_every_stream_its_heartbeat_and_stops_with_the_broker() -> None:
    broker = InMemoryBroker(heartbeat_seconds=0.05)
    streams = [broker.hub.register(_listener()) for _ in range(3)]
    try:
        for stream in streams:
            beat = await asyncio.wait_for(stream.queue.get(), timeout=1)
            assert beat is HEARTBEAT
        broker.hub.unregister(streams[0])
        while not streams[0].queue.empty():
            streams[0].queue.get_nowait()
        broker.hub.beat()
        assert streams[0].queue.empty(), "a stream that left is not offered heartbeats"
        assert all(not stream.queue.empty() for stream in streams[1:])
    finally:
        await broker.stop()
    assert broker.hub._beating is None


async def test_a_stream_too_far_behind_overflows_on_heartbeats_too() -> None:
    broker = InMemoryBroker(heartbeat_seconds=3600)
    stream = broker.hub.register(_listener())
    try:
        for _ in range(stream.queue.maxsize + 1):
            broker.hub.beat()
        assert stream.overflowed, "the stream ends and its client catches up on reconnect"
    finally:
        await broker.stop()
