"""Counting the SQL statements a request runs (the statement budgets of issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Transaction control is not work the database does for the request.
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")


@dataclass
class Statements:
    sql: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sql)

    def matching(self, prefix: str) -> list[str]:
        return [s for s in self.sql if s.lstrip().upper().startswith(prefix.upper())]


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[Statements]:
    """Every statement run on ``engine`` (any connection) inside the block, except
    transaction control (BEGIN, COMMIT, SAVEPOINT, …) and SQLite PRAGMAs."""
    seen = Statements()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        text = statement.lstrip().upper()
        if text.startswith(_CONTROL) or text.startswith("PRAGMA"):
            return
        seen.sql.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
