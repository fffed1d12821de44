"""Automatic reminders: once per participant and prompt, a set time after it opened for
them (``CAUSERIE_REMINDER_AFTER_OPEN_HOURS``), if they have not answered and it is still open.

Like the release announcements, the tick never scans every participant × prompt: each
prompt keeps ``reminded_until``, the opening moment up to which reminders were considered,
and each tick only reads the participants whose opening falls in the new window —
everyone once for an ``at`` / ``manual`` prompt; new joiners (index on ``joined_at``) for
``after_join``; those who answered the prompt it follows, in the window, for follow-ups.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    Response,
    Space,
    SpaceStatus,
)
from causerie.models.script import ReleaseKind
from causerie.notifications.fanout import states_in_pages
from causerie.notifications.service import Message, notify
from causerie.script.timeline import State
from causerie.spaces import service as spaces_service

logger = logging.getLogger("causerie.notifications")


async def reminder_tick(
    database: Database, settings: Settings, *, now: datetime | None = None
) -> int:
    if settings.reminder_after_open_hours <= 0:
        return 0
    now = now or utcnow()
    threshold = now - timedelta(hours=settings.reminder_after_open_hours)
    never = Prompt.reminded_until.is_(None)
    due = or_(
        and_(
            Prompt.release_kind == ReleaseKind.at,
            Prompt.release_at <= threshold,
            or_(never, Prompt.reminded_until < Prompt.release_at),
        ),
        and_(
            Prompt.release_kind == ReleaseKind.manual,
            Prompt.released_at <= threshold,
            or_(never, Prompt.reminded_until < Prompt.released_at),
        ),
        and_(
            Prompt.release_kind.in_(
                [ReleaseKind.after_join, ReleaseKind.after_prompt, ReleaseKind.when_answer]
            ),
            or_(never, Prompt.reminded_until < threshold),
        ),
    )
    async with database.reader() as session:
        prompt_ids = (
            await session.scalars(
                select(Prompt.id)
                .join(Space, Space.id == Prompt.space_id)
                .where(
                    Prompt.status == PromptStatus.published,
                    Prompt.deleted_at.is_(None),
                    Space.status == SpaceStatus.open,
                    Space.deleted_at.is_(None),
                    due,
                )
            )
        ).all()
    sent = 0
    for prompt_id in prompt_ids:
        try:
            async with database.writer() as session, session.begin():
                sent += await _remind(session, settings, prompt_id, threshold, now)
        except Exception:
            logger.exception("reminders for prompt %s failed; retried next tick", prompt_id)
    return sent


async def _remind(
    session: AsyncSession,
    settings: Settings,
    prompt_id: uuid.UUID,
    threshold: datetime,
    now: datetime,
) -> int:
    prompt = await session.get_one(Prompt, prompt_id)
    previous = prompt.reminded_until
    claimed = await session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id, Prompt.reminded_until.is_not_distinct_from(previous))
        .values(reminded_until=threshold, updated_at=Prompt.updated_at)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return 0
    candidates = select(Participant).where(
        Participant.space_id == prompt.space_id, Participant.status == ParticipantStatus.active
    )
    if prompt.release_kind is ReleaseKind.after_join:
        delay = timedelta(minutes=prompt.release_delay_minutes)
        candidates = candidates.where(Participant.joined_at <= threshold - delay)
        if previous is not None:
            candidates = candidates.where(Participant.joined_at > previous - delay)
    elif prompt.release_kind in (ReleaseKind.after_prompt, ReleaseKind.when_answer):
        answered = select(Response.participant_id).where(
            Response.prompt_id == prompt.release_prompt_id,
            Response.deleted_at.is_(None),
            Response.created_at <= threshold,
        )
        if previous is not None:
            answered = answered.where(Response.created_at > previous)
        candidates = candidates.where(Participant.id.in_(answered))
    space = await session.get_one(Space, prompt.space_id)
    language = spaces_service.language_of(space)
    message = Message(
        kind="reminder",
        dedup_key=f"reminder_auto:{prompt.id}",
        title=translate(language, "reminder.title"),
        body=translate(language, "reminder.body", title=prompt.title, space=space.title),
        link_path=f"/me/spaces/{space.id}/prompts/{prompt.id}",
        prompt_id=prompt.id,
    )
    sent = 0
    async for page in states_in_pages(
        session, candidates, space_id=space.id, prompt_id=prompt.id, now=now
    ):
        # Still open for them, and it opened long enough ago.
        waiting = [
            participant
            for participant, state in page
            if state.state is State.open and state.opens_at and state.opens_at <= threshold
        ]
        sent += await notify(
            session, settings=settings, space=space, participants=waiting, message=message
        )
    return sent
