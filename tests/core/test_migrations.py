"""Migrations apply to an empty database and match the models exactly (both backends)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from causerie.core.database import create_engine
from causerie.core.migrations import alembic_config, upgrade_async
from causerie.models import Base
from tests.support.databases import PostgresDatabases, SqliteDatabases


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "target_metadata": Base.metadata}
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migrations_from_empty_leave_no_drift(
    databases: SqliteDatabases | PostgresDatabases, tmp_path: Path
) -> None:
    if isinstance(databases, PostgresDatabases):
        database_url = await databases.create("migrations")  # empty database, then upgrade head
    else:
        database_url = SqliteDatabases.url(tmp_path / "empty.db")
        await upgrade_async(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(_tables)
            assert {table.name for table in Base.metadata.sorted_tables} <= tables
            assert "alembic_version" in tables
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()


async def test_migrations_downgrade_to_empty_and_back(
    databases: SqliteDatabases | PostgresDatabases, tmp_path: Path
) -> None:
    if isinstance(databases, PostgresDatabases):
        database_url = await databases.create("roundtrip")
    else:
        database_url = SqliteDatabases.url(tmp_path / "roundtrip.db")
        await upgrade_async(database_url)
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "base")
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == {"alembic_version"}
        await upgrade_async(database_url)
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()
