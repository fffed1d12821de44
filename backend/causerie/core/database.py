"""Async engine and sessions.

SQLite runs in WAL mode with foreign keys on; a write transaction starts with
``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing with
"database is locked". Within one process, writers take turns before they touch a
connection (``WriteTurn``): they wait in a fair queue rather than race for the file lock,
and a waiting writer holds no pooled connection. Read-only requests use plain deferred
transactions (SQLite) or autocommit reads (PostgreSQL: no BEGIN, no COMMIT).

The pool is sized from the settings; a connection is not pinged at each checkout but
replaced once it is older than the recycle age, and a connection the server dropped
invalidates the pool (SQLAlchemy's disconnect handling) so the next checkout reconnects.
Waiting longer than the pool timeout raises ``sqlalchemy.exc.TimeoutError``, answered 503.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

from causerie.core.pool import FairAsyncQueuePool
from causerie.core.settings import Settings

WRITE_OPTION = "causerie_write"
_TURN = "causerie_write_turn"
_HELD = "causerie_write_turn_held"


@dataclass(frozen=True)
class PoolOptions:
    """How many connections a process keeps, and how long a request waits for one."""

    size: int = 10
    max_overflow: int = 10
    timeout: float = 5.0
    recycle_seconds: int = 1800
    sqlite_busy_timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> PoolOptions:
        return cls(
            size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            timeout=settings.db_pool_timeout,
            recycle_seconds=settings.db_pool_recycle_seconds,
            sqlite_busy_timeout=settings.sqlite_busy_timeout,
        )


class WriteTurnTimeout(sa_exc.TimeoutError):
    """A SQLite writer waited longer than the busy timeout for its turn (answered 503)."""


class WriteTurn:
    """One SQLite writer at a time in this process, served in arrival order."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        # asyncio locks belong to one event loop; a process may run several in turn (CLI).
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def acquire(self) -> asyncio.Lock:
        lock = self._lock()
        try:
            await asyncio.wait_for(lock.acquire(), self.timeout)
        except TimeoutError:
            raise WriteTurnTimeout(
                f"waited {self.timeout:g} s for the SQLite write turn", None, None
            ) from None
        return lock


class _SQLiteWriterSession(Session):
    """A writing session that takes the process's write turn before its first statement
    (``get_bind`` is where a session picks its connection) and gives it back when its
    transaction ends (commit, rollback or close)."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        turn: WriteTurn | None = self.info.get(_TURN)
        if turn is not None and _HELD not in self.info:
            # Runs inside SQLAlchemy's greenlet, as every statement does: awaiting is allowed.
            self.info[_HELD] = await_(turn.acquire())
        return super().get_bind(*args, **kwargs)


@event.listens_for(_SQLiteWriterSession, "after_transaction_end")
def _end_turn(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        lock: asyncio.Lock | None = session.info.pop(_HELD, None)
        if lock is not None:
            lock.release()


def _install_sqlite_hooks(engine: AsyncEngine, busy_timeout: float) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def _is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite")


def _pool_arguments(database_url: str, pool: PoolOptions) -> dict[str, Any]:
    if _is_sqlite(database_url) and make_url(database_url).database in (None, "", ":memory:"):
        return {}  # one in-memory database, one connection: nothing to size
    return {
        "poolclass": FairAsyncQueuePool,
        "pool_size": pool.size,
        "max_overflow": pool.max_overflow,
        "pool_timeout": pool.timeout,
        "pool_recycle": pool.recycle_seconds,
    }


def create_engine(database_url: str, pool: PoolOptions | None = None) -> AsyncEngine:
    pool = pool or PoolOptions()
    arguments = _pool_arguments(database_url, pool)
    if _is_sqlite(database_url):
        engine = create_async_engine(
            database_url, connect_args={"timeout": pool.sqlite_busy_timeout}, **arguments
        )
        _install_sqlite_hooks(engine, pool.sqlite_busy_timeout)
        return engine
    return create_async_engine(database_url, **arguments)


def create_probe_engine(database_url: str, pool: PoolOptions | None = None) -> AsyncEngine:
    """A small engine of its own for the health check: it never waits behind requests
    that hold (or queue for) the main pool's connections, nor behind writers."""
    pool = pool or PoolOptions()
    timeout = min(pool.timeout, 2.0)
    if _is_sqlite(database_url):
        return create_async_engine(database_url, connect_args={"timeout": timeout})
    return create_async_engine(
        database_url,
        pool_size=1,
        max_overflow=2,
        pool_timeout=timeout,
        pool_recycle=pool.recycle_seconds,
        connect_args={"timeout": timeout, "command_timeout": timeout},
    )


@dataclass(frozen=True)
class Database:
    """The engine plus session factories for read-only and writing units of work."""

    engine: AsyncEngine
    reader: async_sessionmaker[AsyncSession]
    writer: async_sessionmaker[AsyncSession]
    probe: AsyncEngine

    @classmethod
    def from_url(cls, database_url: str, pool: PoolOptions | None = None) -> Database:
        pool = pool or PoolOptions()
        engine = create_engine(database_url, pool)
        write_engine = engine.execution_options(**{WRITE_OPTION: True})
        if _is_sqlite(database_url):
            read_engine = engine
            writer = async_sessionmaker(
                write_engine,
                expire_on_commit=False,
                autoflush=False,
                sync_session_class=_SQLiteWriterSession,
                info={_TURN: WriteTurn(pool.sqlite_busy_timeout)},
            )
        else:
            # Reads need no transaction of their own at READ COMMITTED (each statement sees
            # a fresh snapshot either way): autocommit saves the BEGIN and COMMIT round trips.
            read_engine = engine.execution_options(isolation_level="AUTOCOMMIT")
            writer = async_sessionmaker(write_engine, expire_on_commit=False, autoflush=False)
        return cls(
            engine=engine,
            reader=async_sessionmaker(read_engine, expire_on_commit=False, autoflush=False),
            writer=writer,
            probe=create_probe_engine(database_url, pool),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls.from_url(settings.database_url, PoolOptions.from_settings(settings))

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self.probe.dispose()


def dialect_of(session: AsyncSession) -> str:
    """``"postgresql"`` or ``"sqlite"``: where the few dialect-specific statements differ."""
    return session.bind.dialect.name if session.bind else "sqlite"


def insert_for(session: AsyncSession) -> Any:
    """The dialect's ``insert`` construct, which has ``on_conflict_do_nothing``."""
    return postgresql.insert if dialect_of(session) == "postgresql" else sqlite.insert


async def write_session(database: Database) -> AsyncIterator[AsyncSession]:
    """A writing unit of work outside HTTP (CLI, workers): commit on success."""
    async with database.writer() as session, session.begin():
        yield session
