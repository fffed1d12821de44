"""Timelines: a participant's own view of the script, and staff's "preview as" at any date.

Both read the one timeline function (``script/timeline.py``) through the same listing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.errors import NotFound
from causerie.core.principal import Principal
from causerie.models import Participant, PromptKind, Space
from causerie.participants import service as participants_service
from causerie.script import rules as script_rules
from causerie.script.forms import to_utc
from causerie.script.schemas import (
    DiaryConfig,
    PollConfig,
    RatingConfig,
    TimelineItem,
    TimelineRead,
)
from causerie.script.timeline import ParticipantFacts, State, timeline
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service


async def _timeline_read(
    session: AsyncSession,
    space: Space,
    facts: ParticipantFacts,
    participant_id: uuid.UUID | None,
    at: datetime,
) -> TimelineRead:
    prompts = await script_rules.load_prompts(session, space.id)
    rules = await script_rules.load_rules(session, prompts)
    answers = await script_rules.answers_of(session, participant_id) if participant_id else {}
    by_id = {prompt.id: prompt for prompt in prompts}
    expected_by_id = {rule.id: rule.expected_entries for rule in rules}
    items = []
    for state in timeline(rules, facts, answers, at):
        if state.state is State.hidden:
            continue
        prompt = by_id[state.prompt_id]
        answer = answers.get(prompt.id)
        opened = state.state is not State.upcoming
        follows = by_id.get(prompt.release_prompt_id) if prompt.release_prompt_id else None
        config = prompt.config or {}
        items.append(
            TimelineItem(
                prompt_id=prompt.id,
                key=prompt.key,
                title=prompt.title,
                kind=prompt.kind,
                required=prompt.required,
                visibility=prompt.visibility,
                body_html=prompt.body_html if opened else None,
                image_url=spaces_service.logo_url(prompt.image_file) if opened else None,
                poll=PollConfig.model_validate(config)
                if opened and prompt.kind is PromptKind.poll
                else None,
                rating=RatingConfig.model_validate(config)
                if opened and prompt.kind is PromptKind.rating
                else None,
                diary=DiaryConfig.model_validate(config)
                if prompt.kind is PromptKind.diary
                else None,
                state=state.state,
                opens_at=state.opens_at,
                closes_at=state.closes_at,
                entries_done=answer.entries_by(at) if answer else 0,
                entries_expected=expected_by_id[prompt.id],
                # Only what surely comes is listed: a date, or a step the participant knows.
                follows_title=follows.title
                if follows is not None and state.state is State.upcoming and not state.opens_at
                else None,
                next_entry_at=script_rules.next_entry_at(
                    prompt, state.opens_at, answer.entry_times if answer else (), at
                )
                if state.state is State.open
                else None,
            )
        )
    return TimelineRead(
        at=at,
        time_zone=space.time_zone,
        items=items,
        answered=sum(1 for item in items if item.state is State.answered),
        expected=len(items),
    )


async def my_timeline(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID
) -> TimelineRead:
    space = await session.scalar(
        select(Space).where(Space.id == space_id, Space.deleted_at.is_(None))
    )
    participant = (
        await participants_service.my_participation(session, principal, space_id) if space else None
    )
    if space is None or participant is None:
        raise NotFound("You are not a participant of this space.")
    facts = await script_rules.participant_facts(session, participant.id, participant.joined_at)
    return await _timeline_read(session, space, facts, participant.id, utcnow())


async def preview_timeline(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    participant_id: uuid.UUID | None,
    segment_id: uuid.UUID | None,
    at: datetime | None,
) -> TimelineRead:
    """The script as a participant (or a newcomer of a segment) would see it at ``at``."""
    space, _role = await spaces_service.get_space_for_staff(session, principal, space_id)
    moment = to_utc(at, space.time_zone) or utcnow()
    if participant_id is not None:
        participant = await session.scalar(
            select(Participant).where(
                Participant.id == participant_id, Participant.space_id == space.id
            )
        )
        if participant is None:
            raise NotFound("No such participant.")
        facts = await script_rules.participant_facts(session, participant.id, participant.joined_at)
        return await _timeline_read(session, space, facts, participant.id, moment)
    segments: frozenset[uuid.UUID] = frozenset()
    if segment_id is not None:
        segments = frozenset(
            await segments_service.live_segment_ids(session, space.id, [segment_id])
        )
    # A newcomer who joined when the space opened (or now, for a draft).
    facts = ParticipantFacts(segment_ids=segments, joined_at=space.opened_at or moment)
    return await _timeline_read(session, space, facts, None, moment)
