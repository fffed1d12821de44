"""B1 (a page against the bare baseline), B2 (a deep page against the first), B6 (B1 under a
login flood against B1 alone)."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bench.context import Context, Target
from bench.inprocess import InProcessApp
from bench.load import Connection, Request, Samples, closed_loop, fetch, open_loop
from bench.plans import Plan, save_plans
from bench.report import Goal, Outcome, info, judged
from bench.servers import Server
from causerie.core.pagination import encode_cursor
from causerie.models import Response

PAGE_LIMIT = 20
RPS_GOAL = Goal(">=", 0.75, "≥ 0.75")
P99_GOAL = Goal("<=", 1.5, "≤ 1.5")
DEPTH_GOAL = Goal("<=", 1.2, "≤ 1.2")
FLOOD_GOAL = Goal("<=", 1.5, "≤ 1.5")


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def page_path(target: Target, limit: int = PAGE_LIMIT, cursor: str | None = None) -> str:
    path = f"/api/v1/prompts/{target.facts.main.prompts['journal']}/responses?limit={limit}"
    return f"{path}&cursor={cursor}" if cursor else path


async def capture_plans(ctx: Context, app: InProcessApp, path: Path) -> dict[str, Plan]:
    """The statements the real app runs for B1's page, for a staff member and a participant."""
    target = ctx.postgres
    plans: dict[str, Plan] = {}
    for who, token in (
        ("staff", ctx.staff_tokens(target)[0]),
        ("participant", ctx.participant_tokens(target, 1)[0]),
    ):
        result = await app.call("GET", page_path(target), token)
        if result.status != 200:
            raise RuntimeError(f"the {who} page answered {result.status}: {result.body}")
        plans[who] = result.statements
    save_plans(path, plans)
    return plans


async def _load(ctx: Context, port: int, path: str, tokens: list[str]) -> Samples:
    requests = [Request("GET", path, token) for token in tokens]
    return await closed_loop(
        port,
        lambda client, _n: requests[client % len(requests)],
        connections=ctx.profile.read_connections,
        seconds=ctx.profile.read_seconds,
        warmup=ctx.profile.read_warmup,
        time_limit=ctx.profile.request_timeout,
    )


async def b1_read(
    ctx: Context,
    real: Server,
    bare: Server,
    plans: dict[str, Plan],
    floor: Server | None = None,
) -> list[Outcome]:
    target = ctx.postgres
    outcomes = []
    for who in ("staff", "participant"):
        tokens = (
            ctx.staff_tokens(target)
            if who == "staff"
            else ctx.participant_tokens(target, ctx.profile.read_connections)
        )
        app = await _load(ctx, real.port, page_path(target), tokens)
        base = await _load(ctx, bare.port, f"/{who}", tokens[:1])
        say(
            f"B1 {who}: app {app.rps:.1f} req/s p99 {app.ms(99):.0f} ms; "
            f"bare {base.rps:.1f} req/s p99 {base.ms(99):.0f} ms"
        )
        details = {
            "app": app.summary(),
            "bare": base.summary(),
            "statements_per_request": len(plans[who]),
            "connections": ctx.profile.read_connections,
        }
        failed = app.errors > 0 or base.errors > 0
        errors = f", {app.errors} errors" if app.errors else ""
        ratio = app.rps / base.rps if base.rps else 0.0
        outcomes.append(
            judged(
                "B1",
                f"read · {who} · req/s app ÷ bare",
                ratio,
                RPS_GOAL,
                f"{ratio:.2f} ({app.rps:.0f} ÷ {base.rps:.0f} req/s{errors})",
                details,
                failed=failed,
            )
        )
        p99 = app.ms(99) / base.ms(99) if base.ms(99) else float("inf")
        outcomes.append(
            judged(
                "B1",
                f"read · {who} · p99 app ÷ bare",
                p99,
                P99_GOAL,
                f"{p99:.2f} ({app.ms(99):.0f} ÷ {base.ms(99):.0f} ms)",
                {"statements_per_request": len(plans[who])},
                failed=failed,
            )
        )
        if floor is not None:
            outcomes.append(await _floor(ctx, floor, who, tokens[:1], base))
    return outcomes


async def _floor(
    ctx: Context, floor: Server, who: str, tokens: list[str], base: Samples
) -> Outcome:
    """The bare app's work routed by FastAPI and nothing else: what the framework alone
    leaves of the bare app's rate, the ceiling any FastAPI route can reach on this page."""
    framework = await _load(ctx, floor.port, f"/{who}", tokens)
    ratio = framework.rps / base.rps if base.rps else 0.0
    say(f"B1 {who}: FastAPI floor {framework.rps:.1f} req/s p99 {framework.ms(99):.0f} ms")
    return info(
        "B1",
        f"read · {who} · framework floor (FastAPI, same SQL on asyncpg, no ORM, no auth) ÷ bare",
        f"{ratio:.2f} ({framework.rps:.0f} ÷ {base.rps:.0f} req/s; p99 {framework.ms(99):.0f} ms)",
        {"framework": framework.summary(), "ratio": ratio},
    )


async def _deep_cursor(target: Target, depth: int) -> tuple[str, int]:
    """The cursor a client holds after paging ``depth`` answers into the list (newest first)."""
    prompt_id = target.facts.main.prompts["journal"]
    engine = create_async_engine(target.url)
    try:
        async with engine.connect() as connection:
            total = int(
                await connection.scalar(
                    select(func.count()).where(
                        Response.prompt_id == prompt_id, Response.deleted_at.is_(None)
                    )
                )
                or 0
            )
            depth = max(1, min(depth, total - 2 * PAGE_LIMIT))
            row = (
                await connection.execute(
                    select(Response.created_at, Response.id)
                    .where(Response.prompt_id == prompt_id, Response.deleted_at.is_(None))
                    .order_by(Response.created_at.desc(), Response.id.desc())
                    .offset(depth - 1)
                    .limit(1)
                )
            ).one()
    finally:
        await engine.dispose()
    return encode_cursor(row[0], row[1]), depth


async def b2_depth(ctx: Context, server: Server, target: Target) -> list[Outcome]:
    """First page and a page deep in the list, interleaved on one connection; medians."""
    cursor, depth = await _deep_cursor(target, ctx.profile.depth)
    token = ctx.staff_tokens(target)[0]
    first, deep = (
        Request("GET", page_path(target), token),
        Request("GET", page_path(target, cursor=cursor), token),
    )
    answer = await fetch(server.port, deep)
    if answer.status != 200 or len(answer.json()["items"]) != PAGE_LIMIT:
        raise RuntimeError(f"the deep page answered {answer.status}: {answer.body[:200]!r}")
    timings: dict[str, list[float]] = {"first": [], "deep": []}
    connection = Connection(server.port)
    try:
        for index in range(ctx.profile.depth_samples + 5):
            for name, request in (("first", first), ("deep", deep)):
                began = time.perf_counter()
                async with asyncio.timeout(ctx.profile.request_timeout):
                    status = (await connection.send(request)).status
                if status != 200:
                    raise RuntimeError(f"the {name} page answered {status}")
                if index >= 5:  # the first five of each warm up
                    timings[name].append((time.perf_counter() - began) * 1000)
    finally:
        connection.close()
    first_ms, deep_ms = statistics.median(timings["first"]), statistics.median(timings["deep"])
    say(f"B2 {target.label}: first {first_ms:.1f} ms, depth {depth:,} {deep_ms:.1f} ms")
    return [
        judged(
            "B2",
            f"depth · {target.label} · page at {depth:,} ÷ first page",
            deep_ms / first_ms,
            DEPTH_GOAL,
            f"{deep_ms / first_ms:.2f} ({deep_ms:.1f} ÷ {first_ms:.1f} ms)",
            {"depth": depth, "first_ms": first_ms, "deep_ms": deep_ms, "timings": timings},
        )
    ]


async def b6_login_flood(ctx: Context, real: Server) -> list[Outcome]:
    """B1's participant page alone, then while wrong-password logins arrive at a fixed rate."""
    target = ctx.postgres
    path = page_path(target)
    tokens = ctx.participant_tokens(target, ctx.profile.read_connections)
    alone = await _load(ctx, real.port, path, tokens)
    people, ips = target.people, ctx.profile.flood_ips

    def login(n: int) -> Request:
        return Request(
            "POST",
            "/api/v1/auth/login",
            body={"email": people[n % len(people)].email, "password": "not-the-password"},
            headers=(("X-Forwarded-For", f"203.0.113.{n % ips + 1}"),),
        )

    flood_seconds = ctx.profile.read_warmup + ctx.profile.read_seconds
    flood_task = asyncio.create_task(
        open_loop(
            real.port,
            login,
            rate=ctx.profile.flood_rate,
            seconds=flood_seconds,
            time_limit=ctx.profile.request_timeout,
            ok_statuses=(401, 429),
        )
    )
    flooded = await _load(ctx, real.port, path, tokens)
    logins = await flood_task
    say(
        f"B6: p99 alone {alone.ms(99):.0f} ms, during the flood {flooded.ms(99):.0f} ms; "
        f"logins {dict(logins.outcomes)}"
    )
    ratio = flooded.ms(99) / alone.ms(99) if alone.ms(99) else float("inf")
    return [
        judged(
            "B6",
            "login flood · B1 participant p99 flooded ÷ alone",
            ratio,
            FLOOD_GOAL,
            f"{ratio:.2f} ({flooded.ms(99):.0f} ÷ {alone.ms(99):.0f} ms)",
            {
                "alone": alone.summary(),
                "flooded": flooded.summary(),
                "logins": logins.summary(),
                "flood": {"rate": ctx.profile.flood_rate, "client_addresses": ips},
            },
            failed=alone.errors > 0 or flooded.errors > 0,
        ),
        info(
            "B6",
            "login flood · wrong-password logins answered",
            f"{logins.count} at {ctx.profile.flood_rate:.0f}/s from {ips} addresses: "
            + ", ".join(f"{n}× {status}" for status, n in sorted(logins.outcomes.items())),
            logins.summary(),
        ),
    ]
