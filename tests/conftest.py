"""Test fixtures: a real, migrated database per test (SQLite or PostgreSQL) and the app."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.main import create_app
from tests.support.databases import (
    PostgresDatabases,
    SqliteDatabases,
    backend_name,
    postgres_unreachable_reason,
)
from tests.support.smtp import SmtpServer

TEST_SECRET = "test-secret-" + "s" * 40


def pytest_report_header() -> str:
    return f"causerie database backend: {backend_name()}"


@pytest.fixture(scope="session")
async def databases() -> AsyncIterator[SqliteDatabases | PostgresDatabases]:
    if backend_name() == "postgres":
        reason = await postgres_unreachable_reason()
        if reason is not None:
            if os.environ.get("CI", "").lower() == "true":
                pytest.exit(f"{reason} (required when CI=true)", returncode=1)
            pytest.skip(reason)
        pg = PostgresDatabases()
        await pg.prepare()
        yield pg
        await pg.dispose()
        return
    sqlite = SqliteDatabases(Path(tempfile.mkdtemp(prefix="causerie-test-")))
    await sqlite.prepare()
    yield sqlite
    await sqlite.dispose()


@pytest.fixture
async def database_url(databases: SqliteDatabases | PostgresDatabases) -> AsyncIterator[str]:
    url = await databases.fresh()
    yield url
    await databases.reset(url)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        data_dir=tmp_path / "var",
        spa_dir=tmp_path / "no-spa",
        # Tests drive the outbox explicitly (tests/outbox); no background dispatcher.
        inprocess_worker=False,
    )


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    """Direct database access for arranging and checking, outside the app."""
    database = Database.from_url(settings.database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def app(settings: Settings, db: Database) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1; ``smtp_server.configure(settings)`` points at it."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
