"""Who should hear, live, about a new answer or reply: the same rule as reading it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.models import Participant, ParticipantStatus, Prompt, Space, Visibility
from causerie.script import rules as script_rules
from causerie.script.timeline import State, timeline

SEEN = (State.open, State.answered, State.closed)


async def answer_readers(
    session: AsyncSession, space: Space, prompt: Prompt, now: datetime
) -> set[uuid.UUID]:
    """Users (participants) who may read others' answers to the prompt right now.

    ``open``: everyone the prompt has opened for; ``uninfluenced``: those who answered;
    ``private``: nobody. Computed for the whole space in a constant number of queries.
    """
    if prompt.visibility is Visibility.private:
        return set()
    participants = list(
        (
            await session.scalars(
                select(Participant).where(
                    Participant.space_id == space.id,
                    Participant.status == ParticipantStatus.active,
                )
            )
        ).all()
    )
    prompts = await script_rules.load_prompts(session, space.id)
    rules = await script_rules.load_rules(session, prompts)
    facts = await script_rules.facts_for(session, participants)
    answers = await script_rules.answers_for(session, [p.id for p in participants])
    readers = set()
    for participant in participants:
        mine = answers.get(participant.id, {})
        state = next(
            (
                s.state
                for s in timeline(rules, facts[participant.id], mine, now)
                if s.prompt_id == prompt.id
            ),
            State.hidden,
        )
        if state not in SEEN:
            continue
        if prompt.visibility is Visibility.uninfluenced and prompt.id not in mine:
            continue
        readers.add(participant.user_id)
    return readers
