"""What the access rule reads from the database: a participant's view of the script (a
person of the stage: rose and jules in VIP, ines in Prospects), and the SQL form of the
private items rule."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    Table,
    Uuid,
    create_engine,
    select,
    update,
)

from causerie.access import participants as access
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    Response,
    Space,
    SpaceStatus,
)
from causerie.script.timeline import State
from tests.script.conftest import Stage, add_prompt, discussion


def test_a_participant_counts_public_items_and_private_ones_under_their_own_answers() -> None:
    me, other = uuid.UUID(int=1), uuid.UUID(int=2)
    items = Table(
        "item",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("private", Boolean),
        Column("answer_author_id", Uuid),
    )
    rows = [(1, False, me), (2, False, other), (3, True, me), (4, True, other)]
    engine = create_engine("sqlite://")
    items.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            items.insert(), [{"id": i, "private": p, "answer_author_id": a} for i, p, a in rows]
        )
        rule = access.private_items_filter(items.c.private, items.c.answer_author_id, me)
        seen = connection.scalars(select(items.c.id).where(rule).order_by(items.c.id)).all()
    engine.dispose()
    assert seen == [1, 2, 3]
    one_by_one = [i for i, p, a in rows if access.reads_private_item(**_item(p, a == me))]
    assert seen == one_by_one, "the SQL and the rule agree"


def _item(private: bool, author: bool) -> dict[str, bool]:
    return {"private": private, "staff": False, "answer_author": author}


async def _elsewhere(db: Database, stage: Stage) -> uuid.UUID:
    """Another space of the brand, with the outsider as its participant."""
    async with db.writer() as session, session.begin():
        club = await session.get_one(Space, stage.space_id)
        other = Space(
            organization_id=club.organization_id,
            title="Other club",
            objective=club.objective,
            language=club.language,
            time_zone=club.time_zone,
            status=SpaceStatus.open,
            opened_at=club.opened_at,
        )
        session.add(other)
        await session.flush()
        session.add(
            Participant(
                organization_id=club.organization_id,
                space_id=other.id,
                user_id=stage.people["outsider"].id,
                pseudonym="Outsider",
                pseudonym_key="outsider",
                joined_at=club.opened_at,
                consent_terms_version=1,
                consent_at=club.opened_at,
            )
        )
        return other.id


async def _set_status(db: Database, participant_id: uuid.UUID, status: ParticipantStatus) -> None:
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant).where(Participant.id == participant_id).values(status=status)
        )


async def _answer(
    client: httpx.AsyncClient, settings: Settings, stage: Stage, who: str, prompt: dict[str, Any]
) -> None:
    posted = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": "mine"},
        headers=stage.headers(settings, who),
    )
    assert posted.status_code == 201, posted.text


async def test_a_participants_view_holds_their_space_prompts_targets_and_answers(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    tied = await add_prompt(client, stage, settings, discussion(key="tied"))
    both = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="both", segment_ids=[str(stage.vip), str(stage.prospects)]),
    )
    prospects = await add_prompt(
        client, stage, settings, discussion(key="prospects", segment_ids=[str(stage.prospects)])
    )
    gone = await add_prompt(client, stage, settings, discussion(key="gone"))
    headers = stage.headers(settings, "animator")
    assert (
        await client.delete(f"/api/v1/prompts/{gone['id']}", headers=headers)
    ).status_code == 204
    other_space = await _elsewhere(db, stage)
    elsewhere = await client.post(
        f"/api/v1/spaces/{other_space}/prompts", json=discussion(key="elsewhere"), headers=headers
    )
    assert elsewhere.status_code == 201, elsewhere.text
    async with db.writer() as session, session.begin():
        # Same place as the first, smaller id: it comes first, as in the timeline.
        await session.execute(
            update(Prompt)
            .where(Prompt.id == uuid.UUID(str(tied["id"])))
            .values(id=uuid.UUID(int=1), position=first["position"])
        )
        # Moved after the prospects' prompt: the script's order, not the ids'.
        await session.execute(
            update(Prompt)
            .where(Prompt.id == uuid.UUID(str(both["id"])))
            .values(position=int(str(prospects["position"])) + 1)
        )
    await _answer(client, settings, stage, "rose", first)
    await _answer(client, settings, stage, "rose", both)
    async with db.writer() as session, session.begin():
        await session.execute(  # withdrawn: it no longer counts
            update(Response)
            .where(Response.prompt_id == uuid.UUID(str(both["id"])))
            .values(deleted_at=utcnow())
        )
    async with db.reader() as session:
        rose = await session.get_one(Participant, stage.participants["rose"])
        view = await access.load_view(session, rose)
    assert [p.key for p in view.prompts] == ["tied", "first", "prospects", "both"]
    now = utcnow()
    states = {p.key: view.state(p.id, now).state for p in view.prompts}
    assert states == {
        "tied": State.open,
        "first": State.answered,
        "both": State.open,
        "prospects": State.hidden,
    }
    assert uuid.UUID(str(first["id"])) in view.answers
    assert uuid.UUID(str(both["id"])) not in view.answers, "withdrawn"
    as_if_unanswered = {s.prompt_id: s.state for s in view.states(now, answers={})}
    assert as_if_unanswered[uuid.UUID(str(first["id"]))] is State.open
