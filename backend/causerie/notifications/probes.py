"""The overdue-probe nudge: once per probe, when it passes its due time unanswered.

Each due probe is claimed with a conditional update of ``nudged_at`` (so two workers never
nudge the same probe), and the notification is unique per person and probe.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Probe, Response, Space, SpaceStatus
from causerie.models.conversations import ProbeStatus

logger = logging.getLogger("causerie.notifications")


async def probe_nudge_tick(
    database: Database, settings: Settings, *, now: datetime | None = None
) -> int:
    from causerie.conversations.service import notify_probe

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
