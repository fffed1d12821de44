"""The database layer: SQLite pragmas, one commit per request, rollback on error, ids."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from causerie.core.database import Database
from causerie.core.errors import Conflict
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.ids import uuid7
from causerie.models import Organization
from tests.support.databases import backend_name


@pytest.mark.skipif(backend_name() != "sqlite", reason="SQLite pragmas")
async def test_sqlite_runs_in_wal_mode_with_foreign_keys(db: Database) -> None:
    async with db.writer() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_failed_request_changes_nothing_and_success_commits(
    app: FastAPI, client: httpx.AsyncClient, db: Database
) -> None:
    from fastapi import APIRouter

    router = APIRouter(route_class=UnitOfWorkRoute)

    @router.post("/api/v1/_create/{name}")
    async def create(name: str, session: SessionDep) -> dict[str, str]:
        session.add(Organization(name=name))
        await session.flush()
        if name == "fails":
            raise Conflict("refused after writing")
        return {"name": name}

    app.include_router(router)
    assert (await client.post("/api/v1/_create/fails")).status_code == 409
    assert (await client.post("/api/v1/_create/works")).status_code == 200
    async with db.reader() as session:
        names = (await session.scalars(select(Organization.name))).all()
    assert names == ["works"]


def test_ids_are_time_ordered_uuid7() -> None:
    import time

    first = uuid7()
    time.sleep(0.002)
    second = uuid7()
    assert first.version == second.version == 7
    assert first < second


async def test_concurrent_read_then_write_requests_do_not_fail_with_locks(
    app: FastAPI, client: httpx.AsyncClient, db: Database
) -> None:
    """Writers read before they write; on SQLite only BEGIN IMMEDIATE keeps that safe."""
    from fastapi import APIRouter
    from sqlalchemy import func

    router = APIRouter(route_class=UnitOfWorkRoute)

    @router.post("/api/v1/_count_then_create/{name}")
    async def count_then_create(name: str, session: SessionDep) -> dict[str, int]:
        seen = await session.scalar(select(func.count()).select_from(Organization))
        await asyncio.sleep(0.01)  # let the other requests read too
        session.add(Organization(name=name))
        await session.flush()
        return {"seen": int(seen or 0)}

    app.include_router(router)
    results = await asyncio.gather(
        *(client.post(f"/api/v1/_count_then_create/o{index}") for index in range(8))
    )
    assert [r.status_code for r in results] == [200] * 8, [r.text for r in results]
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Organization)) == 8
