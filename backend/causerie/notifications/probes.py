"""The overdue-probe nudge: once per probe, when it passes its due time unanswered.

Each due probe is claimed with a conditional update of ``nudged_at`` (so two workers never
nudge the same probe), and the notification is unique per person and probe.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import Participant, ParticipantStatus, Probe, Response, Space, SpaceStatus
from causerie.models.conversations import ProbeStatus
from causerie.notifications.service import Message, notify
from causerie.spaces import service as spaces_service

logger = logging.getLogger("causerie.notifications")


def probe_path(space_id: uuid.UUID, probe: Probe) -> str:
    """The prompt page, opened on the probe (the page focuses ``#probe-<id>``)."""
    return f"/me/spaces/{space_id}/prompts/{probe.prompt_id}#probe-{probe.id}"


async def notify_probe(
    session: AsyncSession, settings: Settings, space: Space, probe: Probe, *, overdue: bool
) -> int:
    """Tell the probed participant (once per probe; once more when it goes overdue)."""
    participant = await session.get(Participant, probe.participant_id)
    if participant is None or participant.status is not ParticipantStatus.active:
        return 0
    language = spaces_service.language_of(space)
    return await notify(
        session,
        settings=settings,
        space=space,
        participants=[participant],
        message=Message(
            kind="probe_overdue" if overdue else "probe",
            dedup_key=f"probe_overdue:{probe.id}" if overdue else f"probe:{probe.id}",
            title=translate(language, "probe.overdue_title" if overdue else "probe.title"),
            body=probe.text,
            link_path=probe_path(space.id, probe),
            prompt_id=probe.prompt_id,
            probe_id=probe.id,
        ),
    )


async def probe_nudge_tick(
    database: Database, settings: Settings, *, now: datetime | None = None
) -> int:
    now = now or utcnow()
    async with database.reader() as session:
        due = (
            await session.scalars(
                select(Probe.id)
                .join(Space, Space.id == Probe.space_id)
                .join(Response, Response.id == Probe.response_id)
                .where(
                    Probe.status == ProbeStatus.open,
                    Probe.due_at <= now,
                    Probe.nudged_at.is_(None),
                    Space.status == SpaceStatus.open,
                    Space.deleted_at.is_(None),
                    Response.deleted_at.is_(None),
                )
            )
        ).all()
    nudged = 0
    for probe_id in due:
        try:
            async with database.writer() as session, session.begin():
                claimed = await session.execute(
                    update(Probe)
                    .where(Probe.id == probe_id, Probe.nudged_at.is_(None))
                    .values(nudged_at=now, updated_at=Probe.updated_at)
                    .execution_options(synchronize_session=False)
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]
                    continue
                probe = await session.get_one(Probe, probe_id)
                space = await session.get_one(Space, probe.space_id)
                nudged += await notify_probe(session, settings, space, probe, overdue=True)
        except Exception:
            logger.exception("nudging probe %s failed; it is retried next tick", probe_id)
    return nudged
