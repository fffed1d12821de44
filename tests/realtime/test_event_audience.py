"""Live events go to exactly the people who may read the item (ids only)."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Event, User
from causerie.realtime.audience import load_listener, load_script
from causerie.realtime.service import LiveEvent
from tests.script.conftest import Stage, add_prompt, discussion


async def _receivers(db: Database, kind: str, key: str, value: str) -> set[uuid.UUID]:
    """Everyone whose stream hears of the event: each person's listener decides, as a
    stream does (``realtime/audience.py``)."""
    now = utcnow()
    async with db.reader() as session:
        rows = (await session.scalars(select(Event).where(Event.kind == kind))).all()
        events = [LiveEvent.from_row(row) for row in rows if row.payload.get(key) == value]
        assert events, f"no {kind} event for {value}"
        heard = set()
        for user_id in (await session.scalars(select(User.id))).all():
            listener = await load_listener(session, user_id)
            for event in events:
                space_id = listener.applies_rule(event)
                script = await load_script(session, space_id) if space_id else None
                if listener.hears(event, now, script):
                    heard.add(user_id)
    return heard


async def _answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, prompt: dict
) -> dict:
    response = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": f"{who} here"},
        headers=stage.headers(settings, who),
    )
    assert response.status_code == 201
    return response.json()


async def test_new_answers_reach_staff_and_those_allowed_to_read_them(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    people = {name: info.id for name, info in stage.people.items()}
    staff = {people["owner"], people["animator"], people["observer"]}
    uninfluenced = await add_prompt(client, stage, settings, discussion(key="u"))
    await _answer(client, stage, settings, "jules", uninfluenced)
    rose = await _answer(client, stage, settings, "rose", uninfluenced)
    assert await _receivers(db, "response.created", "response_id", rose["id"]) == staff | {
        people["rose"],
        people["jules"],
    }, "Inès has not answered: others' answers are hidden from her"
    private = await add_prompt(client, stage, settings, discussion(key="p", visibility="private"))
    secret = await _answer(client, stage, settings, "ines", private)
    assert await _receivers(db, "response.created", "response_id", secret["id"]) == staff
    for user in (people["rose"], people["jules"], people["ines"], people["outsider"]):
        async with db.reader() as session:
            payloads = (
                await session.scalars(select(Event.payload).where(Event.user_id == user))
            ).all()
        assert all("text" not in payload for payload in payloads), "ids only, never content"


async def test_private_replies_reach_only_the_author_and_staff(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    people = {name: info.id for name, info in stage.people.items()}
    staff = {people["owner"], people["animator"], people["observer"]}
    prompt = await add_prompt(client, stage, settings, discussion(key="o", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    probe = (
        await client.post(
            f"/api/v1/responses/{rose['id']}/probes",
            json={"text": "Why?", "visibility": "private"},
            headers=stage.headers(settings, "animator"),
        )
    ).json()
    assert await _receivers(db, "probe.created", "probe_id", probe["id"]) == staff | {
        people["rose"]
    }
    reply = (
        await client.post(
            f"/api/v1/probes/{probe['id']}/answer",
            json={"text": "Because"},
            headers=stage.headers(settings, "rose"),
        )
    ).json()
    assert await _receivers(db, "reply.created", "reply_id", reply["id"]) == staff | {
        people["rose"]
    }
    public = (
        await client.post(
            f"/api/v1/responses/{rose['id']}/replies",
            json={"text": "Nice"},
            headers=stage.headers(settings, "jules"),
        )
    ).json()
    assert await _receivers(db, "reply.created", "reply_id", public["id"]) == staff | {
        people["rose"],
        people["jules"],
        people["ines"],
    }, "an open prompt's thread is for everyone it opened for"


async def test_reaction_changes_reach_those_who_can_read_the_item(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    people = {name: info.id for name, info in stage.people.items()}
    staff = {people["owner"], people["animator"], people["observer"]}
    prompt = await add_prompt(client, stage, settings, discussion(key="r"))  # uninfluenced
    await _answer(client, stage, settings, "jules", prompt)
    rose = await _answer(client, stage, settings, "rose", prompt)
    toggled = await client.post(
        f"/api/v1/responses/{rose['id']}/reactions",
        json={"kind": "heart"},
        headers=stage.headers(settings, "jules"),
    )
    assert toggled.status_code == 200
    assert await _receivers(db, "reaction.changed", "target_id", rose["id"]) == staff | {
        people["rose"],
        people["jules"],
    }, "Inès has not answered this uninfluenced prompt"
