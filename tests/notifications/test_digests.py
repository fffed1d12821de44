"""Daily digests: once a day per person and space, only when something happened."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select, update

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import EmailPreference, OutboxMessage, Participant
from causerie.notifications.digests import digest_tick
from tests.script.conftest import Stage, add_prompt, discussion


async def _digests(db: Database) -> list[tuple[str, str]]:
    async with db.reader() as session:
        rows = await session.execute(
            select(OutboxMessage.recipient, OutboxMessage.body_text).where(
                OutboxMessage.category == "digest"
            )
        )
        return sorted((recipient, body or "") for recipient, body in rows)


async def test_digests_summarize_the_day_once_for_chosen_participants_and_staff(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["jules"])
            .values(email_notifications=EmailPreference.digest)
        )
    now = datetime.now(UTC).replace(hour=settings.digest_hour_utc, minute=30)
    assert await digest_tick(db, settings, now=now) == 0, "nothing happened yet"
    prompt = await add_prompt(client, stage, settings, discussion(key="day"))
    from causerie.notifications.release import release_tick

    await release_tick(db, settings)  # everyone is told the prompt opened
    await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": "hi"},
        headers=stage.headers(settings, "rose"),
    )
    before_the_hour = now.replace(hour=settings.digest_hour_utc - 1)
    assert await digest_tick(db, settings, now=before_the_hour) == 0, "not before the hour"
    workers = [Database.from_url(settings.database_url) for _ in range(2)]
    try:
        results = await asyncio.gather(*(digest_tick(w, settings, now=now) for w in workers))
    finally:
        for worker in workers:
            await worker.dispose()
    assert sum(results) == 3, "Jules (digest), the owner and the animator — once"
    digests = await _digests(db)
    assert [recipient for recipient, _ in digests] == [
        "animator@example.com",
        "jules@example.com",
        "owner@example.com",
    ]
    jules = dict(digests)["jules@example.com"]
    assert "Your first impressions" in jules
    assert "1 new answers" in dict(digests)["owner@example.com"]
    assert await digest_tick(db, settings, now=now + timedelta(minutes=20)) == 0, "once a day"
