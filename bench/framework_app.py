"""B1's framework floor: FastAPI around the bare baseline's work, nothing else.

The same pooled asyncpg connection, the same recorded statements and the same JSON as
``bench.bare_app``, but routed and answered by FastAPI (path parameter, one endpoint, a
``Response``): no ORM, no authentication, no validation of the result. What this app loses
against the bare one is what the framework alone costs, so the real app's ratio can be read
against it (an INFO row of B1).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from fastapi import FastAPI, HTTPException, Response

from bench.plans import Plan, load_plans

_state: dict[str, object] = {}


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    _state["plans"] = load_plans(Path(os.environ["BENCH_BARE_PLANS"]))
    pool = await asyncpg.create_pool(os.environ["BENCH_BARE_DSN"], min_size=5, max_size=15)
    _state["pool"] = pool
    yield
    await pool.close()


app = FastAPI(lifespan=_lifespan, openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/health")
async def health() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


@app.get("/{name}")
async def page(name: str) -> Response:
    plans: dict[str, Plan] = _state["plans"]  # type: ignore[assignment]
    pool: asyncpg.Pool = _state["pool"]
    plan = plans.get(name)
    if plan is None:
        raise HTTPException(status_code=404)
    async with pool.acquire() as connection, connection.transaction():
        results = [
            [dict(row) for row in await connection.fetch(sql, *params)] for sql, params in plan
        ]
    body = json.dumps({"results": results}, default=str).encode()
    return Response(body, media_type="application/json")
