"""B4: answers and replies posted at a fixed arrival rate (open loop), then by 32 and 100
writers in closed loops, while ``/health`` is probed; on PostgreSQL and on SQLite."""

from __future__ import annotations

import asyncio
import itertools
import random
import sys

from bench.context import Context, Target
from bench.dataset import answers_of
from bench.load import Request, Samples, closed_loop, open_loop
from bench.report import Goal, Outcome, judged
from bench.servers import Server

WRITE_P99_GOAL = Goal("<=", 150, "≤ 150 ms")
HEALTH_P99_GOAL = Goal("<=", 100, "≤ 100 ms")
NO_ERRORS = Goal("==", 0, "0")
LOCKED = "database is locked"
_TEXTS = (
    "Testé ce matin, très agréable.",
    "Je ne suis pas d'accord : le **prix** compte aussi.",
    "Même expérience que toi, la texture change après une semaine.",
    "Merci pour ce retour !",
)


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


class WriteMix:
    """Alternately an answer (each participant once per open discussion, while some are left)
    and a reply under an answer of the big diary, from participants of the main space."""

    def __init__(self, ctx: Context, target: Target, reply_targets: list[str]) -> None:
        self.random = random.Random(7)  # noqa: S311 - a repeatable mix, not a secret
        self.tokens = [ctx.token(person) for person in target.people]
        self.prompts = [str(p) for p in target.facts.main.write_prompts]
        self.reply_targets = reply_targets
        self.slots = itertools.product(range(len(self.prompts)), range(len(self.tokens)))
        self.counter = itertools.count()

    def next(self, *_: int) -> Request:
        text = self.random.choice(_TEXTS)
        if next(self.counter) % 2 == 0:
            slot = next(self.slots, None)
            if slot is not None:
                prompt, person = slot
                return Request(
                    "POST",
                    f"/api/v1/prompts/{self.prompts[prompt]}/responses",
                    self.tokens[person],
                    body={"text": text},
                )
        return Request(
            "POST",
            f"/api/v1/responses/{self.random.choice(self.reply_targets)}/replies",
            self.random.choice(self.tokens),
            body={"text": text},
        )


async def _probing_health(ctx: Context, server: Server, seconds: float) -> Samples:
    return await open_loop(
        server.port,
        lambda _n: Request("GET", "/api/v1/health"),
        rate=ctx.profile.health_rate,
        seconds=seconds,
        time_limit=ctx.profile.request_timeout,
        ok_statuses=(200,),
    )


async def b4_write(ctx: Context, server: Server, target: Target) -> list[Outcome]:
    profile = ctx.profile
    journal = target.facts.main.prompts["journal"]
    mix = WriteMix(ctx, target, [str(a) for a in await answers_of(target.url, journal, 2_000)])
    db = target.label
    locked_before = server.mentions(LOCKED)
    writes, health = await asyncio.gather(
        open_loop(
            server.port,
            mix.next,
            rate=profile.write_rate,
            seconds=profile.write_seconds,
            time_limit=profile.request_timeout,
        ),
        _probing_health(ctx, server, profile.write_seconds),
    )
    say(
        f"B4 {db} open loop {profile.write_rate:.0f}/s: p99 {writes.ms(99):.0f} ms, "
        f"{writes.errors} errors {dict(writes.outcomes)}; /health p99 {health.ms(99):.0f} ms"
    )
    loop = f"{profile.write_rate:.0f}/s × {profile.write_seconds:.0f} s"
    locked, locked_before = server.mentions(LOCKED) - locked_before, server.mentions(LOCKED)
    details = {"writes": writes.summary(), "health": health.summary(), "locked_in_log": locked}
    outcomes = [
        judged(
            "B4",
            f"write · {db} · open loop {loop} · p99",
            writes.ms(99),
            WRITE_P99_GOAL,
            f"{writes.ms(99):.0f} ms (p50 {writes.ms(50):.0f} ms)",
            details,
        ),
        judged(
            "B4",
            f"write · {db} · open loop {loop} · errors",
            writes.errors,
            NO_ERRORS,
            _errors(writes) + (f"; {locked} “{LOCKED}” in the log" if locked else ""),
        ),
        judged(
            "B4",
            f"write · {db} · open loop {loop} · /health p99",
            health.ms(99),
            HEALTH_P99_GOAL,
            f"{health.ms(99):.0f} ms ({health.errors} not 200)",
            failed=health.errors > 0,
        ),
    ]
    for writers in profile.writers:
        writes, health = await asyncio.gather(
            closed_loop(
                server.port,
                mix.next,
                connections=writers,
                seconds=profile.saturated_seconds,
                time_limit=profile.request_timeout,
            ),
            _probing_health(ctx, server, profile.saturated_seconds),
        )
        locked, locked_before = server.mentions(LOCKED) - locked_before, server.mentions(LOCKED)
        say(
            f"B4 {db} {writers} writers: {writes.rps:.1f} req/s, {writes.errors} errors "
            f"{dict(writes.outcomes)}; /health {dict(health.outcomes)}"
        )
        outcomes.append(
            judged(
                "B4",
                f"write · {db} · {writers} writers × {profile.saturated_seconds:.0f} s · "
                "errors, /health not 200",
                writes.errors + health.errors,
                NO_ERRORS,
                f"{_errors(writes)}, /health {health.errors} not 200; "
                f"{writes.rps:.1f} req/s, p50 {writes.ms(50):.0f} ms"
                + (f"; {locked} “{LOCKED}” in the log" if locked else ""),
                {
                    "writes": writes.summary(),
                    "health": health.summary(),
                    "writers": writers,
                    "locked_in_log": locked,
                },
            )
        )
    return outcomes


def _errors(samples: Samples) -> str:
    bad = {k: n for k, n in samples.outcomes.items() if k not in {"200", "201"}}
    if not bad:
        return f"0 of {samples.count}"
    return (
        f"{samples.errors} of {samples.count} ("
        + ", ".join(f"{n}× {k}" for k, n in sorted(bad.items()))
        + ")"
    )
