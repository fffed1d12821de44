"""Daily digests: at most one e-mail a day per person and space, only when something happened.

- Participants who chose "daily digest": their notifications of the last 24 hours.
- Owners and animators: the space's new answers, replies and answered probes.

``digest_log`` (unique per person, space, day and kind) makes each digest exactly once, even
with several workers; the tick runs with the others and sends once the day's time has come.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.database import Database, insert_for
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import (
    DigestLog,
    EmailPreference,
    Notification,
    Participant,
    ParticipantStatus,
    Probe,
    Reply,
    Response,
    Space,
    SpaceStatus,
    User,
)
from causerie.models.conversations import ProbeStatus
from causerie.organizations import service as organizations_service
from causerie.outbox import service as outbox
from causerie.outbox.email import public_url, render_branded_email
from causerie.spaces import service as spaces_service

logger = logging.getLogger("causerie.notifications")
DAY = timedelta(days=1)


async def _claim(
    session: AsyncSession, user_id: uuid.UUID, space_id: uuid.UUID, day: object, kind: str
) -> bool:
    statement = (
        insert_for(session)(DigestLog)
        .values(
            id=uuid.uuid4(),
            created_at=utcnow(),
            user_id=user_id,
            space_id=space_id,
            day=day,
            kind=kind,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "space_id", "day", "kind"])
        .returning(DigestLog.id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


def _send(
    session: AsyncSession,
    settings: Settings,
    space: Space,
    recipient: str,
    intro: str,
    lines: list[str],
    link: str,
) -> None:
    language = spaces_service.language_of(space)
    text, html = render_branded_email(
        language=language,
        brand_name=space.title,
        accent_color=space.accent_color,
        logo_url=None,
        heading=translate(language, "digest.heading", space=space.title),
        paragraphs=[intro, *lines],
        button_label=translate(language, "digest.button", space=space.title),
        button_url=public_url(settings, link),
        footer=translate(language, "digest.footer"),
    )
    outbox.enqueue_email(
        session,
        organization_id=space.organization_id,
        category="digest",
        recipient=recipient,
        subject=translate(language, "digest.subject", space=space.title),
        text=text,
        html=html,
        language=language,
    )


async def digest_tick(
    database: Database, settings: Settings, *, now: datetime | None = None
) -> int:
    """Send the digests due today; returns how many e-mails were queued."""
    now = now or utcnow()
    if now.hour < settings.digest_hour_utc:
        return 0
    async with database.reader() as session:
        space_ids = (
            await session.scalars(
                select(Space.id).where(Space.status == SpaceStatus.open, Space.deleted_at.is_(None))
            )
        ).all()
    sent = 0
    for space_id in space_ids:
        try:
            async with database.writer() as session, session.begin():
                sent += await _space_digests(session, settings, space_id, now)
        except Exception:
            logger.exception("digests for space %s failed; retried next tick", space_id)
    return sent


async def _space_digests(
    session: AsyncSession, settings: Settings, space_id: uuid.UUID, now: datetime
) -> int:
    space = await session.get_one(Space, space_id)
    since, today = now - DAY, now.date()
    language = spaces_service.language_of(space)
    sent = 0
    # Participants who chose the digest: their notifications of the day.
    rows = await session.execute(
        select(Participant.user_id, User.email, Notification.title, Notification.body)
        .join(User, User.id == Participant.user_id)
        .join(
            Notification,
            (Notification.user_id == Participant.user_id) & (Notification.space_id == space.id),
        )
        .where(
            Participant.space_id == space.id,
            Participant.status == ParticipantStatus.active,
            Participant.email_notifications == EmailPreference.digest,
            Notification.created_at > since,
        )
        .order_by(Participant.user_id, Notification.created_at)
    )
    by_person: dict[tuple[uuid.UUID, str], list[str]] = {}
    for user_id, email, title, body in rows:
        by_person.setdefault((user_id, email), []).append(f"• {title} — {body}")
    for (user_id, email), lines in by_person.items():
        if await _claim(session, user_id, space.id, today, "participant"):
            intro = translate(language, "digest.participant_intro", space=space.title)
            _send(session, settings, space, email, intro, lines[:20], f"/me/spaces/{space.id}")
            sent += 1
    # Owners and animators: the space's activity of the day.
    counts = {
        "responses": await session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.space_id == space.id, Response.created_at > since)
        ),
        "replies": await session.scalar(
            select(func.count())
            .select_from(Reply)
            .where(Reply.space_id == space.id, Reply.created_at > since)
        ),
        "probes": await session.scalar(
            select(func.count())
            .select_from(Probe)
            .where(
                Probe.space_id == space.id,
                Probe.status == ProbeStatus.answered,
                Probe.answered_at > since,
            )
        ),
    }
    if not any(counts.values()):
        return sent
    staff = await session.execute(
        select(User.id, User.email).where(
            User.id.in_(
                organizations_service.members_with_role(
                    space.organization_id, organizations_service.EDITORS
                )
            )
        )
    )
    intro = translate(
        language,
        "digest.staff_intro",
        space=space.title,
        **{k: int(v or 0) for k, v in counts.items()},
    )
    for user_id, email in staff:
        if await _claim(session, user_id, space.id, today, "staff"):
            _send(session, settings, space, email, intro, [], f"/spaces/{space.id}?tab=console")
            sent += 1
    return sent
