"""Connections under pressure: reads end without a commit, an exhausted pool answers a clear
503, the health check never waits behind writers or requests, a connection the database
dropped is replaced, and SQLite writers queue in the process instead of failing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI
from sqlalchemy import event, select, text

from causerie.core.database import Database
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.settings import Settings
from causerie.main import create_app
from causerie.models import Organization
from tests.support.databases import backend_name
from tests.support.factories import auth_headers, create_user

TINY_POOL = {"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout": 0.3}


@pytest.fixture
async def tiny(settings: Settings, db: Database) -> AsyncIterator[FastAPI]:
    """The app with a single database connection and a short wait for it."""
    application = create_app(settings.model_copy(update=TINY_POOL))
    async with LifespanManager(application):
        yield application


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    )


async def test_reading_requests_end_without_a_commit(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    headers = auth_headers(settings, await create_user(db, is_platform_admin=True))
    commits: list[object] = []

    def count(_connection: Any) -> None:
        commits.append(_connection)

    engine = app.state.database.engine.sync_engine
    event.listen(engine, "commit", count)
    try:
        assert (await client.get("/api/v1/me/spaces", headers=headers)).status_code == 200
        assert (await client.get("/api/v1/me/notifications", headers=headers)).status_code == 200
        assert commits == []
        created = await client.post(
            "/api/v1/organizations", json={"name": "Maison"}, headers=headers
        )
        assert created.status_code == 201, created.text
        assert len(commits) == 1  # writes still commit, once
    finally:
        event.remove(engine, "commit", count)


async def test_an_exhausted_pool_answers_503_busy_then_serves_again(
    tiny: FastAPI, settings: Settings, db: Database
) -> None:
    headers = auth_headers(settings, await create_user(db))
    async with _client(tiny) as client:
        async with tiny.state.database.engine.connect() as held:
            await held.execute(text("SELECT 1"))  # the pool's only connection, kept
            started = time.monotonic()
            busy = await client.get("/api/v1/me/spaces", headers=headers)
            waited = time.monotonic() - started
        assert busy.status_code == 503, busy.text
        assert busy.headers["content-type"] == "application/problem+json"
        assert busy.headers["retry-after"] == "1"
        assert busy.json()["code"] == "service.busy"
        assert waited < 3  # the short pool timeout, not SQLAlchemy's 30 s
        again = await client.get("/api/v1/me/spaces", headers=headers)
        assert again.status_code == 200, again.text


async def test_health_answers_at_once_while_every_connection_is_taken(tiny: FastAPI) -> None:
    async with _client(tiny) as client:
        async with tiny.state.database.engine.connect() as held:
            await held.execute(text("SELECT 1"))
            started = time.monotonic()
            health = await client.get("/api/v1/health")
            assert time.monotonic() - started < 0.3  # no wait for the pool timeout
        assert health.status_code == 200
        assert health.json()["database"] == "ok"


async def test_health_and_reads_do_not_wait_behind_a_writer(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    """A writer in the middle of its transaction (holding SQLite's write lock) delays
    neither the health check nor readers; another writer waits for it, then succeeds."""
    headers = auth_headers(settings, await create_user(db, is_platform_admin=True))
    async with app.state.database.writer() as writer:
        writer.add(Organization(name="Half-written"))
        await writer.flush()  # the write lock (SQLite) or the row lock (PostgreSQL) is held
        started = time.monotonic()
        health = await client.get("/api/v1/health")
        read = await client.get("/api/v1/me/spaces", headers=headers)
        assert time.monotonic() - started < 2
        assert health.status_code == 200 and read.status_code == 200
        queued = asyncio.create_task(
            client.post("/api/v1/organizations", json={"name": "Next"}, headers=headers)
        )
        await asyncio.sleep(0.2)
        await writer.commit()
    created = await queued
    assert created.status_code == 201, created.text
    async with db.reader() as session:
        names = set((await session.scalars(select(Organization.name))).all())
    assert names == {"Half-written", "Next"}


@pytest.mark.skipif(backend_name() != "postgres", reason="a server that drops connections")
async def test_a_connection_the_server_dropped_is_replaced(
    tiny: FastAPI, settings: Settings, db: Database
) -> None:
    """No ping per checkout: the request that meets a dead connection gets a clear 503 (not a
    500), the pool is invalidated, and the next request reconnects."""
    headers = auth_headers(settings, await create_user(db))
    async with _client(tiny) as client:
        assert (await client.get("/api/v1/me/spaces", headers=headers)).status_code == 200
        async with tiny.state.database.engine.connect() as connection:
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        async with db.engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        first = await client.get("/api/v1/me/spaces", headers=headers)
        second = await client.get("/api/v1/me/spaces", headers=headers)
    # The one request that met the dead connection is told to retry; the next reconnects.
    assert first.status_code == 503, first.text
    assert first.json()["code"] == "service.unavailable"
    assert first.headers["retry-after"] == "1"
    assert second.status_code == 200, second.text


@pytest.mark.skipif(backend_name() != "sqlite", reason="SQLite's single writer")
async def test_queued_sqlite_writers_hold_no_connection_while_they_wait(
    settings: Settings, db: Database
) -> None:
    """A hundred writers whose transactions each keep the write lock a while: they wait for
    their turn in the process without taking pooled connections, so none times out on the
    pool (and none meets "database is locked"), and a reader is served meanwhile."""
    application = create_app(settings.model_copy(update={"db_pool_timeout": 0.5}))
    router = APIRouter(route_class=UnitOfWorkRoute)

    @router.post("/api/v1/_slow_write/{name}", status_code=201)
    async def slow_write(name: str, session: SessionDep) -> dict[str, str]:
        session.add(Organization(name=name))
        await session.flush()
        await asyncio.sleep(0.02)  # the transaction stays open, holding the write lock
        return {"name": name}

    application.include_router(router)
    headers = auth_headers(settings, await create_user(db))
    async with LifespanManager(application), _client(application) as client:
        writes = [client.post(f"/api/v1/_slow_write/o{index}") for index in range(100)]
        results = await asyncio.gather(*writes, client.get("/api/v1/me/spaces", headers=headers))
    assert [r.status_code for r in results] == [201] * 100 + [200], {
        r.status_code: r.text for r in results if r.status_code not in (200, 201)
    }
    async with db.reader() as session:
        assert len((await session.scalars(select(Organization.name))).all()) == 100


@pytest.mark.skipif(backend_name() != "sqlite", reason="SQLite's single writer")
async def test_a_sqlite_writer_that_waits_too_long_for_its_turn_gets_503_busy(
    settings: Settings, db: Database
) -> None:
    application = create_app(settings.model_copy(update={"sqlite_busy_timeout": 0.3}))
    headers = auth_headers(settings, await create_user(db, is_platform_admin=True))
    async with LifespanManager(application), _client(application) as client:
        async with application.state.database.writer() as writer:
            writer.add(Organization(name="Slow"))
            await writer.flush()  # this writer keeps the turn
            waiting = await client.post(
                "/api/v1/organizations", json={"name": "Next"}, headers=headers
            )
        after = await client.post("/api/v1/organizations", json={"name": "Later"}, headers=headers)
    assert waiting.status_code == 503, waiting.text
    assert waiting.json()["code"] == "service.busy"
    assert waiting.headers["retry-after"] == "1"
    assert after.status_code == 201, after.text
