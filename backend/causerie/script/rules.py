"""Checks that a whole script can work, before anything is saved; and the DB → timeline facts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.errors import InvalidInput
from causerie.models import Participant, Prompt, PromptKind, PromptStatus, Response
from causerie.models.participants import participant_segment
from causerie.models.script import CloseKind, ReleaseKind, prompt_segment
from causerie.script.timeline import Answer, Close, ParticipantFacts, PromptRule, Release

DIARY_PERIODS = {"day": timedelta(days=1), "week": timedelta(weeks=1)}


class InvalidRule(InvalidInput):
    code = "script.invalid_rule"
    title = "This rule cannot work"


@dataclass(frozen=True)
class Draft:
    """What validation needs to know of one prompt of the prospective script."""

    id: uuid.UUID
    key: str
    kind: PromptKind
    release_kind: ReleaseKind
    release_at_set: bool
    release_prompt_id: uuid.UUID | None
    option_keys: tuple[str, ...]
    poll_options: tuple[str, ...]
    close_kind: CloseKind
    close_at_set: bool
    close_delay: int


def draft_of(prompt: Prompt) -> Draft:
    return Draft(
        id=prompt.id,
        key=prompt.key,
        kind=prompt.kind,
        release_kind=prompt.release_kind,
        release_at_set=prompt.release_at is not None,
        release_prompt_id=prompt.release_prompt_id,
        option_keys=tuple(prompt.release_option_keys or ()),
        poll_options=tuple(option["key"] for option in (prompt.config or {}).get("options", [])),
        close_kind=prompt.close_kind,
        close_at_set=prompt.close_at is not None,
        close_delay=prompt.close_after_minutes,
    )


def validate_script(drafts: list[Draft]) -> None:
    """Refuse rules that cannot work, naming the prompt and the reason."""
    by_id = {draft.id: draft for draft in drafts}
    for draft in drafts:
        _check_one(draft, by_id)
    _check_cycles(by_id)


def _fail(draft: Draft, reason: str) -> InvalidRule:
    return InvalidRule(f"Prompt {draft.key!r}: {reason}")


def _check_one(draft: Draft, by_id: dict[uuid.UUID, Draft]) -> None:
    if draft.release_kind is ReleaseKind.at and not draft.release_at_set:
        raise _fail(draft, "an 'at' release needs a date and time.")
    if draft.close_kind is CloseKind.at and not draft.close_at_set:
        raise _fail(draft, "an 'at' close needs a date and time.")
    if draft.close_kind is CloseKind.after_open and draft.close_delay <= 0:
        raise _fail(draft, "closing after it opens needs a delay.")
    if draft.release_kind not in (ReleaseKind.after_prompt, ReleaseKind.when_answer):
        return
    if draft.release_prompt_id is None:
        raise _fail(draft, "choose the prompt this one follows.")
    target = by_id.get(draft.release_prompt_id)
    if target is None:
        raise _fail(draft, "it follows a prompt that is not in this script (deleted?).")
    if target.id == draft.id:
        raise _fail(draft, "a prompt cannot follow itself.")
    if draft.release_kind is ReleaseKind.when_answer:
        if target.kind is not PromptKind.poll:
            raise _fail(draft, f"it branches on {target.key!r}, which is not a poll.")
        if not draft.option_keys:
            raise _fail(draft, f"choose the options of {target.key!r} that open it.")
        unknown = sorted(set(draft.option_keys) - set(target.poll_options))
        if unknown:
            raise _fail(
                draft, f"{target.key!r} has no option {', '.join(repr(k) for k in unknown)}."
            )


def _check_cycles(by_id: dict[uuid.UUID, Draft]) -> None:
    done: set[uuid.UUID] = set()
    for start in by_id:
        path: list[uuid.UUID] = []
        current: uuid.UUID | None = start
        while current is not None and current not in done:
            if current in path:
                cycle = [by_id[node].key for node in path[path.index(current) :]]
                raise InvalidRule(
                    f"Prompt {by_id[current].key!r}: its rules form a cycle "
                    f"({' → '.join([*cycle, by_id[current].key])})."
                )
            path.append(current)
            draft = by_id.get(current)
            current = draft.release_prompt_id if draft else None
        done.update(path)


# --- diaries: one entry per period from when the prompt opened -----------------------------


def diary_period(prompt: Prompt) -> timedelta:
    return DIARY_PERIODS[(prompt.config or {}).get("period", "day")]


def entry_index(prompt: Prompt, opens_at: datetime | None, moment: datetime) -> int:
    """The period a diary entry written at ``moment`` belongs to (0 for other kinds)."""
    if prompt.kind is not PromptKind.diary or opens_at is None:
        return 0
    return int((moment - opens_at) / diary_period(prompt))


def next_entry_at(
    prompt: Prompt, opens_at: datetime | None, entry_times: Sequence[datetime], at: datetime
) -> datetime | None:
    """For a diary that already has its entry for the current period: when the next period
    starts (the next entry can be written). None when an entry can be written at ``at``,
    or for other kinds."""
    if prompt.kind is not PromptKind.diary or opens_at is None:
        return None
    current = entry_index(prompt, opens_at, at)
    if not any(
        time <= at and entry_index(prompt, opens_at, time) == current for time in entry_times
    ):
        return None
    return opens_at + (current + 1) * diary_period(prompt)


# --- database → timeline facts ------------------------------------------------------------


def rule_of(prompt: Prompt, segment_ids: frozenset[uuid.UUID]) -> PromptRule:
    diary = (prompt.config or {}) if prompt.kind is PromptKind.diary else {}
    return PromptRule(
        id=prompt.id,
        position=prompt.position,
        release=Release(
            kind=prompt.release_kind,
            at=prompt.release_at,
            delay=timedelta(minutes=prompt.release_delay_minutes),
            prompt_id=prompt.release_prompt_id,
            option_keys=frozenset(prompt.release_option_keys or ()),
            released_at=prompt.released_at,
        ),
        close=Close(
            kind=prompt.close_kind,
            at=prompt.close_at,
            delay=timedelta(minutes=prompt.close_after_minutes),
            closed_at=prompt.closed_at,
        ),
        published=prompt.status is PromptStatus.published,
        segment_ids=segment_ids,
        expected_entries=int(diary.get("entries", 1)),
    )


async def load_prompts(session: AsyncSession, space_id: uuid.UUID) -> list[Prompt]:
    return list(
        (
            await session.scalars(
                select(Prompt)
                .where(Prompt.space_id == space_id, Prompt.deleted_at.is_(None))
                .order_by(Prompt.position, Prompt.id)
            )
        ).all()
    )


async def segments_by_prompt(
    session: AsyncSession, prompt_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    result: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if prompt_ids:
        rows = await session.execute(
            select(prompt_segment.c.prompt_id, prompt_segment.c.segment_id).where(
                prompt_segment.c.prompt_id.in_(prompt_ids)
            )
        )
        for prompt_id, segment_id in rows:
            result[prompt_id].append(segment_id)
    return result


async def load_rules(session: AsyncSession, prompts: list[Prompt]) -> list[PromptRule]:
    segments = await segments_by_prompt(session, [p.id for p in prompts])
    return [rule_of(p, frozenset(segments.get(p.id, ()))) for p in prompts]


async def participant_facts(
    session: AsyncSession, participant_id: uuid.UUID, joined_at: datetime
) -> ParticipantFacts:
    segment_ids = (
        await session.scalars(
            select(participant_segment.c.segment_id).where(
                participant_segment.c.participant_id == participant_id
            )
        )
    ).all()
    return ParticipantFacts(segment_ids=frozenset(segment_ids), joined_at=joined_at)


async def answers_of(session: AsyncSession, participant_id: uuid.UUID) -> dict[uuid.UUID, Answer]:
    return (await answers_for(session, [participant_id])).get(participant_id, {})


async def answers_for(
    session: AsyncSession, participant_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[uuid.UUID, Answer]]:
    """Every listed participant's answers, by participant then prompt, in one query."""
    if not participant_ids:
        return {}
    rows = await session.execute(
        select(Response.participant_id, Response.prompt_id, Response.created_at, Response.choices)
        .where(Response.participant_id.in_(participant_ids), Response.deleted_at.is_(None))
        .order_by(Response.created_at)
    )
    times: dict[tuple[uuid.UUID, uuid.UUID], list[datetime]] = defaultdict(list)
    options: dict[tuple[uuid.UUID, uuid.UUID], set[str]] = defaultdict(set)
    for participant_id, prompt_id, created_at, choices in rows:
        times[(participant_id, prompt_id)].append(created_at)
        options[(participant_id, prompt_id)].update(choices or ())
    result: dict[uuid.UUID, dict[uuid.UUID, Answer]] = defaultdict(dict)
    for (participant_id, prompt_id), entries in times.items():
        result[participant_id][prompt_id] = Answer(
            entry_times=tuple(entries), option_keys=frozenset(options[(participant_id, prompt_id)])
        )
    return result


async def facts_for(
    session: AsyncSession, participants: list[Participant]
) -> dict[uuid.UUID, ParticipantFacts]:
    """Segments and join time of many participants, in one query."""
    segments: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    if participants:
        rows = await session.execute(
            select(participant_segment.c.participant_id, participant_segment.c.segment_id).where(
                participant_segment.c.participant_id.in_([p.id for p in participants])
            )
        )
        for participant_id, segment_id in rows:
            segments[participant_id].add(segment_id)
    return {
        p.id: ParticipantFacts(segment_ids=frozenset(segments[p.id]), joined_at=p.joined_at)
        for p in participants
    }
