"""A hundred people answering at the same instant: every answer is stored, nobody gets a
500 or "database is locked" (SQLite writers queue in the process, in arrival order)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Response
from tests.performance.crowd import add_crowd
from tests.script.conftest import Stage, add_prompt, discussion
from tests.support.factories import auth_headers

WRITERS = 100


async def test_a_hundred_concurrent_answers_are_all_stored(
    app: FastAPI, client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    crowd = await add_crowd(db, stage.space_id, WRITERS)

    async def answer(index: int) -> httpx.Response:
        user, _participant = crowd[index]
        return await client.post(
            f"/api/v1/prompts/{prompt['id']}/responses",
            json={"text": f"Answer number {index}"},
            headers=auth_headers(settings, user),
        )

    results = await asyncio.gather(*(answer(index) for index in range(WRITERS)))
    failures = [(r.status_code, r.text) for r in results if r.status_code != 201]
    assert failures == []
    async with db.reader() as session:
        stored = await session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.prompt_id == uuid.UUID(str(prompt["id"])))
        )
    assert stored == WRITERS
