"""Live events over Server-Sent Events, against real server processes.

One process with the in-memory broker: events arrive, respect who may see them, replay
after a reconnection, and a person's streams are capped. Two processes sharing Redis: an
event caused through process A reaches a stream held by process B.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.demo import DEMO_PASSWORD, load_demo
from causerie.models import Event, Participant, Prompt, Response, User
from causerie.realtime.audience import load_listener
from causerie.realtime.service import LiveEvent
from tests.support.databases import PostgresDatabases, SqliteDatabases, fresh_server_database
from tests.support.server import TEST_SECRET, ServerProcess, start_server

REDIS_URL = os.environ.get("CAUSERIE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@dataclass
class Demo:
    database_url: str
    rose_response: uuid.UUID
    jules_user: uuid.UUID


@pytest.fixture
async def demo(databases: SqliteDatabases | PostgresDatabases) -> AsyncIterator[Demo]:
    url = await fresh_server_database(databases, f"live{uuid.uuid4().hex[:6]}")
    database = Database.from_url(url)
    try:
        async with database.writer() as session, session.begin():
            await load_demo(session, Settings(database_url=url, secret_key=TEST_SECRET))
        async with database.reader() as session:
            rose_response = await session.scalar(
                select(Response.id)
                .join(Participant, Participant.id == Response.participant_id)
                .join(User, User.id == Participant.user_id)
                .join(Prompt, Prompt.id == Response.prompt_id)
                .where(User.email == "rose@example.com", Prompt.key == "bienvenue")
            )
            jules = await session.scalar(select(User.id).where(User.email == "jules@example.com"))
        assert rose_response is not None and jules is not None
        yield Demo(url, rose_response, jules)
    finally:
        await database.dispose()


async def _token(client: httpx.AsyncClient, server: ServerProcess, email: str) -> dict[str, str]:
    response = await client.post(
        f"{server.url}/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class Stream:
    """An open SSE connection; ``next(kind)`` waits (bounded) for an event of that kind."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.aiter_lines()
        self.last_id: str | None = None

    async def next(self, kind: str, within: float = 10.0) -> dict[str, object]:
        return (await self.collect({kind}, within))[kind]

    async def collect(self, kinds: set[str], within: float = 10.0) -> dict[str, dict[str, object]]:
        """Read events until one of each kind arrived (others are skipped)."""
        found: dict[str, dict[str, object]] = {}

        async def read() -> dict[str, dict[str, object]]:
            event, data = None, None
            async for line in self.lines:
                if line.startswith("id: "):
                    self.last_id = line[4:]
                elif line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = json.loads(line[6:])
                elif line == "" and event is not None:
                    if event in kinds and data is not None:
                        found[event] = data
                        if set(found) == kinds:
                            return found
                    event, data = None, None
            raise AssertionError("the stream ended")

        return await asyncio.wait_for(read(), timeout=within)


async def _open(
    client: httpx.AsyncClient, server: ServerProcess, headers: dict[str, str], **extra: str
) -> tuple[Stream, object]:
    context = client.stream("GET", f"{server.url}/api/v1/me/events", headers={**headers, **extra})
    response = await context.__aenter__()
    assert response.status_code == 200, await response.aread()
    assert response.headers["content-type"].startswith("text/event-stream")
    return Stream(response), context


async def test_events_arrive_respect_visibility_replay_and_are_capped(demo: Demo) -> None:
    server = await start_server(demo.database_url)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            rose = await _token(client, server, "rose@example.com")
            animator = await _token(client, server, "animator@maison-lumiere.example.com")
            unauthenticated = await client.get(f"{server.url}/api/v1/me/events")
            assert unauthenticated.status_code == 401
            assert unauthenticated.headers["content-type"] == "application/problem+json"

            stream, context = await _open(client, server, rose)
            probe = await client.post(
                f"{server.url}/api/v1/responses/{demo.rose_response}/probes",
                json={"text": "Un détail ?", "visibility": "private"},
                headers=animator,
            )
            assert probe.status_code == 201
            received = await stream.collect({"probe.created", "notification"})
            assert received["probe.created"]["probe_id"] == probe.json()["id"]
            assert "Un détail" not in json.dumps(received), "events carry ids, not content"
            last_seen = stream.last_id
            await context.__aexit__(None, None, None)  # type: ignore[attr-defined]

            reply = await client.post(
                f"{server.url}/api/v1/responses/{demo.rose_response}/replies",
                json={"text": "Pendant votre absence"},
                headers=animator,
            )
            assert reply.status_code == 201
            assert last_seen is not None
            again, context = await _open(client, server, rose, **{"Last-Event-ID": last_seen})
            replayed = await again.next("reply.created")
            assert replayed["reply_id"] == reply.json()["id"]

            extra = [await _open(client, server, rose) for _ in range(4)]
            capped = await client.get(f"{server.url}/api/v1/me/events", headers=rose)
            assert capped.status_code == 429
            for _stream, ctx in extra:
                await ctx.__aexit__(None, None, None)  # type: ignore[attr-defined]
            await context.__aexit__(None, None, None)  # type: ignore[attr-defined]
    finally:
        server.stop()
    database = Database.from_url(demo.database_url)
    try:
        async with database.reader() as session:
            probes = [
                LiveEvent.from_row(row)
                for row in (
                    await session.scalars(select(Event).where(Event.kind == "probe.created"))
                ).all()
            ]
            jules = await load_listener(session, demo.jules_user)
    finally:
        await database.dispose()
    assert probes, "the probe's live event was stored"
    now = utcnow()
    assert not any(jules.hears(event, now, None) for event in probes), (
        "a private probe never reaches other participants"
    )


async def _redis_reason() -> str | None:
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except Exception as error:
        return f"Redis at {REDIS_URL} is unreachable: {error}"
    finally:
        await redis.aclose()
    return None


async def test_an_event_caused_through_one_process_reaches_a_stream_on_another(
    demo: Demo,
) -> None:
    reason = await _redis_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (required when CI=true)")
        pytest.skip(reason)
    # Heartbeats are slow here, so only a Redis wake-up can deliver within the wait below.
    env = {"CAUSERIE_REDIS_URL": REDIS_URL, "CAUSERIE_SSE_HEARTBEAT_SECONDS": "60"}
    process_a, process_b = await asyncio.gather(
        start_server(demo.database_url, env=env), start_server(demo.database_url, env=env)
    )
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            rose_on_b = await _token(client, process_b, "rose@example.com")
            animator_on_a = await _token(client, process_a, "animator@maison-lumiere.example.com")
            stream, context = await _open(client, process_b, rose_on_b)
            reply = await client.post(
                f"{process_a.url}/api/v1/responses/{demo.rose_response}/replies",
                json={"text": "Depuis l'autre processus"},
                headers=animator_on_a,
            )
            assert reply.status_code == 201
            received = await stream.next("reply.created", within=10)
            assert received["reply_id"] == reply.json()["id"]
            await context.__aexit__(None, None, None)  # type: ignore[attr-defined]
    finally:
        process_a.stop()
        process_b.stop()


async def _ends(stream: Stream, within: float) -> bool:
    """Whether the server closes the stream within ``within`` seconds."""

    async def drain() -> None:
        async for _line in stream.lines:
            pass

    try:
        await asyncio.wait_for(drain(), timeout=within)
    except TimeoutError:
        return False
    return True


async def test_a_stream_closes_within_a_heartbeat_once_its_session_ends(demo: Demo) -> None:
    server = await start_server(demo.database_url, env={"CAUSERIE_SSE_HEARTBEAT_SECONDS": "0.5"})
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            on_the_phone = await _token(client, server, "rose@example.com")
            on_the_laptop = await _token(client, server, "rose@example.com")
            stream, context = await _open(client, server, on_the_phone)
            assert not await _ends(stream, within=1.5), "a live session's stream stays open"
            changed = await client.post(
                f"{server.url}/api/v1/me/password",
                json={"current_password": DEMO_PASSWORD, "new_password": "another-secret-1"},
                headers=on_the_laptop,
            )
            assert changed.status_code == 204, changed.text
            assert await _ends(stream, within=3), "the other session's stream closes"
            await context.__aexit__(None, None, None)  # type: ignore[attr-defined]
            laptop, laptop_context = await _open(client, server, on_the_laptop)
            assert not await _ends(laptop, within=1.5), "the session that changed it lives on"
            await laptop_context.__aexit__(None, None, None)  # type: ignore[attr-defined]
    finally:
        server.stop()


async def test_a_stream_whose_client_went_away_is_reaped_within_two_heartbeats(
    demo: Demo,
) -> None:
    """The process's cap counts open streams: once a client vanishes without closing, its
    place is free again within two heartbeats (the hub's beat finds the dead connection)."""
    env = {"CAUSERIE_SSE_HEARTBEAT_SECONDS": "0.5", "CAUSERIE_SSE_MAX_STREAMS": "1"}
    server = await start_server(demo.database_url, env=env)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            headers = await _token(client, server, "rose@example.com")
            first, _context = await _open(client, server, headers)
            full = await client.get(f"{server.url}/api/v1/me/events", headers=headers)
            assert full.status_code == 503, "one stream is the cap"
            assert full.json()["code"] == "realtime.busy"
            # The client goes away without a goodbye: its connection is simply dropped.
            await first.response.aclose()
            await asyncio.sleep(2 * 0.5 + 0.5)
            _second, context = await _open(client, server, headers)  # 200, not 503
            await context.__aexit__(None, None, None)  # type: ignore[attr-defined]
    finally:
        server.stop()
