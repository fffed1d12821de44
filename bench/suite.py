"""``make bench`` (``python -m bench``): build or reuse the data sets, run every case beside
its baseline, print the table and write ``bench/results/latest.json``."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

import uvloop

from bench.cases.live import b5_live
from bench.cases.read import b1_read, b2_depth, b6_login_flood, capture_plans
from bench.cases.statements import b7_statements
from bench.cases.write import b4_write
from bench.context import FULL, QUICK, Context, Target
from bench.dataset import Built, PostgresStore, SqliteStore, asyncpg_dsn, participants_of
from bench.inprocess import in_process
from bench.plans import Plan
from bench.report import Outcome, errored, markdown_of, table, write_json
from bench.servers import (
    REPO,
    Server,
    pin_this_process_to_load_core,
    pinning_available,
    start_app,
    start_bare,
)

CASES = ("B1", "B2", "B4", "B5", "B6", "B7")
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data set, seconds per case")
    parser.add_argument("--size", type=int, help="participants of the main space (40 answers each)")
    parser.add_argument("--cases", default=",".join(CASES), help="e.g. B1,B4 (default: all)")
    parser.add_argument("--output", type=Path, help="default: bench/results/latest.json")
    parser.add_argument("--data-dir", type=Path, default=REPO / "var" / "bench")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CAUSERIE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="a server URL with rights to create databases ($CAUSERIE_BENCH_POSTGRES_URL)",
    )
    parser.add_argument("--database", help="database of the run (default causerie_bench[_quick])")
    parser.add_argument(
        "--redis-url", default=os.environ.get("CAUSERIE_BENCH_REDIS_URL", DEFAULT_REDIS)
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data sets")
    parser.add_argument("--drop", action="store_true", help="drop the data sets at the end")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and load")
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="RESULTS",
        help="print the table of a results file in Markdown (for bench/README.md) and exit",
    )
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Runner:
    def __init__(self, options: argparse.Namespace) -> None:
        profile = QUICK if options.quick else FULL
        self.options = options
        self.selected = {c.strip().upper() for c in options.cases.split(",") if c.strip()}
        self.participants = options.size or profile.participants
        self.profile = profile
        self.data_dir: Path = options.data_dir / profile.name
        self.pin = not options.no_pin and pinning_available()
        name = options.database or ("causerie_bench" if profile is FULL else "causerie_bench_quick")
        self.postgres_store = PostgresStore(options.postgres_url, name)
        self.sqlite_store = SqliteStore(self.data_dir / "sqlite")
        self.outcomes: list[Outcome] = []
        self.built: dict[str, Built] = {}

    def wants(self, *cases: str) -> bool:
        return any(case in self.selected for case in cases)

    async def guard(
        self, case: str, name: str, work: Callable[[], Awaitable[list[Outcome]]]
    ) -> None:
        """Run a case; if it breaks, its row says so and the others still run."""
        say(f"{case} {name} …")
        began = time.monotonic()
        try:
            self.outcomes += await work()
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            self.outcomes.append(errored(case, name, error))
        say(f"{case} {name}: {time.monotonic() - began:.1f} s")

    async def target(self, label: str, built: Built) -> Target:
        people = await participants_of(built.url, built.facts.main.space_id)
        return Target(label, built.url, built.facts, people)

    async def run(self) -> int:
        began = time.monotonic()
        load_at_start = list(os.getloadavg())
        if self.pin:
            pin_this_process_to_load_core()
        say(
            f"causerie bench ({self.profile.name}): {self.participants:,} participants, "
            f"cases {','.join(sorted(self.selected))}, "
            + ("server on core 0, load on core 1" if self.pin else "no pinning")
        )
        self.built["postgres"] = await self.postgres_store.prepare(
            self.participants, rebuild=self.options.rebuild
        )
        say(self._built_line("PostgreSQL", self.built["postgres"]))
        ctx = Context(
            profile=self.profile,
            data_dir=self.data_dir,
            pin=self.pin,
            redis_url=self.options.redis_url,
            postgres=await self.target("PostgreSQL", self.built["postgres"]),
        )
        if self.wants("B2", "B4"):
            self.built["sqlite"] = await self.sqlite_store.prepare(
                self.participants, rebuild=self.options.rebuild
            )
            say(self._built_line("SQLite", self.built["sqlite"]))
            ctx.sqlite = await self.target("SQLite", self.built["sqlite"])
        try:
            await self._cases(ctx)
        finally:
            if self.options.drop:
                await self.postgres_store.drop()
                await self.sqlite_store.drop()
        print()
        print(table(self.outcomes))
        output = self.options.output or REPO / "bench" / "results" / "latest.json"
        context = self._context(time.monotonic() - began)
        write_json(output, self.outcomes, context, load_at_start)
        say(f"\nwritten: {output}")
        return 1 if any(o.status == "ERROR" for o in self.outcomes) else 0

    async def _cases(self, ctx: Context) -> None:
        plans_file = self.data_dir / "bare-plans.pickle"
        plans: dict[str, Plan] = {}
        if self.wants("B1", "B7"):
            async with in_process(ctx.postgres.url, self.data_dir) as app:
                if self.wants("B7"):
                    await self.guard("B7", "statements", lambda: b7_statements(ctx, app))
                if self.wants("B1"):
                    plans = await capture_plans(ctx, app, plans_file)
        if self.wants("B1", "B2", "B4", "B6"):
            async with AsyncExitStack() as stack:
                real, bare, floor = await self._servers(stack, ctx, plans_file if plans else None)
                if bare is not None:
                    await self.guard("B1", "read", lambda: b1_read(ctx, real, bare, plans, floor))
                if self.wants("B6"):
                    await self.guard("B6", "login flood", lambda: b6_login_flood(ctx, real))
                if self.wants("B2"):
                    await self.guard("B2", "depth", lambda: b2_depth(ctx, real, ctx.postgres))
                if self.wants("B4"):
                    await self.guard("B4", "write", lambda: b4_write(ctx, real, ctx.postgres))
        if self.wants("B5"):
            await self.guard("B5", "live", lambda: b5_live(ctx))
        if ctx.sqlite is not None:
            lite = ctx.sqlite
            async with AsyncExitStack() as stack:
                server = await start_app(
                    "app-sqlite", lite.url, data_dir=self.data_dir, pin=self.pin
                )
                stack.push_async_callback(server.stop)
                if self.wants("B2"):
                    await self.guard("B2", "depth (SQLite)", lambda: b2_depth(ctx, server, lite))
                if self.wants("B4"):
                    await self.guard("B4", "write (SQLite)", lambda: b4_write(ctx, server, lite))

    async def _servers(
        self, stack: AsyncExitStack, ctx: Context, plans_file: Path | None
    ) -> tuple[Server, Server | None, Server | None]:
        """The real app on PostgreSQL and, for B1, the bare baseline and the framework floor
        (started together)."""
        starting = [
            start_app("app-postgres", ctx.postgres.url, data_dir=self.data_dir, pin=self.pin)
        ]
        if plans_file is not None:
            dsn = asyncpg_dsn(ctx.postgres.url)
            starting.append(
                start_bare(
                    "bare-asyncpg", plans=plans_file, dsn=dsn, data_dir=self.data_dir, pin=self.pin
                )
            )
            starting.append(
                start_bare(
                    "framework-fastapi",
                    plans=plans_file,
                    dsn=dsn,
                    data_dir=self.data_dir,
                    pin=self.pin,
                    module="bench.framework_app:app",
                )
            )
        started = await asyncio.gather(*starting, return_exceptions=True)
        for server in started:
            if isinstance(server, Server):
                stack.push_async_callback(server.stop)
        real = started[0]
        if isinstance(real, BaseException):
            raise real
        bare = started[1] if len(started) > 1 else None
        if isinstance(bare, BaseException):
            self.outcomes.append(errored("B1", "read", bare))
            bare = None
        floor = started[2] if len(started) > 2 else None
        if isinstance(floor, BaseException):
            self.outcomes.append(errored("B1", "framework floor", floor))
            floor = None
        return real, bare, floor

    def _built_line(self, label: str, built: Built) -> str:
        how = "reused" if built.cached else "built"
        return f"data set on {label}: {how}, ready in {built.build_seconds:.1f} s"

    def _context(self, seconds: float) -> dict[str, Any]:
        any_built = next(iter(self.built.values()), None)
        return {
            "mode": self.profile.name,
            "seconds": round(seconds, 1),
            "pinned": self.pin,
            "profile": asdict(self.profile),
            "dataset": {
                "participants": self.participants,
                "rows": any_built.facts.counts if any_built else {},
                **{
                    name: {"cached": b.cached, "ready_seconds": round(b.build_seconds, 1)}
                    for name, b in self.built.items()
                },
            },
        }


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    if options.markdown is not None:
        print(markdown_of(options.markdown))
        return 0
    runner = Runner(options)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as loop:
        return loop.run(runner.run())
