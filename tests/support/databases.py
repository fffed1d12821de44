"""Fresh, migrated databases for tests, on SQLite or PostgreSQL.

SQLite: migrate one template file per run, copy it for each test.
PostgreSQL: migrate one database per run, truncate its tables after each test;
the end-to-end server gets a database of its own.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from causerie.core.migrations import upgrade_async
from causerie.models import Base

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def backend_name() -> str:
    name = os.environ.get("CAUSERIE_TEST_DATABASE", "sqlite")
    if name not in {"sqlite", "postgres"}:
        raise RuntimeError(f"CAUSERIE_TEST_DATABASE must be sqlite or postgres, not {name!r}")
    return name


def postgres_admin_url() -> str:
    return os.environ.get("CAUSERIE_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def postgres_unreachable_reason() -> str | None:
    try:
        connection = await asyncpg.connect(_asyncpg_dsn(postgres_admin_url()), timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        return f"PostgreSQL at {postgres_admin_url()} is unreachable: {error}"
    await connection.close()
    return None


class SqliteDatabases:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.db"

    @staticmethod
    def url(path: Path) -> str:
        return f"sqlite+aiosqlite:///{path}"

    async def prepare(self) -> None:
        await upgrade_async(self.url(self.template))

    async def fresh(self) -> str:
        path = self.folder / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, path)
        return self.url(path)

    async def reset(self, url: str) -> None:
        path = make_url(url).database or ""
        for suffix in ("", "-wal", "-shm"):
            await asyncio.to_thread(Path(f"{path}{suffix}").unlink, missing_ok=True)

    async def dispose(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresDatabases:
    """One migrated database for the run, emptied after each test."""

    def __init__(self) -> None:
        self.admin_url = postgres_admin_url()
        self.run_id = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.created: list[str] = []
        self.shared_url: str | None = None

    async def _admin(self, sql: str) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(self.admin_url))
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    async def create(self, label: str) -> str:
        name = f"causerie_{label}_{self.run_id}"
        await self._admin(f'DROP DATABASE IF EXISTS "{name}"')
        await self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        url = make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        await upgrade_async(url)
        return url

    async def prepare(self) -> None:
        self.shared_url = await self.create("test")

    async def fresh(self) -> str:
        assert self.shared_url is not None
        return self.shared_url

    async def reset(self, url: str) -> None:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        connection = await asyncpg.connect(_asyncpg_dsn(url))
        try:
            await connection.execute(f"TRUNCATE TABLE {tables} RESTART IDENTITY CASCADE")
        finally:
            await connection.close()

    async def dispose(self) -> None:
        for name in self.created:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def fresh_server_database(databases: SqliteDatabases | PostgresDatabases, label: str) -> str:
    """A database of its own for a server process (end-to-end tests)."""
    if isinstance(databases, PostgresDatabases):
        return await databases.create(label)
    return await databases.fresh()
