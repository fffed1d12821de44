"""Revision 0014 gives the "probe" notifications written before it the probe they are
about (from their deduplication key), so that their link opens on the question too."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.migrations import alembic_config, upgrade_async
from causerie.models import (
    Notification,
    Organization,
    Participant,
    Prompt,
    PromptKind,
    Response,
    Space,
    SpaceLanguage,
    SpaceObjective,
    User,
)
from causerie.models.conversations import Probe, ProbeVisibility
from tests.support.databases import PostgresDatabases, SqliteDatabases

BEFORE = "0013_prompt_body_html"


async def _database(databases: SqliteDatabases | PostgresDatabases, tmp_path: Path) -> str:
    if isinstance(databases, PostgresDatabases):
        return await databases.create("notification_probe")
    url = SqliteDatabases.url(tmp_path / "probe.db")
    await upgrade_async(url)
    return url


async def _probe_and_notifications(database: Database) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    now = utcnow()
    async with database.writer() as session, session.begin():
        organization = Organization(name="Brand")
        user = User(email="rose@example.com", display_name="Rose")
        session.add_all([organization, user])
        await session.flush()
        space = Space(
            organization_id=organization.id,
            title="Club",
            objective=SpaceObjective.relationship,
            language=SpaceLanguage.en,
        )
        session.add(space)
        await session.flush()
        participant = Participant(
            organization_id=organization.id,
            space_id=space.id,
            user_id=user.id,
            pseudonym="Rose",
            pseudonym_key="rose",
            joined_at=now,
            consent_terms_version=1,
            consent_at=now,
        )
        prompt = Prompt(
            organization_id=organization.id,
            space_id=space.id,
            key="welcome",
            position=0,
            kind=PromptKind.discussion,
            title="Welcome",
        )
        session.add_all([participant, prompt])
        await session.flush()
        response = Response(
            organization_id=organization.id,
            space_id=space.id,
            prompt_id=prompt.id,
            participant_id=participant.id,
            text="Hello",
        )
        session.add(response)
        await session.flush()
        probe = Probe(
            organization_id=organization.id,
            space_id=space.id,
            prompt_id=prompt.id,
            response_id=response.id,
            participant_id=participant.id,
            text="Which room?",
            text_html="<p>Which room?</p>",
            visibility=ProbeVisibility.private,
            due_at=now + timedelta(days=2),
        )
        session.add(probe)
        await session.flush()
        keys = {
            "probe": f"probe:{probe.id}",
            "probe_overdue": f"probe_overdue:{probe.id}",
            "reply": f"reply:{probe.id}",
            "gone": f"probe:{uuid.uuid4()}",
            "garbled": "probe:not-an-id",
        }
        notifications = {
            name: Notification(
                user_id=user.id,
                organization_id=organization.id,
                space_id=space.id,
                prompt_id=prompt.id,
                kind=key.split(":")[0],
                title="The brand asks you",
                dedup_key=key,
            )
            for name, key in keys.items()
        }
        session.add_all(notifications.values())
        await session.flush()
        return probe.id, {name: n.id for name, n in notifications.items()}


async def test_old_probe_notifications_get_their_probe(
    databases: SqliteDatabases | PostgresDatabases, tmp_path: Path
) -> None:
    url = await _database(databases, tmp_path)
    database = Database.from_url(url)
    try:
        probe_id, notifications = await _probe_and_notifications(database)
        await asyncio.to_thread(command.downgrade, alembic_config(url), BEFORE)
        await upgrade_async(url)
        async with database.reader() as session:
            found = dict(
                (await session.execute(sa.select(Notification.id, Notification.probe_id))).all()
            )
        assert {name: found[key] for name, key in notifications.items()} == {
            "probe": probe_id,
            "probe_overdue": probe_id,
            "reply": None,
            "gone": None,
            "garbled": None,
        }
    finally:
        await database.dispose()
