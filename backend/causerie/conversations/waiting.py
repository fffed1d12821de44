"""Who has not answered an open prompt yet (the console's list, nudges and reminders)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.conversations.context import staff_prompt
from causerie.conversations.schemas import WaitingRead
from causerie.core.clock import utcnow
from causerie.core.principal import Principal
from causerie.models import Participant, ParticipantStatus, Prompt, Space
from causerie.script.timeline import State


async def waiting_participants(
    session: AsyncSession, space: Space, prompt: Prompt, now: datetime
) -> list[Participant]:
    """Active participants for whom the prompt is open now and who have not answered it."""
    participants = list(
        (
            await session.scalars(
                select(Participant)
                .where(
                    Participant.space_id == space.id,
                    Participant.status == ParticipantStatus.active,
                )
                .order_by(Participant.pseudonym_key)
            )
        ).all()
    )
    rules = await access.space_rules(session, space.id)
    return [
        standing.participant
        for standing in await access.standings(session, participants, prompt.id, now, rules=rules)
        if standing.state.state is State.open
    ]


async def list_waiting(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> list[WaitingRead]:
    _prompt, space, _role = await staff_prompt(session, principal, prompt_id)
    return [
        WaitingRead(participant_id=p.id, pseudonym=p.pseudonym)
        for p in await waiting_participants(session, space, _prompt, utcnow())
    ]
