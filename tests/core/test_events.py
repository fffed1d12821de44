"""Domain events: recorded on the unit of work, reacted to in the same transaction, and
what waits for the commit runs only after it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import FrozenInstanceError

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core import events
from causerie.core.database import Database
from causerie.core.event_catalogue import ALL, ResponseCreated
from causerie.core.settings import Settings
from causerie.models import Notification
from causerie.wiring import install_subscribers
from tests.support.factories import create_user

ORG, SPACE, PROMPT, RESPONSE, PARTICIPANT = (uuid.uuid4() for _ in range(5))


def _answer_event() -> ResponseCreated:
    return ResponseCreated(
        organization_id=ORG,
        space_id=SPACE,
        prompt_id=PROMPT,
        response_id=RESPONSE,
        participant_id=PARTICIPANT,
    )


@pytest.fixture
def subscribers(settings: Settings) -> Iterator[events.Subscribers]:
    """Test subscribers only; the application's are put back afterwards."""
    mine = events.Subscribers()
    events.install(mine)
    yield mine
    install_subscribers(settings)


def test_the_public_event_names_are_stable_and_unique() -> None:
    assert [event.name for event in ALL] == [
        "participant.joined",
        "prompt.released",
        "prompt.opened",
        "response.created",
        "response.edited",
        "reply.created",
        "reply.edited",
        "reaction.toggled",
        "probe.created",
        "probe.answered",
        "note.added",
    ]


def test_an_event_is_immutable_and_holds_ids() -> None:
    event = _answer_event()
    with pytest.raises(FrozenInstanceError):
        event.response_id = uuid.uuid4()  # type: ignore[misc]
    assert event.payload() == {
        "organization_id": str(ORG),
        "space_id": str(SPACE),
        "prompt_id": str(PROMPT),
        "response_id": str(RESPONSE),
        "participant_id": str(PARTICIPANT),
    }


async def test_subscribers_react_in_order_inside_the_unit_of_work(
    db: Database, subscribers: events.Subscribers
) -> None:
    seen: list[tuple[str, uuid.UUID, bool]] = []

    @subscribers.on(ResponseCreated)
    async def first(session: AsyncSession, event: ResponseCreated) -> None:
        seen.append(("first", event.response_id, session is unit))

    @subscribers.on(ResponseCreated)
    async def second(session: AsyncSession, event: ResponseCreated) -> None:
        seen.append(("second", event.response_id, session is unit))

    async with db.writer() as unit, unit.begin():
        await events.record(unit, _answer_event())
        assert seen == [("first", RESPONSE, True), ("second", RESPONSE, True)]
        assert events.recorded(unit) == [_answer_event()]


async def test_a_rolled_back_change_leaves_nothing_its_subscribers_wrote(
    db: Database, subscribers: events.Subscribers
) -> None:
    someone = await create_user(db)

    @subscribers.on(ResponseCreated)
    async def write_a_row(session: AsyncSession, event: ResponseCreated) -> None:
        session.add(
            Notification(user_id=someone.id, kind="x", title="t", dedup_key=str(event.response_id))
        )
        await session.flush()

    class Refused(Exception):
        pass

    async def answer_then_fail() -> None:
        async with db.writer() as unit, unit.begin():
            await events.record(unit, _answer_event())
            raise Refused

    with pytest.raises(Refused):
        await answer_then_fail()
    async with db.reader() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.dedup_key == str(RESPONSE))
        )
    assert count == 0


async def test_recording_without_subscribers_installed_is_a_wiring_error(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "_installed", None)
    async with db.writer() as unit:
        with pytest.raises(events.SubscribersMissing):
            await events.record(unit, _answer_event())


async def test_wakers_get_what_the_unit_of_work_collected_once(db: Database) -> None:
    woken: list[tuple[str, set[object]]] = []

    async def outbox(items: set[object]) -> None:
        woken.append(("outbox", items))

    async def streams(items: set[object]) -> None:
        woken.append(("streams", items))

    async with db.writer() as unit:
        events.wake_after_commit(unit, "outbox")
        events.wake_after_commit(unit, "streams", [1, 2])
        events.wake_after_commit(unit, "streams", [2, 3])
        events.wake_after_commit(unit, "nobody-listens", ["x"])
        await events.run_wakers(unit, {"outbox": outbox, "streams": streams})
        assert woken == [("outbox", set()), ("streams", {1, 2, 3})]
        await events.run_wakers(unit, {"outbox": outbox, "streams": streams})
        assert len(woken) == 2, "a wake-up is handed over once"
