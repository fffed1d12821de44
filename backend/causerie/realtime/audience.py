"""Who hears of a live event: each stream decides for its own person, from state it holds.

A stream loads its person once (staff roles, active participations) and, lazily, the script
view of a space where it must apply the participant access rule; writes never compute an
audience, so their cost does not grow with the size of the space.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.models import Membership, Organization, Participant, ParticipantStatus, Role
from causerie.models.events import Audience
from causerie.organizations.service import EDITORS
from causerie.realtime.service import LiveEvent

VIEW_TTL = timedelta(seconds=60)


@dataclass
class Listener:
    """One person listening: what they are, and the views of their spaces loaded so far."""

    user_id: uuid.UUID
    roles: dict[uuid.UUID, Role]  # organization id → staff role
    participations: dict[uuid.UUID, Participant]  # space id → active participation
    views: dict[uuid.UUID, tuple[datetime, access.ScriptView]] = field(default_factory=dict)

    @property
    def organization_ids(self) -> set[uuid.UUID]:
        return set(self.roles)

    @property
    def space_ids(self) -> set[uuid.UUID]:
        return set(self.participations)

    def _participant_id(self, space_id: uuid.UUID | None) -> uuid.UUID | None:
        participant = self.participations.get(space_id) if space_id else None
        return participant.id if participant else None

    def needs_view(self, event: LiveEvent, now: datetime) -> uuid.UUID | None:
        """The space whose script view must be (re)loaded before deciding, if any."""
        if event.audience is not Audience.readers or event.space_id not in self.participations:
            return None
        if event.organization_id in self.roles:
            return None
        if self._participant_id(event.space_id) == event.author_participant_id:
            return None
        cached = self.views.get(event.space_id)
        return event.space_id if cached is None or cached[0] + VIEW_TTL < now else None

    def keep_view(self, space_id: uuid.UUID, view: access.ScriptView, now: datetime) -> None:
        self.views[space_id] = (now, view)

    def forget_view_after(self, event: LiveEvent) -> None:
        """My own answer changes what I may read: reload the view before the next decision."""
        mine = event.kind == "response.created" and event.user_id == self.user_id
        if mine and event.space_id is not None:
            self.views.pop(event.space_id, None)

    def hears(self, event: LiveEvent, now: datetime) -> bool:
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
        cached = self.views.get(event.space_id) if event.space_id else None
        if cached is None:
            return False
        view = cached[1]
        prompt = next((p for p in view.prompts if p.id == event.prompt_id), None)
        if prompt is None:
            return False
        return access.reads_answer(
            prompt.visibility,
            view.state(prompt.id, now).state,
            answered=view.answered(prompt.id),
            author=False,
        )


async def load_listener(session: AsyncSession, user_id: uuid.UUID) -> Listener:
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
        participant.space_id: participant
        for participant in (
            await session.scalars(
                select(Participant).where(
                    Participant.user_id == user_id,
                    Participant.status == ParticipantStatus.active,
                )
            )
        ).all()
    }
    return Listener(user_id=user_id, roles=roles, participations=participations)
