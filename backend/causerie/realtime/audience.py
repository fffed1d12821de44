"""Who hears of a live event: each stream decides for its own person, from state it holds.

A stream loads its person once when it opens (staff roles, active participations, and in
each space their segments and answers); the script of a space (its rules and the
visibility of its prompts) is shared by every stream of the process and reloaded at most
every ``SCRIPT_TTL``. Deciding for an event then reads nothing from the database, so a
write never computes an audience and an event costs the same whatever the number of
streams' spaces. A person's own answer reloads their answers before their next decision.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.models import (
    Membership,
    Organization,
    Participant,
    ParticipantStatus,
    Role,
    Visibility,
)
from causerie.models.events import Audience
from causerie.organizations.service import EDITORS
from causerie.realtime.service import LiveEvent
from causerie.script import rules as script_rules
from causerie.script.timeline import Answer, ParticipantFacts, PromptRule
from causerie.script.timeline import timeline as compute_timeline

SCRIPT_TTL = timedelta(seconds=30)


@dataclass(frozen=True)
class SpaceScript:
    """What every stream of a space shares: the rules and each prompt's visibility."""

    rules: list[PromptRule]
    visibility: dict[uuid.UUID, Visibility]


@dataclass(frozen=True, slots=True)
class Seat:
    """An active participation as a stream keeps it: what deciding needs, no more (a stream
    lives for hours, thousands at once; an ORM object would carry its whole row)."""

    id: uuid.UUID
    organization_id: uuid.UUID
    joined_at: datetime

    @classmethod
    def of(cls, participant: Participant) -> Seat:
        return cls(participant.id, participant.organization_id, participant.joined_at)


@dataclass(slots=True)
class Own:
    """A participant's own facts in one space: segments, join time, answers; and the
    prompts whose answers they were found to read under one script (a right to read that
    time or answering cannot take back, so it is not computed again for that script)."""

    facts: ParticipantFacts
    answers: dict[uuid.UUID, Answer]
    readable: set[uuid.UUID] = field(default_factory=set)
    readable_under: SpaceScript | None = None


@dataclass(slots=True)
class Listener:
    """One person listening: what they are, and their own state in each of their spaces."""

    user_id: uuid.UUID
    roles: dict[uuid.UUID, Role]  # organization id → staff role
    participations: dict[uuid.UUID, Seat]  # space id → active participation
    own: dict[uuid.UUID, Own] = field(default_factory=dict)
    stale: set[uuid.UUID] = field(default_factory=set)

    @property
    def organization_ids(self) -> set[uuid.UUID]:
        return set(self.roles)

    @property
    def space_ids(self) -> set[uuid.UUID]:
        return set(self.participations)

    def _participant_id(self, space_id: uuid.UUID | None) -> uuid.UUID | None:
        participant = self.participations.get(space_id) if space_id else None
        return participant.id if participant else None

    def applies_rule(self, event: LiveEvent) -> uuid.UUID | None:
        """The space whose script the decision needs (a reader who is neither staff nor
        the author), if any."""
        if event.audience is not Audience.readers or event.space_id not in self.participations:
            return None
        if event.organization_id in self.roles:
            return None
        if self._participant_id(event.space_id) == event.author_participant_id:
            return None
        return event.space_id

    def needs_own(self, event: LiveEvent) -> uuid.UUID | None:
        """The space where the person's own state must be (re)loaded first, if any."""
        space_id = self.applies_rule(event)
        if space_id is None:
            return None
        return space_id if space_id in self.stale or space_id not in self.own else None

    def keep_own(self, space_id: uuid.UUID, own: Own) -> None:
        self.own[space_id] = own
        self.stale.discard(space_id)

    def forget_after(self, event: LiveEvent) -> None:
        """My own answer changes what I may read: reload my answers before deciding again."""
        mine = event.kind == "response.created" and event.user_id == self.user_id
        if mine and event.space_id is not None:
            self.stale.add(event.space_id)

    def hears(self, event: LiveEvent, now: datetime, script: SpaceScript | None) -> bool:
        if event.audience is Audience.user:
            return event.user_id == self.user_id
        role = self.roles.get(event.organization_id) if event.organization_id else None
        if event.audience is Audience.editors:
            return role in EDITORS
        mine = self._participant_id(event.space_id)
        if role is not None or (mine is not None and mine == event.author_participant_id):
            return True
        if event.audience is not Audience.readers or mine is None or event.prompt_id is None:
            return False
        own = self.own.get(event.space_id) if event.space_id else None
        visibility = script.visibility.get(event.prompt_id) if script else None
        if script is None or own is None or visibility is None:
            return False
        if own.readable_under is not script:
            own.readable, own.readable_under = set(), script
        if event.prompt_id in own.readable:
            return True
        state = access.state_in(
            compute_timeline(script.rules, own.facts, own.answers, now), event.prompt_id
        )
        reads = access.reads_answer(
            visibility, state.state, answered=event.prompt_id in own.answers, author=False
        )
        if reads:
            own.readable.add(event.prompt_id)
        return reads


async def load_own(session: AsyncSession, seat: Seat) -> Own:
    return Own(
        facts=await script_rules.participant_facts(session, seat.id, seat.joined_at),
        answers=await script_rules.answers_of(session, seat.id),
    )


async def load_script(session: AsyncSession, space_id: uuid.UUID) -> SpaceScript:
    prompts = await script_rules.load_prompts(session, space_id)
    return SpaceScript(
        rules=await script_rules.load_rules(session, prompts),
        visibility={prompt.id: prompt.visibility for prompt in prompts},
    )


async def load_listener(session: AsyncSession, user_id: uuid.UUID) -> Listener:
    """The person as their stream needs them, read once when the stream opens."""
    rows = await session.execute(
        select(Membership.organization_id, Membership.role)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user_id,
            Membership.deleted_at.is_(None),
            Organization.deleted_at.is_(None),
        )
    )
    roles: dict[uuid.UUID, Role] = {row[0]: row[1] for row in rows}
    participations = {
        participant.space_id: Seat.of(participant)
        for participant in (
            await session.scalars(
                select(Participant).where(
                    Participant.user_id == user_id,
                    Participant.status == ParticipantStatus.active,
                )
            )
        ).all()
    }
    listener = Listener(user_id=user_id, roles=roles, participations=participations)
    for space_id, seat in participations.items():
        if seat.organization_id not in roles:
            listener.keep_own(space_id, await load_own(session, seat))
    return listener


class Scripts:
    """The scripts of the spaces this process's streams listen to, shared by all of them:
    one load per space every ``SCRIPT_TTL``, however many streams need it at once."""

    def __init__(self) -> None:
        self._cache: dict[uuid.UUID, tuple[datetime, SpaceScript]] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}

    def fresh(self, space_id: uuid.UUID) -> SpaceScript | None:
        """The space's script if loaded less than ``SCRIPT_TTL`` ago (no waiting)."""
        cached = self._cache.get(space_id)
        return cached[1] if cached is not None and utcnow() < cached[0] + SCRIPT_TTL else None

    async def get(self, space_id: uuid.UUID, database: Database) -> SpaceScript:
        cached = self._cache.get(space_id)
        if cached is not None and utcnow() < cached[0] + SCRIPT_TTL:
            return cached[1]
        lock = self._locks.setdefault(space_id, asyncio.Lock())
        async with lock:
            cached = self._cache.get(space_id)
            if cached is not None and utcnow() < cached[0] + SCRIPT_TTL:
                return cached[1]
            async with database.reader() as session:
                script = await load_script(session, space_id)
            self._cache[space_id] = (utcnow(), script)
            return script
