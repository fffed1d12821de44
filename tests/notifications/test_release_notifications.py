"""Release notifications: one per participant and prompt, by answer, by time, by hand —
exactly once, even with two workers or a restart."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import EmailPreference, Notification, OutboxMessage, Participant
from causerie.notifications.release import release_tick
from tests.script.conftest import Stage, add_prompt, discussion, poll

HOUR = timedelta(hours=1)


async def _count(db: Database, model: type, **where: object) -> int:
    async with db.reader() as session:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return int(await session.scalar(stmt) or 0)


async def _notified(db: Database, prompt_id: str) -> dict[uuid.UUID, int]:
    async with db.reader() as session:
        rows = await session.execute(
            select(Notification.user_id, func.count())
            .where(Notification.prompt_id == uuid.UUID(prompt_id))
            .group_by(Notification.user_id)
        )
        return dict(rows.all())


async def test_an_answer_that_opens_a_follow_up_notifies_once_with_an_email(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    lamp = await add_prompt(client, stage, settings, poll(key="lamp"))
    why = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="why",
            title="Why too expensive?",
            release={"kind": "when_answer", "prompt_id": lamp["id"], "option_keys": ["pricey"]},
        ),
    )
    for who, choice in (("rose", "pricey"), ("jules", "love")):
        answered = await client.post(
            f"/api/v1/prompts/{lamp['id']}/responses",
            json={"choices": [choice]},
            headers=stage.headers(settings, who),
        )
        assert answered.status_code == 201
    assert await _notified(db, str(why["id"])) == {stage.people["rose"].id: 1}
    async with db.reader() as session:
        emails = (
            await session.execute(
                select(OutboxMessage.recipient, OutboxMessage.subject).where(
                    OutboxMessage.category == "prompt_opened"
                )
            )
        ).all()
    assert [tuple(row) for row in emails] == [
        ("rose@example.com", "New in Club: Why too expensive?")
    ]
    await release_tick(db, settings, now=utcnow() + HOUR)
    assert await _notified(db, str(why["id"])) == {stage.people["rose"].id: 1}, "not again"


async def test_a_dated_prompt_is_announced_once_to_its_segment_per_preference(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["jules"])
            .values(email_notifications=EmailPreference.off)
        )
    dated = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="dated",
            segment_ids=[str(stage.vip)],
            release={"kind": "at", "at": (utcnow() + HOUR).isoformat()},
        ),
    )
    assert await release_tick(db, settings) == 0, "not open yet"
    later = utcnow() + 2 * HOUR
    assert await release_tick(db, settings, now=later) == 2
    assert await _notified(db, str(dated["id"])) == {
        stage.people["rose"].id: 1,
        stage.people["jules"].id: 1,
    }, "VIP members only (Inès is a prospect)"
    assert await _count(db, OutboxMessage, category="prompt_opened") == 1, "Jules said no e-mail"
    assert await release_tick(db, settings, now=later + HOUR) == 0, "a restart sends nothing again"


async def test_after_join_prompts_reach_each_participant_when_their_delay_passes(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    # Everyone in the stage joined two days ago; Inès joins later.
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["ines"])
            .values(joined_at=utcnow())
        )
    welcome = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="day-one", release={"kind": "after_join", "delay_minutes": 24 * 60}),
    )
    assert await release_tick(db, settings) == 2
    assert await release_tick(db, settings, now=utcnow() + 12 * HOUR) == 0
    assert await release_tick(db, settings, now=utcnow() + 25 * HOUR) == 1
    assert set(await _notified(db, str(welcome["id"]))) == {
        stage.people[name].id for name in ("rose", "jules", "ines")
    }


async def test_a_manual_release_is_announced_by_the_next_tick(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    manual = await add_prompt(
        client, stage, settings, discussion(key="manual", release={"kind": "manual"})
    )
    assert await release_tick(db, settings) == 0
    released = await client.post(
        f"/api/v1/prompts/{manual['id']}/release", headers=stage.headers(settings, "animator")
    )
    assert released.status_code == 200
    assert await release_tick(db, settings, now=utcnow() + timedelta(seconds=1)) == 3


async def test_two_workers_ticking_at_once_notify_each_person_exactly_once(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompts = [
        await add_prompt(client, stage, settings, discussion(key=f"p{index}")) for index in range(4)
    ]
    first, second = (
        Database.from_url(settings.database_url),
        Database.from_url(settings.database_url),
    )
    try:
        results = await asyncio.gather(
            release_tick(first, settings), release_tick(second, settings)
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert sum(results) == 4 * 3
    for prompt in prompts:
        assert sorted((await _notified(db, str(prompt["id"]))).values()) == [1, 1, 1]
    assert await _count(db, OutboxMessage, category="prompt_opened") == 4 * 3


async def test_a_follow_up_added_after_the_answer_is_announced_once_by_the_tick(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    answered = await client.post(
        f"/api/v1/prompts/{first['id']}/responses",
        json={"text": "done"},
        headers=stage.headers(settings, "rose"),
    )
    assert answered.status_code == 201
    later = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="later", release={"kind": "after_prompt", "prompt_id": first["id"]}),
    )
    await release_tick(db, settings, now=utcnow() + timedelta(seconds=1))
    assert await _notified(db, str(later["id"])) == {stage.people["rose"].id: 1}
    assert await release_tick(db, settings, now=utcnow() + 2 * HOUR) == 0


async def test_one_broken_prompt_does_not_stop_the_others(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database, monkeypatch: object
) -> None:
    from causerie.notifications import release

    broken = await add_prompt(client, stage, settings, discussion(key="broken"))
    healthy = await add_prompt(client, stage, settings, discussion(key="healthy"))
    original = release._announce_prompt

    async def flaky(session, settings, prompt_id, now):  # type: ignore[no-untyped-def]
        if str(prompt_id) == broken["id"]:
            raise RuntimeError("boom")
        return await original(session, settings, prompt_id, now)

    monkeypatch.setattr(release, "_announce_prompt", flaky)  # type: ignore[attr-defined]
    await release_tick(db, settings)
    assert len(await _notified(db, str(healthy["id"]))) == 3
    assert await _notified(db, str(broken["id"])) == {}


async def test_an_unanswered_open_prompt_is_reminded_once_after_the_delay(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    from causerie.notifications.reminders import reminder_tick

    prompt = await add_prompt(client, stage, settings, discussion(key="remind-me"))
    await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": "done"},
        headers=stage.headers(settings, "rose"),
    )
    delay = timedelta(hours=settings.reminder_after_open_hours)
    assert await reminder_tick(db, settings) == 0, "opened an hour ago: too soon"
    later = utcnow() + delay
    workers = [Database.from_url(settings.database_url) for _ in range(2)]
    try:
        results = await asyncio.gather(*(reminder_tick(w, settings, now=later) for w in workers))
    finally:
        for worker in workers:
            await worker.dispose()
    assert sum(results) == 2, "Jules and Inès; Rose answered"
    assert await reminder_tick(db, settings, now=later + delay) == 0, "once only"
    async with db.reader() as session:
        kinds = (
            (
                await session.execute(
                    select(Notification.user_id).where(Notification.kind == "reminder")
                )
            )
            .scalars()
            .all()
        )
    assert sorted(kinds) == sorted([stage.people["jules"].id, stage.people["ines"].id])


async def test_after_join_reminders_follow_each_participant_s_own_opening(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    from causerie.notifications.reminders import reminder_tick

    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["ines"])
            .values(joined_at=utcnow())
        )
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="day-one", release={"kind": "after_join", "delay_minutes": 0}),
    )
    delay = timedelta(hours=settings.reminder_after_open_hours)
    assert await reminder_tick(db, settings) == 2, "Rose and Jules joined two days ago"
    assert await reminder_tick(db, settings, now=utcnow() + delay / 2) == 0
    assert await reminder_tick(db, settings, now=utcnow() + delay + HOUR) == 1, "then Inès"
