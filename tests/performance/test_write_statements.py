"""A write costs the same in a space of 10 or 1,000 participants (issue 11, B7).

Each dialogue write runs a bounded number of SQL statements, the same whatever the size of
the space: no audience is computed and no row is written per member.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Participant, User, participant_segment
from tests.script.conftest import Stage, add_prompt, discussion
from tests.support.statements import count_statements

# Statements per write (transaction control excluded), whatever the size of the space.
BUDGET = {
    "answer": 10,
    "reply by a participant": 10,
    "reply by staff": 10,
    "reaction": 10,
    "probe": 10,
    "note": 10,
}


async def _crowd(db: Database, stage: Stage, extra: int) -> None:
    """``extra`` more active participants in the stage's space (bulk, all in VIP)."""
    if extra <= 0:
        return
    now = utcnow()
    async with db.writer() as session, session.begin():
        organization_id = (
            await session.get_one(Participant, stage.participants["rose"])
        ).organization_id
        users = [
            {"id": uuid.uuid4(), "email": f"crowd-{i}@example.com", "display_name": f"C{i}"}
            for i in range(extra)
        ]
        await session.execute(insert(User), users)
        people = [
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
                "organization_id": organization_id,
                "space_id": stage.space_id,
                "user_id": user["id"],
                "pseudonym": f"Crowd {i}",
                "pseudonym_key": f"crowd {i}",
                "joined_at": now,
                "consent_terms_version": 1,
                "consent_at": now,
            }
            for i, user in enumerate(users)
        ]
        await session.execute(insert(Participant), people)
        await session.execute(
            insert(participant_segment),
            [{"participant_id": p["id"], "segment_id": stage.vip} for p in people],
        )


Write = Callable[[], Awaitable[httpx.Response]]


async def _measure(
    app: FastAPI, client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> dict[str, int]:
    """Statements of each dialogue write, in a fresh conversation."""
    prompt = await add_prompt(client, stage, settings, discussion(key=f"d{uuid.uuid4().hex[:6]}"))
    rose, jules = stage.headers(settings, "rose"), stage.headers(settings, "jules")
    animator = stage.headers(settings, "animator")
    counts: dict[str, int] = {}

    async def run(name: str, call: Write, expected: int) -> httpx.Response:
        with count_statements(app.state.database.engine) as statements:
            response = await call()
        assert response.status_code == expected, (name, response.text)
        counts[name] = statements.count
        return response

    # Jules answers first, so that the prompt (uninfluenced) shows him Rose's answer.
    url = f"/api/v1/prompts/{prompt['id']}/responses"
    await client.post(url, json={"text": "first"}, headers=jules)
    answer = await run("answer", lambda: client.post(url, json={"text": "mine"}, headers=rose), 201)
    on = f"/api/v1/responses/{answer.json()['id']}"
    await run(
        "reply by a participant",
        lambda: client.post(f"{on}/replies", json={"text": "me too"}, headers=jules),
        201,
    )
    await run(
        "reply by staff",
        lambda: client.post(f"{on}/replies", json={"text": "thanks"}, headers=animator),
        201,
    )
    await run(
        "reaction",
        lambda: client.post(f"{on}/reactions", json={"kind": "heart"}, headers=jules),
        200,
    )
    await run(
        "probe",
        lambda: client.post(
            f"{on}/probes", json={"text": "Why?", "visibility": "public"}, headers=animator
        ),
        201,
    )
    await run("note", lambda: client.post(f"{on}/notes", json={"text": "n"}, headers=animator), 201)
    return counts


@pytest.mark.parametrize("crowd", [0, 1_000])
async def test_a_write_runs_a_bounded_number_of_statements(
    app: FastAPI,
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    db: Database,
    crowd: int,
) -> None:
    await _crowd(db, stage, crowd)
    counts = await _measure(app, client, stage, settings)
    over = {name: (count, BUDGET[name]) for name, count in counts.items() if count > BUDGET[name]}
    assert over == {}, f"statements per write over budget (count, budget): {over}"


async def test_a_write_costs_the_same_at_10_and_at_1000_participants(
    app: FastAPI, client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    small = await _measure(app, client, stage, settings)
    await _crowd(db, stage, 1_000)
    large = await _measure(app, client, stage, settings)
    assert large == small
