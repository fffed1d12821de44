"""Release notifications: announce each prompt to each participant once, when it opens.

Openings come three ways:

- by the participant's own answer (``after_prompt`` / ``when_answer``): announced in the
  answering request, comparing the timeline before and after the answer;
- by time (``at``, ``after_join``) or by an animator's release (``manual``): found by the
  periodic tick below, run by the dispatcher (in-process or ``causerie worker``).

The tick never scans every participant × prompt. One indexed query finds the prompts that
may have opened since they were last announced (``prompt.announced_until``). An ``at`` or
``manual`` prompt has a single opening moment: it is announced once to the space's
participants, then ``announced_until`` moves past it and later ticks skip it. An
``after_join`` prompt opens at ``joined_at + delay``: each tick only reads the participants
who joined in the window ``(announced_until - delay, now - delay]`` (index on
``(space_id, joined_at)``). Each prompt's window is claimed with a conditional update, so two
workers never announce the same slice; and each notification row is unique per person and
prompt, so even a retried slice never notifies anyone twice.
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
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    PromptStatus,
    Space,
    SpaceStatus,
)
from causerie.models.script import ReleaseKind
from causerie.notifications.fanout import states_in_pages
from causerie.notifications.service import Opening, announce_openings
from causerie.script.timeline import State

logger = logging.getLogger("causerie.notifications")


def _due(now: datetime) -> object:
    never_announced = Prompt.announced_until.is_(None)
    return or_(
        and_(
            Prompt.release_kind == ReleaseKind.at,
            Prompt.release_at <= now,
            or_(never_announced, Prompt.announced_until < Prompt.release_at),
        ),
        and_(
            Prompt.release_kind == ReleaseKind.manual,
            Prompt.released_at.is_not(None),
            or_(never_announced, Prompt.announced_until < Prompt.released_at),
        ),
        Prompt.release_kind == ReleaseKind.after_join,
        # Follow-ups open with answers (announced then); a follow-up added or changed
        # after the answers were given is announced once by the tick.
        and_(
            Prompt.release_kind.in_([ReleaseKind.after_prompt, ReleaseKind.when_answer]),
            or_(never_announced, Prompt.announced_until < Prompt.updated_at),
        ),
    )


async def release_tick(
    database: Database, settings: Settings, *, now: datetime | None = None
) -> int:
    """Announce what opened since the last tick; returns how many notifications were new."""
    now = now or utcnow()
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
                    _due(now),  # type: ignore[arg-type]
                )
            )
        ).all()
    created = 0
    for prompt_id in prompt_ids:
        try:
            async with database.writer() as session, session.begin():
                created += await _announce_prompt(session, settings, prompt_id, now)
        except Exception:  # one broken prompt must not stop the others
            logger.exception("announcing prompt %s failed; it is retried next tick", prompt_id)
    return created


async def _announce_prompt(
    session: AsyncSession, settings: Settings, prompt_id: uuid.UUID, now: datetime
) -> int:
    prompt = await session.get_one(Prompt, prompt_id)
    previous = prompt.announced_until
    claimed = await session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id, Prompt.announced_until.is_not_distinct_from(previous))
        # Keep updated_at: announcing is not a change of the prompt (nor for sync).
        .values(announced_until=now, updated_at=Prompt.updated_at)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return 0  # another worker is announcing this window
    candidates = select(Participant).where(
        Participant.space_id == prompt.space_id, Participant.status == ParticipantStatus.active
    )
    if prompt.release_kind is ReleaseKind.after_join:
        delay = timedelta(minutes=prompt.release_delay_minutes)
        candidates = candidates.where(Participant.joined_at <= now - delay)
        if previous is not None:
            candidates = candidates.where(Participant.joined_at > previous - delay)
    space = await session.get_one(Space, prompt.space_id)
    created = 0
    async for page in states_in_pages(
        session, candidates, space_id=space.id, prompt_id=prompt.id, now=now
    ):
        openings = [
            Opening(participant=participant, prompt=prompt)
            for participant, state in page
            if state.state is State.open
        ]
        created += await announce_openings(
            session, settings=settings, space=space, openings=openings
        )
    if created:
        logger.info("announced %s to %d participants", prompt.key, created)
    return created
