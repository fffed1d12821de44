"""B7: SQL statements per write in a space of 10 and of 1,000 participants, and per list page
at limit 10 and 100 (the real app in process; the same budgets are ordinary tests too)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from bench.context import Context, Target
from bench.dataset import B7_SIZES, SpaceFacts, answers_of, participants_of
from bench.inprocess import InProcessApp
from bench.report import Goal, Outcome, judged

WRITE_BUDGET = 10
PAGE_BUDGET = 4


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Write:
    name: str
    method: str
    path: Callable[[SpaceFacts, str], str]  # (space, answer id) → path
    body: dict[str, str]
    by_staff: bool


WRITES = (
    Write(
        "answer",
        "POST",
        lambda space, _answer: f"/api/v1/prompts/{space.write_prompts[0]}/responses",
        {"text": "Une réponse de plus."},
        by_staff=False,
    ),
    Write(
        "reply",
        "POST",
        lambda _space, answer: f"/api/v1/responses/{answer}/replies",
        {"text": "Je suis d'accord."},
        by_staff=False,
    ),
    Write(
        "reaction",
        "POST",
        lambda _space, answer: f"/api/v1/responses/{answer}/reactions",
        {"kind": "heart"},
        by_staff=False,
    ),
    Write(
        "probe",
        "POST",
        lambda _space, answer: f"/api/v1/responses/{answer}/probes",
        {"text": "Pouvez-vous préciser ?", "visibility": "public"},
        by_staff=True,
    ),
    Write(
        "note",
        "POST",
        lambda _space, answer: f"/api/v1/responses/{answer}/notes",
        {"text": "À relancer."},
        by_staff=True,
    ),
)


async def _write_counts(
    ctx: Context, app: InProcessApp, target: Target, space: SpaceFacts
) -> dict[str, tuple[int, int]]:
    """(statements, status) of each write, by a participant or a staff member of the space."""
    people = await participants_of(target.url, space.space_id)
    (answer,) = await answers_of(target.url, space.prompts["bienvenue"], 1)
    participant = ctx.token(people[-1])
    staff = ctx.token(target.facts.staff["animator"])
    counts = {}
    for write in WRITES:
        result = await app.call(
            write.method,
            write.path(space, str(answer)),
            staff if write.by_staff else participant,
            write.body,
        )
        counts[write.name] = (len(result.statements), result.status)
    return counts


async def b7_statements(ctx: Context, app: InProcessApp) -> list[Outcome]:
    target = ctx.postgres
    small, large = target.facts.small, target.facts.large
    at_small = await _write_counts(ctx, app, target, small)
    at_large = await _write_counts(ctx, app, target, large)
    outcomes = []
    goal = Goal("<=", WRITE_BUDGET, f"equal, ≤ {WRITE_BUDGET}")
    for write in WRITES:
        (n_small, s_small), (n_large, s_large) = at_small[write.name], at_large[write.name]
        refused = [s for s in (s_small, s_large) if not 200 <= s < 300]
        say(f"B7 {write.name}: {n_small} / {n_large} statements (status {s_small}, {s_large})")
        outcomes.append(
            judged(
                "B7",
                f"statements · {write.name} POST · {B7_SIZES[0]:,} / {B7_SIZES[1]:,} participants",
                max(n_small, n_large),
                goal,
                f"{n_small} / {n_large}" + (f" (HTTP {refused})" if refused else ""),
                {"small": n_small, "large": n_large, "statuses": [s_small, s_large]},
                failed=n_small != n_large or bool(refused),
            )
        )
    journal = target.facts.main.prompts["journal"]
    goal = Goal("<=", PAGE_BUDGET, f"equal, ≤ {PAGE_BUDGET}")
    for who, token in (
        ("staff", ctx.staff_tokens(target)[0]),
        ("participant", ctx.participant_tokens(target, 1)[0]),
    ):
        counts = []
        for limit in (10, 100):
            result = await app.call(
                "GET", f"/api/v1/prompts/{journal}/responses?limit={limit}", token
            )
            if result.status != 200:
                raise RuntimeError(f"the {who} page answered {result.status}")
            counts.append(len(result.statements))
        say(f"B7 {who} page: {counts[0]} / {counts[1]} statements")
        outcomes.append(
            judged(
                "B7",
                f"statements · answers page · {who} · limit 10 / 100",
                max(counts),
                goal,
                f"{counts[0]} / {counts[1]}",
                {"limit_10": counts[0], "limit_100": counts[1]},
                failed=counts[0] != counts[1],
            )
        )
    return outcomes
