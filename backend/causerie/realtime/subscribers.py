"""Live events as subscribers of domain events: who hears of an item is who may read it.

Events carry ids only; streams tell clients what changed and clients read it through the
API, which applies the access rule again.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.conversations import replies
from causerie.core.clock import utcnow
from causerie.core.event_catalogue import (
    ProbeAnswered,
    ProbeCreated,
    ReactionToggled,
    ReplyCreated,
    ResponseCreated,
)
from causerie.core.events import Subscribers
from causerie.models import Participant, ParticipantStatus, Prompt, Response
from causerie.models.conversations import Reply
from causerie.organizations import service as organizations_service
from causerie.realtime.service import emit


async def _staff(session: AsyncSession, organization_id: uuid.UUID) -> set[uuid.UUID]:
    return await organizations_service.members_with_role(session, organization_id)


async def _active_user(session: AsyncSession, participant_id: uuid.UUID) -> set[uuid.UUID]:
    """The participant's account, unless they are no longer active."""
    user_id = await session.scalar(
        select(Participant.user_id).where(
            Participant.id == participant_id, Participant.status == ParticipantStatus.active
        )
    )
    return {user_id} if user_id is not None else set()


async def _answer_author(session: AsyncSession, response_id: uuid.UUID) -> set[uuid.UUID]:
    """The answer's author hears live of what happens around it, unless no longer active."""
    author = await session.scalar(select(Response.participant_id).where(Response.id == response_id))
    return await _active_user(session, author) if author is not None else set()


async def _readers(
    session: AsyncSession, space_id: uuid.UUID, prompt_id: uuid.UUID
) -> set[uuid.UUID]:
    prompt = await session.get_one(Prompt, prompt_id)
    return await access.answer_readers(session, space_id, prompt, utcnow())


def register(subscribers: Subscribers) -> None:
    @subscribers.on(ResponseCreated)
    async def answer_posted(session: AsyncSession, event: ResponseCreated) -> None:
        audience = await _staff(session, event.organization_id) | await _readers(
            session, event.space_id, event.prompt_id
        )
        await emit(
            session,
            audience,
            "response.created",
            {"response_id": str(event.response_id), "prompt_id": str(event.prompt_id)},
            space_id=event.space_id,
        )

    @subscribers.on(ReplyCreated)
    async def reply_posted(session: AsyncSession, event: ReplyCreated) -> None:
        reply = await session.get_one(Reply, event.reply_id)
        audience = (
            await _staff(session, event.organization_id)
            | await _answer_author(session, event.response_id)
            | {p.user_id for p in await replies.thread_participants(session, reply)}
        )
        if not reply.private:
            audience |= await _readers(session, event.space_id, event.prompt_id)
        await emit(
            session,
            audience,
            "reply.created",
            {
                "reply_id": str(event.reply_id),
                "response_id": str(event.response_id),
                "prompt_id": str(event.prompt_id),
            },
            space_id=event.space_id,
        )

    @subscribers.on(ReactionToggled)
    async def reaction_changed(session: AsyncSession, event: ReactionToggled) -> None:
        # Whoever can read the item hears of the change (private replies: author and staff).
        audience = await _staff(session, event.organization_id) | await _answer_author(
            session, event.response_id
        )
        private_reply = await session.scalar(
            select(Reply.private).where(Reply.id == event.target_id)
        )
        if not private_reply:
            audience |= await _readers(session, event.space_id, event.prompt_id)
        await emit(
            session,
            audience,
            "reaction.changed",
            {
                "target_id": str(event.target_id),
                "response_id": str(event.response_id),
                "prompt_id": str(event.prompt_id),
            },
            space_id=event.space_id,
        )

    @subscribers.on(ProbeCreated)
    async def probe_asked(session: AsyncSession, event: ProbeCreated) -> None:
        await emit(
            session,
            await _staff(session, event.organization_id)
            | await _active_user(session, event.participant_id),
            "probe.created",
            {"probe_id": str(event.probe_id), "response_id": str(event.response_id)},
            space_id=event.space_id,
        )

    @subscribers.on(ProbeAnswered)
    async def probe_answered(session: AsyncSession, event: ProbeAnswered) -> None:
        await emit(
            session,
            await _staff(session, event.organization_id),
            "probe.answered",
            {"probe_id": str(event.probe_id), "response_id": str(event.response_id)},
            space_id=event.space_id,
        )
