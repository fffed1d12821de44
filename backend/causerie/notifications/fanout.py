"""Paging through a prompt's candidate participants with their state, for the ticks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.models import Participant
from causerie.script.timeline import PromptState

CHUNK = 500


async def states_in_pages(
    session: AsyncSession,
    candidates: Select[Any],
    *,
    space_id: uuid.UUID,
    prompt_id: uuid.UUID,
    now: datetime,
) -> AsyncIterator[list[tuple[Participant, PromptState]]]:
    """Candidate participants, a page at a time (keyset on id), each with the prompt's state
    for them at ``now`` from the one timeline function; a constant number of queries per page."""
    rules = await access.space_rules(session, space_id)
    last: uuid.UUID | None = None
    while True:
        page = candidates.order_by(Participant.id).limit(CHUNK)
        if last is not None:
            page = page.where(Participant.id > last)
        participants = list((await session.scalars(page)).all())
        if not participants:
            return
        last = participants[-1].id
        yield [
            (standing.participant, standing.state)
            for standing in await access.standings(
                session, participants, prompt_id, now, rules=rules
            )
        ]
