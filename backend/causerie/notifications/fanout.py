"""Paging through a prompt's candidate participants with their state, for the ticks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.models import Participant
from causerie.script import rules as script_rules
from causerie.script.timeline import PromptState, State, timeline

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
    rules = await script_rules.load_rules(
        session, await script_rules.load_prompts(session, space_id)
    )
    last: uuid.UUID | None = None
    while True:
        page = candidates.order_by(Participant.id).limit(CHUNK)
        if last is not None:
            page = page.where(Participant.id > last)
        participants = list((await session.scalars(page)).all())
        if not participants:
            return
        last = participants[-1].id
        facts = await script_rules.facts_for(session, participants)
        answers = await script_rules.answers_for(session, [p.id for p in participants])
        yield [
            (
                participant,
                next(
                    (
                        state
                        for state in timeline(
                            rules, facts[participant.id], answers.get(participant.id, {}), now
                        )
                        if state.prompt_id == prompt_id
                    ),
                    PromptState(prompt_id, State.hidden),
                ),
            )
            for participant in participants
        ]
