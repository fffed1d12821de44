"""One prompt or one answer as its reader sees it (``prompt_sight``, ``answer_sight``): who
the reader is in its space (staff with their role, an active participant, nobody), and for a
participant the prompt's state and whether they answered it, on the stage of the script
tests (rose and jules in VIP, ines in Prospects, the outsider staff of another brand)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from causerie.access import participants as access
from causerie.core.clock import utcnow
from causerie.core.database import Database, dialect_of
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
)
from causerie.participants.service import ParticipantSuspended
from causerie.script.timeline import State
from tests.access.test_access_loaders import _answer, _elsewhere, _set_status
from tests.script.conftest import Stage, add_prompt, discussion
from tests.support.factories import create_user
from tests.support.statements import count_statements

HOUR = timedelta(hours=1)

# What a reader is to a prompt: their staff role, their participation, their segments,
# the prompt's state for them and whether they answered it.
Seen = tuple[Role | None, uuid.UUID | None, frozenset[uuid.UUID], State, bool]


def _seen(sight: access.Sight) -> Seen:
    participant = sight.viewer.participant
    return (
        sight.viewer.role,
        participant.id if participant else None,
        sight.viewer.segment_ids,
        sight.state,
        sight.answered,
    )


def _person(stage: Stage, name: str) -> Principal:
    return Principal.for_user(stage.people[name].id)


async def _prompt_seen(
    db: Database, principal: Principal, prompt: dict[str, Any] | uuid.UUID, now: datetime
) -> Seen | None:
    prompt_id = prompt if isinstance(prompt, uuid.UUID) else uuid.UUID(str(prompt["id"]))
    async with db.reader() as session:
        found = await access.prompt_sight(session, principal, prompt_id, now)
    if found is None:
        return None
    loaded, space, sight = found
    assert (loaded.id, space.id) == (prompt_id, loaded.space_id), "the prompt and its space"
    return _seen(sight)


async def _answer_seen(
    db: Database, principal: Principal, response_id: uuid.UUID, now: datetime
) -> Seen | None:
    async with db.reader() as session:
        found = await access.answer_sight(session, principal, response_id, now)
    if found is None:
        return None
    response, prompt, space, sight = found
    assert response.id == response_id
    assert (prompt.id, space.id) == (response.prompt_id, response.space_id)
    return _seen(sight)


async def _response_of(db: Database, participant_id: uuid.UUID, prompt: dict[str, Any]) -> Response:
    async with db.reader() as session:
        return (
            await session.scalars(
                select(Response).where(
                    Response.participant_id == participant_id,
                    Response.prompt_id == uuid.UUID(str(prompt["id"])),
                )
            )
        ).one()


async def _answer_at(
    client: httpx.AsyncClient,
    settings: Settings,
    stage: Stage,
    db: Database,
    who: str,
    prompt: dict[str, Any],
    at: datetime,
) -> uuid.UUID:
    """``who`` answers the prompt, as if at ``at``."""
    await _answer(client, settings, stage, who, prompt)
    response = await _response_of(db, stage.participants[who], prompt)
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Response).where(Response.id == response.id).values(created_at=at)
        )
    return response.id


async def _delete(db: Database, model: Any, row_id: uuid.UUID) -> None:
    async with db.writer() as session, session.begin():
        await session.execute(update(model).where(model.id == row_id).values(deleted_at=utcnow()))


# --- the moments and ids aggregated as JSON ---------------------------------------------------


@pytest.fixture
def new_york() -> Iterator[None]:
    """The server's local time zone is not UTC."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "America/New_York")
        time.tzset()
        yield
    time.tzset()


def test_entry_times_read_from_either_database_are_the_same_utc_instants(
    new_york: None,
) -> None:
    sqlite_text = ["2026-03-01 10:00:00.250000", "2026-03-01 09:00:00.000000", None]
    postgres_text = ["2026-03-01T11:00:00.25+01:00", "2026-03-01T09:00:00+00:00"]
    expected = (datetime(2026, 3, 1, 9, tzinfo=UTC), datetime(2026, 3, 1, 10, 0, 0, 250000, UTC))
    for given in (sqlite_text, postgres_text):
        read = access._times(given)
        assert read == expected, "sorted, each the instant the database stored"
        assert [moment.utcoffset() for moment in read] == [timedelta(0), timedelta(0)]
    assert access._times(None) == (), "no entries: PostgreSQL aggregates nothing to null"
    assert access._times([]) == ()


def test_segment_ids_read_from_either_database_are_the_same_ids() -> None:
    vip, prospects = uuid.uuid4(), uuid.uuid4()
    assert access._ids([vip.hex, prospects.hex]) == {vip, prospects}, "SQLite stores hex"
    assert access._ids([str(vip), None]) == {vip}, "PostgreSQL gives the text form"
    assert access._ids(None) == frozenset()
    assert access._ids([]) == frozenset()


def test_a_session_on_postgresql_reads_with_postgresqls_json_aggregate() -> None:
    engine = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1/none")  # not opened
    session = AsyncSession(engine)
    assert dialect_of(session) == "postgresql"
    sql = str(access._sight_statement("postgresql", "prompt").compile(dialect=engine.dialect))
    assert "json_agg(" in sql
    assert "json_group_array(" not in sql, "SQLite's aggregate does not exist on PostgreSQL"


# --- a prompt -----------------------------------------------------------------------------------


async def test_staff_see_a_prompt_with_their_role_and_participants_with_their_state(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    admin = await create_user(db, email="admin@example.com", is_platform_admin=True)
    await _elsewhere(db, stage)  # the outsider takes part in another space of the brand
    talk = await add_prompt(client, stage, settings, discussion(key="talk"))
    now = utcnow()
    vip, prospects = frozenset({stage.vip}), frozenset({stage.prospects})
    nobody: Seen = (None, None, frozenset(), State.hidden, False)

    async def seen(principal: Principal) -> Seen | None:
        return await _prompt_seen(db, principal, talk, now)

    for role in Role:
        assert await seen(_person(stage, role.value)) == (
            role,
            None,
            frozenset(),
            State.hidden,
            False,
        )
    admin_principal = Principal.for_user(admin.id, is_platform_admin=True)
    assert await seen(admin_principal) == (Role.owner, None, frozenset(), State.hidden, False)
    rose, ines = stage.participants["rose"], stage.participants["ines"]
    assert await seen(_person(stage, "rose")) == (None, rose, vip, State.open, False)
    assert await seen(_person(stage, "ines")) == (None, ines, prospects, State.open, False)
    assert await seen(_person(stage, "outsider")) == nobody, "staff of another brand, elsewhere"
    assert await seen(Principal.for_user(uuid.uuid4())) == nobody, "no such user"
    api_key = Principal(kind="api_key", user_id=stage.people["rose"].id)
    assert await seen(api_key) is None, "an API key reads no prompt"
    assert await seen(Principal(kind="user")) is None

    await _set_status(db, stage.participants["jules"], ParticipantStatus.suspended)
    with pytest.raises(ParticipantSuspended):
        await seen(_person(stage, "jules"))
    await _set_status(db, ines, ParticipantStatus.left)
    assert await seen(_person(stage, "ines")) == nobody, "no longer a participant"

    async with db.writer() as session, session.begin():
        await session.execute(
            update(Membership)
            .where(Membership.user_id == stage.people["observer"].id)
            .values(deleted_at=utcnow())
        )
    assert await seen(_person(stage, "observer")) == nobody, "no longer a member"
    async with db.writer() as session, session.begin():
        space = await session.get_one(Space, stage.space_id)
        await session.execute(
            update(Organization)
            .where(Organization.id == space.organization_id)
            .values(deleted_at=utcnow())
        )
    assert await seen(_person(stage, "animator")) == nobody, "the brand is gone"


async def test_a_prompt_is_open_only_to_its_segments_and_answered_from_the_answers_moment(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    opened = (utcnow() - 3 * HOUR).replace(microsecond=0)
    vip_talk = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="vip",
            segment_ids=[str(stage.vip)],
            release={"kind": "at", "at": opened.isoformat()},
            close={"kind": "after_open", "delay_minutes": 240},
        ),
    )
    rose, jules, ines = (stage.participants[name] for name in ("rose", "jules", "ines"))
    vip = frozenset({stage.vip})
    answered_at = opened + HOUR + timedelta(microseconds=500)
    await _answer_at(client, settings, stage, db, "rose", vip_talk, answered_at)
    other_talk = await add_prompt(client, stage, settings, discussion(key="other"))
    await _answer(client, settings, stage, "jules", other_talk)

    async def seen(name: str, now: datetime) -> Seen | None:
        return await _prompt_seen(db, _person(stage, name), vip_talk, now)

    just_before = answered_at - timedelta(microseconds=1)
    assert await seen("rose", just_before) == (None, rose, vip, State.open, True)
    assert await seen("rose", answered_at) == (None, rose, vip, State.answered, True)
    assert await seen("rose", opened + 5 * HOUR) == (None, rose, vip, State.answered, True)
    assert await seen("jules", opened + HOUR) == (None, jules, vip, State.open, False), (
        "an answer to another prompt does not count"
    )
    assert await seen("jules", opened + 4 * HOUR) == (None, jules, vip, State.closed, False)
    assert await seen("jules", opened - HOUR) == (None, jules, vip, State.upcoming, False)
    prospects = frozenset({stage.prospects})
    assert await seen("ines", opened + HOUR) == (None, ines, prospects, State.hidden, False)

    await _delete(db, Response, (await _response_of(db, rose, vip_talk)).id)
    assert await seen("rose", opened + HOUR) == (None, rose, vip, State.open, False), (
        "a withdrawn answer no longer counts"
    )


async def test_a_deleted_prompt_or_space_shows_nothing(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    gone = await add_prompt(client, stage, settings, discussion(key="gone"))
    kept = await add_prompt(client, stage, settings, discussion(key="kept"))
    now = utcnow()
    for name in ("owner", "rose"):
        assert await _prompt_seen(db, _person(stage, name), gone, now) is not None
    await _delete(db, Prompt, uuid.UUID(str(gone["id"])))
    assert await _prompt_seen(db, _person(stage, "owner"), gone, now) is None
    assert await _prompt_seen(db, _person(stage, "rose"), gone, now) is None
    assert await _prompt_seen(db, _person(stage, "owner"), uuid.uuid4(), now) is None
    await _delete(db, Space, stage.space_id)
    assert await _prompt_seen(db, _person(stage, "owner"), kept, now) is None
    assert await _prompt_seen(db, _person(stage, "rose"), kept, now) is None


async def test_a_follow_up_opens_once_its_prompt_is_answered_in_two_queries(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    follow_up = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="next",
            segment_ids=[str(stage.vip)],
            release={"kind": "after_prompt", "prompt_id": first["id"]},
        ),
    )
    later = {"kind": "after_join", "delay_minutes": 60 * 24 * 7}
    later_prompt = await add_prompt(client, stage, settings, discussion(key="later", release=later))
    rose, ines = stage.participants["rose"], stage.participants["ines"]
    vip, prospects = frozenset({stage.vip}), frozenset({stage.prospects})
    now = utcnow()
    with count_statements(db.engine) as statements:
        assert await _prompt_seen(db, _person(stage, "rose"), follow_up, now) == (
            None,
            rose,
            vip,
            State.upcoming,
            False,
        )
    assert statements.count == 2, "the prompt and who one is, then the participant's script"
    with count_statements(db.engine) as statements:
        assert await _prompt_seen(db, _person(stage, "rose"), first, now) == (
            None,
            rose,
            vip,
            State.open,
            False,
        )
    assert statements.count == 1, "a prompt that follows none needs no other"
    assert await _prompt_seen(db, _person(stage, "rose"), later_prompt, now) == (
        None,
        rose,
        vip,
        State.upcoming,
        False,
    ), "a week after joining, two days ago"
    assert await _prompt_seen(db, _person(stage, "ines"), follow_up, now) == (
        None,
        ines,
        prospects,
        State.hidden,
        False,
    )
    await _answer(client, settings, stage, "rose", first)
    assert await _prompt_seen(db, _person(stage, "rose"), follow_up, utcnow()) == (
        None,
        rose,
        vip,
        State.open,
        False,
    )


# --- an answer ----------------------------------------------------------------------------------


async def test_an_answers_reader_is_its_author_another_participant_or_staff(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    talk = await add_prompt(client, stage, settings, discussion(key="talk", visibility="open"))
    follow_up = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="next", release={"kind": "after_prompt", "prompt_id": talk["id"]}),
    )
    rose, jules = stage.participants["rose"], stage.participants["jules"]
    vip = frozenset({stage.vip})
    opened_at = utcnow() - HOUR
    roses = await _answer_at(client, settings, stage, db, "rose", talk, opened_at + HOUR / 2)
    now = utcnow()

    async def seen(name: str, response_id: uuid.UUID, at: datetime = now) -> Seen | None:
        return await _answer_seen(db, _person(stage, name), response_id, at)

    assert await seen("rose", roses) == (None, rose, vip, State.hidden, False), (
        "the author reads their own answer whatever the prompt's state: none is computed"
    )
    assert await seen("jules", roses) == (None, jules, vip, State.open, False)
    jules_at = opened_at + HOUR / 4
    jules_answer = await _answer_at(client, settings, stage, db, "jules", talk, jules_at)
    assert await seen("jules", roses) == (None, jules, vip, State.answered, True)
    assert await seen("jules", roses, jules_at - timedelta(seconds=1)) == (
        None,
        jules,
        vip,
        State.open,
        True,
    )
    assert await seen("rose", jules_answer) == (None, rose, vip, State.answered, True)
    assert await seen("owner", roses) == (Role.owner, None, frozenset(), State.hidden, False)
    assert await seen("outsider", roses) == (None, None, frozenset(), State.hidden, False)
    assert await _answer_seen(db, Principal(kind="api_key"), roses, now) is None
    vip_talk = await add_prompt(
        client, stage, settings, discussion(key="vip", segment_ids=[str(stage.vip)])
    )
    await _answer(client, settings, stage, "rose", vip_talk)
    roses_vip = (await _response_of(db, rose, vip_talk)).id
    prospects = frozenset({stage.prospects})
    ines = stage.participants["ines"]
    assert await seen("jules", roses_vip, utcnow()) == (None, jules, vip, State.open, False)
    not_for_her = (None, ines, prospects, State.hidden, False)
    assert await seen("ines", roses_vip, utcnow()) == not_for_her, "not for her segment"

    await _answer(client, settings, stage, "rose", follow_up)
    follow_up_answer = (await _response_of(db, rose, follow_up)).id
    assert await seen("jules", follow_up_answer) == (None, jules, vip, State.open, False), (
        "jules answered the prompt it follows"
    )
    assert await seen("ines", follow_up_answer) == (None, ines, prospects, State.upcoming, False)


async def test_a_withdrawn_answer_or_one_under_a_deleted_prompt_or_space_shows_nothing(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    talk = await add_prompt(client, stage, settings, discussion(key="talk"))
    other = await add_prompt(client, stage, settings, discussion(key="other"))
    for name in ("rose", "jules"):
        await _answer(client, settings, stage, name, talk)
    await _answer(client, settings, stage, "rose", other)
    roses = (await _response_of(db, stage.participants["rose"], talk)).id
    jules = (await _response_of(db, stage.participants["jules"], talk)).id
    under_other = (await _response_of(db, stage.participants["rose"], other)).id
    now = utcnow()
    assert await _answer_seen(db, _person(stage, "owner"), roses, now) is not None
    await _delete(db, Response, roses)
    assert await _answer_seen(db, _person(stage, "owner"), roses, now) is None
    assert await _answer_seen(db, _person(stage, "owner"), uuid.uuid4(), now) is None
    assert await _answer_seen(db, _person(stage, "owner"), jules, now) is not None
    await _delete(db, Prompt, uuid.UUID(str(talk["id"])))
    assert await _answer_seen(db, _person(stage, "owner"), jules, now) is None
    assert await _answer_seen(db, _person(stage, "owner"), under_other, now) is not None
    await _delete(db, Space, stage.space_id)
    assert await _answer_seen(db, _person(stage, "owner"), under_other, now) is None


# --- many participants --------------------------------------------------------------------------


async def test_each_participant_stands_where_their_own_script_puts_them(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    follow_up = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="next",
            segment_ids=[str(stage.vip)],
            release={"kind": "after_prompt", "prompt_id": first["id"]},
        ),
    )
    await _answer(client, settings, stage, "rose", first)
    await _answer(client, settings, stage, "rose", follow_up)
    await _answer(client, settings, stage, "ines", first)
    async with db.reader() as session:
        participants = [
            await session.get_one(Participant, stage.participants[name])
            for name in ("rose", "jules", "ines")
        ]
        rules = await access.space_rules(session, stage.space_id)
        found = await access.standings(
            session, participants, uuid.UUID(str(follow_up["id"])), utcnow(), rules=rules
        )
    assert [(s.participant.id, s.state.state, s.answered) for s in found] == [
        (stage.participants["rose"], State.answered, True),
        (stage.participants["jules"], State.upcoming, False),
        (stage.participants["ines"], State.hidden, False),
    ]
