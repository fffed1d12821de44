"""Async engine and sessions.

SQLite runs in WAL mode with foreign keys on; a write transaction starts with
``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing with
"database is locked". Read-only requests use plain deferred transactions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

WRITE_OPTION = "causerie_write"


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, connect_args={"timeout": 30}, **kwargs)
        _install_sqlite_hooks(engine)
        return engine
    return create_async_engine(database_url, pool_pre_ping=True, **kwargs)


@dataclass(frozen=True)
class Database:
    """The engine plus session factories for read-only and writing units of work."""

    engine: AsyncEngine
    reader: async_sessionmaker[AsyncSession]
    writer: async_sessionmaker[AsyncSession]

    @classmethod
    def from_url(cls, database_url: str, **kwargs: Any) -> Database:
        engine = create_engine(database_url, **kwargs)
        write_engine = engine.execution_options(**{WRITE_OPTION: True})
        return cls(
            engine=engine,
            reader=async_sessionmaker(engine, expire_on_commit=False, autoflush=False),
            writer=async_sessionmaker(write_engine, expire_on_commit=False, autoflush=False),
        )

    async def dispose(self) -> None:
        await self.engine.dispose()


async def write_session(database: Database) -> AsyncIterator[AsyncSession]:
    """A writing unit of work outside HTTP (CLI, workers): commit on success."""
    async with database.writer() as session, session.begin():
        yield session
