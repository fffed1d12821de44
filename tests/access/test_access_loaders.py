"""What the access rule reads from the database: who one is in a space, a participant's view
of the script, and who reads others' answers to a prompt right now (each case a person of
the stage: rose and jules in VIP, ines in Prospects)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
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
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.models import (
    Membership,
    Organization,
    Participant,
    ParticipantStatus,
    Prompt,
    Response,
    Role,
    Space,
    SpaceStatus,
)
from causerie.participants.service import ParticipantSuspended
from causerie.script.timeline import State
from tests.script.conftest import Stage, add_prompt, discussion
from tests.support.factories import create_user


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


async def test_who_reads_others_answers_to_a_prompt_right_now(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    await _elsewhere(db, stage)
    everyone = await add_prompt(client, stage, settings, discussion(key="all", visibility="open"))
    vip = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="vip", visibility="open", segment_ids=[str(stage.vip)]),
    )
    blind = await add_prompt(
        client, stage, settings, discussion(key="blind", visibility="uninfluenced")
    )
    private = await add_prompt(
        client, stage, settings, discussion(key="private", visibility="private")
    )

    async def readers(prompt: dict[str, Any]) -> set[str]:
        async with db.reader() as session:
            row = await session.get_one(Prompt, uuid.UUID(prompt["id"]))
            users = await access.answer_readers(session, stage.space_id, row, utcnow())
        return {name for name, person in stage.people.items() if person.id in users}

    assert await readers(everyone) == {"rose", "jules", "ines"}, "not the other space's"
    assert await readers(vip) == {"rose", "jules"}
    assert await readers(blind) == set(), "nobody answered yet"
    await _answer(client, settings, stage, "rose", blind)
    await _answer(client, settings, stage, "rose", private)
    assert await readers(blind) == {"rose"}
    assert await readers(private) == set()
    await _set_status(db, stage.participants["jules"], ParticipantStatus.suspended)
    assert await readers(everyone) == {"rose", "ines"}


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
            .where(Prompt.id == uuid.UUID(tied["id"]))
            .values(id=uuid.UUID(int=1), position=first["position"])
        )
        # Moved after the prospects' prompt: the script's order, not the ids'.
        await session.execute(
            update(Prompt)
            .where(Prompt.id == uuid.UUID(both["id"]))
            .values(position=prospects["position"] + 1)
        )
    await _answer(client, settings, stage, "rose", first)
    await _answer(client, settings, stage, "rose", both)
    async with db.writer() as session, session.begin():
        await session.execute(  # withdrawn: it no longer counts
            update(Response)
            .where(Response.prompt_id == uuid.UUID(both["id"]))
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
    assert view.answered(uuid.UUID(first["id"]))
    assert not view.answered(uuid.UUID(both["id"]))
    as_if_unanswered = {s.prompt_id: s.state for s in view.states(now, answers={})}
    assert as_if_unanswered[uuid.UUID(first["id"])] is State.open


async def test_who_one_is_in_a_space_staff_role_or_active_participation(
    stage: Stage, db: Database
) -> None:
    admin = await create_user(db, email="admin@example.com", is_platform_admin=True)
    await _elsewhere(db, stage)  # the outsider takes part in another space of the brand

    async def who(principal: Principal) -> tuple[Role | None, uuid.UUID | None]:
        async with db.reader() as session:
            space = await session.get_one(Space, stage.space_id)
            found = await access.viewer(session, principal, space)
        return found.role, found.participant.id if found.participant else None

    def person(name: str) -> Principal:
        return Principal.for_user(stage.people[name].id)

    assert await who(person("owner")) == (Role.owner, None)
    assert await who(person("animator")) == (Role.animator, None)
    assert await who(person("observer")) == (Role.observer, None)
    assert await who(person("rose")) == (None, stage.participants["rose"])
    assert await who(person("outsider")) == (None, None), "staff of another brand, elsewhere"
    assert await who(Principal.for_user(admin.id, is_platform_admin=True)) == (Role.owner, None)
    assert await who(Principal.for_user(uuid.uuid4())) == (None, None), "no such user"
    assert await who(Principal(kind="api_key", organization_id=uuid.uuid4())) == (None, None)
    rose_key = Principal(kind="api_key", user_id=stage.people["rose"].id)
    assert await who(rose_key) == (None, None), "an API key is nobody in a space"
    assert await who(Principal(kind="user")) == (None, None)

    await _set_status(db, stage.participants["jules"], ParticipantStatus.suspended)
    with pytest.raises(ParticipantSuspended):
        await who(person("jules"))
    await _set_status(db, stage.participants["ines"], ParticipantStatus.left)
    assert await who(person("ines")) == (None, None)

    async with db.writer() as session, session.begin():
        await session.execute(
            update(Membership)
            .where(Membership.user_id == stage.people["observer"].id)
            .values(deleted_at=utcnow())
        )
    assert await who(person("observer")) == (None, None), "no longer a member"
    async with db.writer() as session, session.begin():
        space = await session.get_one(Space, stage.space_id)
        await session.execute(
            update(Organization)
            .where(Organization.id == space.organization_id)
            .values(deleted_at=utcnow())
        )
    assert await who(person("animator")) == (None, None), "the brand is gone"


async def test_a_participant_viewer_comes_with_their_segments(stage: Stage, db: Database) -> None:
    async with db.reader() as session:
        space = await session.get_one(Space, stage.space_id)
        rose = await access.viewer(session, Principal.for_user(stage.people["rose"].id), space)
        ines = await access.viewer(session, Principal.for_user(stage.people["ines"].id), space)
        owner = await access.viewer(session, Principal.for_user(stage.people["owner"].id), space)
    assert rose.segment_ids == frozenset({stage.vip})
    assert ines.segment_ids == frozenset({stage.prospects})
    assert owner.segment_ids == frozenset()
