"""Dialogue notifications: probe received, overdue nudge once, replies to my answer or thread."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import select

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Notification, OutboxMessage
from causerie.notifications.probes import probe_nudge_tick
from tests.script.conftest import Stage, add_prompt, discussion


async def _kinds(db: Database, stage: Stage, who: str) -> list[str]:
    async with db.reader() as session:
        return sorted(
            (
                await session.scalars(
                    select(Notification.kind).where(Notification.user_id == stage.people[who].id)
                )
            ).all()
        )


async def _answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, prompt: dict
) -> dict:
    response = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": f"{who} answers"},
        headers=stage.headers(settings, who),
    )
    assert response.status_code == 201
    return response.json()


async def test_a_probe_notifies_its_participant_and_nudges_once_when_overdue(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="probed", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    probe = await client.post(
        f"/api/v1/responses/{rose['id']}/probes",
        json={"text": "Which colour?", "visibility": "private"},
        headers=stage.headers(settings, "animator"),
    )
    assert probe.status_code == 201
    assert await _kinds(db, stage, "rose") == ["probe"]
    assert await _kinds(db, stage, "jules") == [], "a private probe concerns Rose only"

    assert await probe_nudge_tick(db, settings) == 0, "not overdue yet"
    later = utcnow() + timedelta(hours=settings.probe_due_hours + 1)
    workers = [Database.from_url(settings.database_url) for _ in range(2)]
    try:
        results = await asyncio.gather(*(probe_nudge_tick(w, settings, now=later) for w in workers))
    finally:
        for worker in workers:
            await worker.dispose()
    assert sum(results) == 1, "two workers, one nudge"
    assert await probe_nudge_tick(db, settings, now=later + timedelta(days=1)) == 0
    assert await _kinds(db, stage, "rose") == ["probe", "probe_overdue"]
    async with db.reader() as session:
        subjects = (
            await session.scalars(
                select(OutboxMessage.subject).where(OutboxMessage.recipient == "rose@example.com")
            )
        ).all()
    assert "Club: The brand asks you a question" in subjects
    assert "Club: A question is waiting for your answer" in subjects


async def test_an_answered_probe_is_never_nudged(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="quick", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    probe = (
        await client.post(
            f"/api/v1/responses/{rose['id']}/probes",
            json={"text": "Why?", "visibility": "public"},
            headers=stage.headers(settings, "animator"),
        )
    ).json()
    answered = await client.post(
        f"/api/v1/probes/{probe['id']}/answer",
        json={"text": "Because"},
        headers=stage.headers(settings, "rose"),
    )
    assert answered.status_code == 201
    later = utcnow() + timedelta(hours=settings.probe_due_hours + 1)
    assert await probe_nudge_tick(db, settings, now=later) == 0


async def test_replies_notify_the_author_and_the_thread_but_not_the_replier(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="talk", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    replies = f"/api/v1/responses/{rose['id']}/replies"
    await client.post(replies, json={"text": "Nice!"}, headers=stage.headers(settings, "jules"))
    assert await _kinds(db, stage, "rose") == ["reply"]
    assert await _kinds(db, stage, "jules") == []
    await client.post(replies, json={"text": "Agreed"}, headers=stage.headers(settings, "ines"))
    assert await _kinds(db, stage, "rose") == ["reply", "reply"]
    assert await _kinds(db, stage, "jules") == ["reply"], "Jules took part in the thread"
    assert await _kinds(db, stage, "ines") == []
    await client.post(
        replies, json={"text": "Thanks all"}, headers=stage.headers(settings, "animator")
    )
    assert await _kinds(db, stage, "rose") == ["reply", "reply", "reply"]


async def test_who_has_not_answered_and_the_nudge(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="waiting"))
    vip_only = await add_prompt(
        client, stage, settings, discussion(key="vip", segment_ids=[str(stage.vip)])
    )
    await _answer(client, stage, settings, "rose", prompt)
    waiting = await client.get(
        f"/api/v1/prompts/{prompt['id']}/waiting", headers=stage.headers(settings, "observer")
    )
    assert [w["pseudonym"] for w in waiting.json()] == ["Ines", "Jules"]
    vip_waiting = await client.get(
        f"/api/v1/prompts/{vip_only['id']}/waiting", headers=stage.headers(settings, "animator")
    )
    assert [w["pseudonym"] for w in vip_waiting.json()] == ["Jules", "Rose"]
    url = f"/api/v1/prompts/{prompt['id']}/nudge"
    assert (await client.post(url, headers=stage.headers(settings, "observer"))).status_code == 403
    assert (await client.post(url, headers=stage.headers(settings, "outsider"))).status_code == 404
    assert (await client.post(url, headers=stage.headers(settings, "rose"))).status_code == 404
    nudged = await client.post(url, headers=stage.headers(settings, "animator"))
    assert nudged.json() == {"waiting": 2, "reminded": 2}
    again = await client.post(url, headers=stage.headers(settings, "animator"))
    assert again.json() == {"waiting": 2, "reminded": 0}, "once a day each"
    assert await _kinds(db, stage, "rose") == []
    assert await _kinds(db, stage, "jules") == ["reminder"]


async def test_the_unsubscribe_link_in_an_email_stops_that_space_emails(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    import re

    prompt = await add_prompt(client, stage, settings, discussion(key="mail", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    await client.post(
        f"/api/v1/responses/{rose['id']}/replies",
        json={"text": "Hello Rose"},
        headers=stage.headers(settings, "jules"),
    )
    async with db.reader() as session:
        # The link waits outside the readable body until the e-mail is sent (issue 9).
        links = await session.scalar(
            select(OutboxMessage.secret_links).where(
                OutboxMessage.recipient == "rose@example.com", OutboxMessage.category == "reply"
            )
        )
    assert links is not None
    match = re.search(r"/unsubscribe#token=([\w.-]+)", " ".join(links))
    assert match, links
    forged = await client.post("/api/v1/unsubscribe", json={"token": match.group(1)[:-3] + "abc"})
    assert forged.status_code == 401
    done = await client.post("/api/v1/unsubscribe", json={"token": match.group(1)})
    assert done.status_code == 200
    assert done.json() == {"space_title": "Club"}
    mine = await client.get(
        f"/api/v1/me/spaces/{stage.space_id}", headers=stage.headers(settings, "rose")
    )
    assert mine.json()["email_notifications"] == "off"
    await client.post(
        f"/api/v1/responses/{rose['id']}/replies",
        json={"text": "Another"},
        headers=stage.headers(settings, "ines"),
    )
    async with db.reader() as session:
        sent = (
            await session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.recipient == "rose@example.com")
            )
        ).all()
    assert len(sent) == 1, "no e-mail after unsubscribing; the in-app notification remains"
    assert await _kinds(db, stage, "rose") == ["reply", "reply"]


async def test_concurrent_answers_to_one_probe_store_one_and_blank_text_is_refused(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="race", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    probe = (
        await client.post(
            f"/api/v1/responses/{rose['id']}/probes",
            json={"text": "Tell us", "visibility": "private"},
            headers=stage.headers(settings, "animator"),
        )
    ).json()
    url = f"/api/v1/probes/{probe['id']}/answer"
    blank = await client.post(
        url, json={"text": "  \n\t "}, headers=stage.headers(settings, "rose")
    )
    assert blank.status_code == 422
    results = await asyncio.gather(
        *(
            client.post(url, json={"text": f"answer {i}"}, headers=stage.headers(settings, "rose"))
            for i in range(3)
        )
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409]


async def test_nothing_nudges_in_a_space_that_is_no_longer_open(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="late", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    await client.post(
        f"/api/v1/responses/{rose['id']}/probes",
        json={"text": "Still there?", "visibility": "private"},
        headers=stage.headers(settings, "animator"),
    )
    closed = await client.patch(
        f"/api/v1/spaces/{stage.space_id}",
        json={"status": "closed"},
        headers=stage.headers(settings, "owner"),
    )
    assert closed.status_code == 200
    nudge = await client.post(
        f"/api/v1/prompts/{prompt['id']}/nudge", headers=stage.headers(settings, "animator")
    )
    assert nudge.status_code == 409
    later = utcnow() + timedelta(hours=settings.probe_due_hours + 1)
    assert await probe_nudge_tick(db, settings, now=later) == 0


async def test_owners_and_animators_hear_of_new_answers_and_participant_replies(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="staff", visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt)
    for who in ("owner", "animator"):
        assert await _kinds(db, stage, who) == ["new_response"], who
    assert await _kinds(db, stage, "observer") == []
    await client.post(
        f"/api/v1/responses/{rose['id']}/replies",
        json={"text": "Me too"},
        headers=stage.headers(settings, "jules"),
    )
    await client.post(
        f"/api/v1/responses/{rose['id']}/replies",
        json={"text": "Thanks"},
        headers=stage.headers(settings, "animator"),
    )
    assert await _kinds(db, stage, "owner") == ["new_reply", "new_response"]
    bell = await client.get("/api/v1/me/notifications", headers=stage.headers(settings, "animator"))
    assert bell.json()["unread_count"] == 2
