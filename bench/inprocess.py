"""The real app in this process (ASGI transport, no network), to count its SQL statements.

B7 counts the statements of a request; B1's baseline replays the very statements (with
their parameters) the app ran for one page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.plans import Plan
from bench.servers import ACCESS_TOKEN_TTL, SECRET
from causerie.core.settings import Settings
from causerie.main import create_app

# Transaction control is not work done for the request (as in tests/support/statements.py).
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")


@dataclass
class Recorded:
    statements: Plan = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def recording(engine: AsyncEngine) -> Iterator[Recorded]:
    """Every statement run on ``engine`` in the block, with its parameters, except
    transaction control and SQLite PRAGMAs."""
    seen = Recorded()

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        head = statement.lstrip().upper()
        if head.startswith(_CONTROL) or head.startswith("PRAGMA"):
            return
        seen.statements.append((statement, tuple(parameters or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


@dataclass(frozen=True)
class Result:
    status: int
    body: Any
    statements: Plan


class InProcessApp:
    def __init__(self, client: httpx.AsyncClient, engine: AsyncEngine) -> None:
        self.client = client
        self.engine = engine

    async def call(self, method: str, path: str, token: str, body: Any = None) -> Result:
        with recording(self.engine) as seen:
            answer = await self.client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
        content = answer.json() if answer.content else None
        return Result(answer.status_code, content, seen.statements)


@asynccontextmanager
async def in_process(database_url: str, data_dir: Path) -> AsyncIterator[InProcessApp]:
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET,
        access_token_ttl_seconds=ACCESS_TOKEN_TTL,
        data_dir=data_dir / "in-process",
        spa_dir=data_dir / "no-spa",
        inprocess_worker=False,
    )
    app = create_app(settings)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
            yield InProcessApp(client, app.state.database.engine)
