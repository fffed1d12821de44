"""B1's baseline: a bare ASGI app on asyncpg, no framework and no ORM.

``GET /<name>`` runs, in one transaction on a pooled connection, the statements the real app
ran for that page (recorded with their parameters by the suite, ``BENCH_BARE_PLANS``) and
answers their rows as JSON. Served by the same uvicorn as the real app, so the difference is
what the app adds on top of its SQL.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench.plans import Plan, load_plans

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BareApp:
    def __init__(self) -> None:
        self.pool: asyncpg.Pool | None = None
        self.plans: dict[str, Plan] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.plans = load_plans(Path(os.environ["BENCH_BARE_PLANS"]))
                self.pool = await asyncpg.create_pool(
                    os.environ["BENCH_BARE_DSN"], min_size=5, max_size=15
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, send: Send) -> None:
        name = str(scope["path"]).strip("/")
        if name == "health":
            await _answer(send, 200, b'{"status":"ok"}')
            return
        plan = self.plans.get(name)
        if plan is None or self.pool is None:
            await _answer(send, 404, b'{"title":"Not found"}')
            return
        async with self.pool.acquire() as connection, connection.transaction():
            results = [
                [dict(row) for row in await connection.fetch(sql, *params)] for sql, params in plan
            ]
        await _answer(send, 200, json.dumps({"results": results}, default=str).encode())


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


app = BareApp()
