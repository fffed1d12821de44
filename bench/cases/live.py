"""B5: one event → its last delivery, at N open live streams; one process, then two processes
sharing Redis; and the memory each open stream costs.

Only the HTTP API is used: N streams ``GET /api/v1/me/events`` (one per participant, or a
few per participant when N is larger than the space), then a staff reply under an answer of
the big diary, which every participant may read. The time counts from just before the reply
is sent until the last stream has received a ``data:`` line naming that answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import sys
import time
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bench.context import Context, Target
from bench.dataset import answers_of
from bench.load import EventStream, Request, Watch, fetch
from bench.report import Goal, Outcome, info, judged, skipped
from bench.servers import Server, start_app

RATIO_GOAL = Goal("<=", 1.5, "≤ 1.5")
MEMORY_GOAL = Goal("<=", 40, "≤ 40 KiB")
STREAMS_PER_PERSON = 5  # the app's default cap on one person's streams
OPENING_AT_ONCE = 100


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


@dataclass
class Delivery:
    streams: int
    last_ms: list[float] = field(default_factory=list)
    trigger_ms: list[float] = field(default_factory=list)
    missed: int = 0
    dropped: int = 0  # streams the server ended while they should have stayed open
    refused: dict[str, int] = field(default_factory=dict)
    rss_kib_per_stream: float = 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.last_ms) if self.last_ms else float("inf")


async def redis_unreachable(url: str) -> str | None:
    client = Redis.from_url(url, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        return f"Redis at {url} is unreachable: {error}"
    finally:
        await client.aclose()
    return None


async def _open(
    ctx: Context, servers: list[Server], target: Target, first: int, last: int
) -> tuple[list[EventStream], dict[str, int]]:
    people = target.people
    refused: dict[str, int] = {}
    opened: list[EventStream] = []
    limit = asyncio.Semaphore(OPENING_AT_ONCE)

    async def one(index: int) -> None:
        stream = EventStream(
            servers[index % len(servers)].port, ctx.token(people[index % len(people)])
        )
        async with limit:
            try:
                status = await stream.open(ctx.profile.live_timeout)
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
                refused[type(error).__name__] = refused.get(type(error).__name__, 0) + 1
                stream.close()
                return
        if status == 200:
            opened.append(stream)
        else:
            refused[str(status)] = refused.get(str(status), 0) + 1

    await asyncio.gather(*(one(i) for i in range(first, last)))
    return opened, refused


async def _deliveries(
    ctx: Context, servers: list[Server], target: Target, skip: int
) -> list[Delivery]:
    profile = ctx.profile
    staff_token = ctx.token(target.facts.staff["animator"])
    journal = target.facts.main.prompts["journal"]
    # Fresh answers to reply under: each trigger's answer id is its marker.
    answers = iter((await answers_of(target.url, journal, skip + 100))[skip:])
    rss_before = sum(server.rss_kib() for server in servers)
    streams: list[EventStream] = []
    results = []
    cap = len(target.people) * STREAMS_PER_PERSON
    try:
        for wanted in profile.streams:
            wanted = min(wanted, cap)
            more, refused = await _open(ctx, servers, target, len(streams), wanted)
            streams += more
            await asyncio.sleep(0.2)  # let the servers settle
            delivery = Delivery(len(streams), refused=refused)
            rss = sum(server.rss_kib() for server in servers)
            delivery.rss_kib_per_stream = (rss - rss_before) / max(1, len(streams))
            for _ in range(profile.triggers):
                response_id = str(next(answers))
                watch = Watch(response_id.encode(), expected=len(streams))
                for stream in streams:
                    stream.watch = watch
                began = time.monotonic()
                answer = await fetch(
                    servers[0].port,
                    Request(
                        "POST",
                        f"/api/v1/responses/{response_id}/replies",
                        staff_token,
                        body={"text": "Merci, c'est noté."},
                    ),
                    time_limit=profile.live_timeout,
                )
                answered = time.monotonic()
                if answer.status != 201:
                    raise RuntimeError(f"the staff reply answered {answer.status}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(watch.done.wait(), timeout=profile.live_timeout)
                delivery.trigger_ms.append((answered - began) * 1000)
                delivery.dropped = sum(1 for stream in streams if stream.closed)
                if watch.seen < watch.expected:
                    delivery.missed += watch.expected - watch.seen
                    delivery.last_ms.append(profile.live_timeout * 1000)
                    break  # timed out: waiting again would only repeat the time-out
                delivery.last_ms.append((watch.last_at - began) * 1000)
                await asyncio.sleep(0.2)
            say(
                f"B5 {len(servers)} process(es), {len(streams):,} streams: last delivery "
                f"{delivery.median_ms:.0f} ms (trigger {statistics.median(delivery.trigger_ms):.0f}"
                f" ms), {delivery.rss_kib_per_stream:.1f} KiB/stream, missed {delivery.missed}, "
                f"closed by the server {delivery.dropped}, "
                f"refused {refused}"
            )
            results.append(delivery)
    finally:
        for stream in streams:
            stream.close()
    return results


async def _run(ctx: Context, target: Target, processes: int) -> list[Delivery]:
    redis_url = ctx.redis_url if processes > 1 else ""
    started = await asyncio.gather(
        *(
            start_app(
                f"live-{processes}p-{index}",
                target.url,
                data_dir=ctx.data_dir,
                pin=ctx.pin,
                redis_url=redis_url,
            )
            for index in range(processes)
        ),
        return_exceptions=True,
    )
    servers = [server for server in started if isinstance(server, Server)]
    try:
        for failure in started:
            if isinstance(failure, BaseException):
                raise failure
        # Each configuration replies under answers of its own (their ids are the markers).
        return await _deliveries(ctx, servers, target, skip=100 * processes)
    finally:
        for server in servers:
            await server.stop()


def _shortfall(delivery: Delivery) -> str:
    """What went missing, if anything (a delivery that never came counts as the time-out)."""
    parts = []
    if delivery.missed:
        expected = delivery.streams * len(delivery.last_ms)
        parts.append(f"{delivery.missed:,} of {expected:,} deliveries missed")
    if delivery.dropped:
        parts.append(f"{delivery.dropped:,} streams closed by the server")
    if delivery.refused:
        parts.append(f"refused {delivery.refused}")
    return "; " + ", ".join(parts) if parts else ""


def _delivery_details(delivery: Delivery) -> dict[str, object]:
    return {
        "streams": delivery.streams,
        "last_delivery_ms": [round(v, 1) for v in delivery.last_ms],
        "trigger_request_ms": [round(v, 1) for v in delivery.trigger_ms],
        "missed_deliveries": delivery.missed,
        "streams_closed_by_server": delivery.dropped,
        "streams_refused": delivery.refused,
        "rss_kib_per_stream": round(delivery.rss_kib_per_stream, 2),
    }


async def b5_live(ctx: Context) -> list[Outcome]:
    target = ctx.postgres
    goals = ctx.profile.stream_goals_ms
    one = await _run(ctx, target, 1)
    outcomes: list[Outcome] = []
    for delivery, goal_ms in zip(one, goals, strict=False):
        outcomes.append(
            judged(
                "B5",
                f"live · 1 process · {delivery.streams:,} streams · event → last delivery",
                delivery.median_ms,
                Goal("<=", goal_ms, f"≤ {goal_ms:.0f} ms"),
                f"{delivery.median_ms:.0f} ms (trigger request "
                f"{statistics.median(delivery.trigger_ms):.0f} ms" + _shortfall(delivery) + ")",
                _delivery_details(delivery),
                failed=bool(_shortfall(delivery)),
            )
        )
    largest = one[-1]
    outcomes.append(
        judged(
            "B5",
            f"live · 1 process · memory per stream at {largest.streams:,} streams",
            largest.rss_kib_per_stream,
            MEMORY_GOAL,
            f"{largest.rss_kib_per_stream:.1f} KiB (RSS delta ÷ streams)",
        )
    )
    reason = await redis_unreachable(ctx.redis_url)
    if reason is not None:
        outcomes.append(skipped("B5", "live · 2 processes with Redis ÷ 1 process", reason))
        return outcomes
    two = await _run(ctx, target, 2)
    for single, double in zip(one, two, strict=True):
        ratio = double.median_ms / single.median_ms if single.median_ms else float("inf")
        # A time-out on either side makes the ratio meaningless: say which one fell short.
        shortfall = _shortfall(double)
        if not shortfall and _shortfall(single):
            shortfall = "; with 1 process:" + _shortfall(single)[1:]
        outcomes.append(
            judged(
                "B5",
                f"live · {double.streams:,} streams · 2 processes with Redis ÷ 1 process",
                ratio,
                RATIO_GOAL,
                f"{ratio:.2f} ({double.median_ms:.0f} ÷ {single.median_ms:.0f} ms)" + shortfall,
                _delivery_details(double),
                failed=bool(shortfall),
            )
        )
    outcomes.append(
        info(
            "B5",
            f"live · 2 processes · memory per stream at {two[-1].streams:,} streams",
            f"{two[-1].rss_kib_per_stream:.1f} KiB",
        )
    )
    return outcomes
