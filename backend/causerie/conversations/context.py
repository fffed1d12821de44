"""Where an answer lives and who is looking at it: the dialogue's shared loaders and guards.

Visible, then permitted: whatever the principal may not read is a 404; what they read but
may not change is a 403. Who reads what is decided by ``access.participants``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, Forbidden, NotFound
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.models import Participant, Prompt, Response, Role, Space
from causerie.organizations import service as organizations_service
from causerie.participants import service as participants_service
from causerie.spaces import service as spaces_service


class EditWindowOver(Conflict):
    code = "response.edit_window_over"
    title = "This can no longer be edited"


class AuthorOnly(Forbidden):
    code = "response.author_only"
    title = "Only its author can change this"


def check_edit_window(created_at: datetime, settings: Settings, what: str) -> None:
    """Answers and replies are edited by their author only within the edit window."""
    if utcnow() > created_at + edit_window(settings):
        raise EditWindowOver(
            f"{what} can be edited for {settings.response_edit_minutes} minutes after posting."
        )


def edit_window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.response_edit_minutes)


async def refuse_staff(
    session: AsyncSession, principal: Principal, space: Space, error: type[Forbidden]
) -> None:
    """Staff of the space's organization see it, so they get a 403 rather than a 404."""
    if await organizations_service.staff_role(session, principal, space.organization_id):
        raise error(error.title + ".")


async def prompt_and_space(session: AsyncSession, prompt_id: uuid.UUID) -> tuple[Prompt, Space]:
    """A live prompt and its live space (visibility is the caller's to check)."""
    row = (
        await session.execute(
            select(Prompt, Space)
            .join(Space, Space.id == Prompt.space_id)
            .where(Prompt.id == prompt_id, Prompt.deleted_at.is_(None), Space.deleted_at.is_(None))
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such prompt.")
    return row[0], row[1]


async def staff_prompt(
    session: AsyncSession, principal: Principal, prompt_id: uuid.UUID
) -> tuple[Prompt, Space, Role]:
    """A prompt of a space the principal is staff of, with their role; 404 otherwise."""
    prompt = await session.scalar(
        select(Prompt).where(Prompt.id == prompt_id, Prompt.deleted_at.is_(None))
    )
    if prompt is None:
        raise NotFound("No such prompt.")
    try:
        space, role = await spaces_service.get_space_for_staff(session, principal, prompt.space_id)
    except NotFound:
        raise NotFound("No such prompt.") from None
    return prompt, space, role


@dataclass(frozen=True)
class Context:
    """A response, where it lives, and who is looking at it."""

    response: Response
    prompt: Prompt
    space: Space
    role: Role | None  # the viewer's staff role, if staff
    participant: Participant | None  # the viewer as participant, if not staff

    @property
    def staff(self) -> bool:
        return self.role is not None

    @property
    def is_author(self) -> bool:
        return self.participant is not None and self.participant.id == self.response.participant_id


async def response_context(
    session: AsyncSession, principal: Principal, response_id: uuid.UUID
) -> Context:
    """The response if the principal may read it; 404 otherwise (whatever the reason).

    One query loads the answer, its prompt and space, and what the principal is there
    (``access.answer_sight``); a second one only for a participant reading someone else's
    answer to a prompt that follows another."""
    found = await access.answer_sight(session, principal, response_id, utcnow())
    if found is None:
        raise NotFound("No such answer.")
    response, prompt, space, sight = found
    if sight.viewer.role is not None:
        return Context(response, prompt, space, sight.viewer.role, None)
    participant = sight.viewer.participant
    if participant is None:
        raise NotFound("No such answer.")
    context = Context(response, prompt, space, None, participant)
    if context.is_author:
        return context
    if not access.reads_answer(
        prompt.visibility, sight.state, answered=sight.answered, author=False
    ):
        raise NotFound("No such answer.")
    return context


def ensure_staff_can_write(context: Context) -> None:
    """Staff writes (replies, reactions, probes, notes) are for owners and animators;
    observers only read (403)."""
    organizations_service.require_role(context.role, *organizations_service.EDITORS)


def ensure_can_write(context: Context) -> None:
    """Who may post under an answer they read: editors among staff, active participants;
    and only while the space is open."""
    if context.staff:
        ensure_staff_can_write(context)
    elif context.participant is None:
        raise NotFound("No such answer.")
    else:
        participants_service.require_active(context.participant)
    spaces_service.require_open(context.space)
