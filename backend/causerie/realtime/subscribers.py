"""Live events as subscribers of domain events: one row per item with its audience rule.

Who hears of an item is who may read it; each stream decides for its own person
(``realtime/audience.py``), so a write never computes an audience and its cost does not
grow with the size of the space. Events carry ids only; clients read the items through the
API, which applies the access rule again.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.event_catalogue import (
    ProbeAnswered,
    ProbeCreated,
    ReactionToggled,
    ReplyCreated,
    ResponseCreated,
)
from causerie.core.events import Subscribers
from causerie.models import Participant, Response
from causerie.models.conversations import Reply
from causerie.models.events import Audience
from causerie.realtime.service import emit


def register(subscribers: Subscribers) -> None:
    @subscribers.on(ResponseCreated)
    async def answer_posted(session: AsyncSession, event: ResponseCreated) -> None:
        # The author hears of it as a reader would (never of a private answer); ``user_id``
        # tells the author's own streams that what they may read has changed.
        author = await session.get_one(Participant, event.participant_id)
        await emit(
            session,
            "response.created",
            {"response_id": str(event.response_id), "prompt_id": str(event.prompt_id)},
            audience=Audience.readers,
            organization_id=event.organization_id,
            space_id=event.space_id,
            prompt_id=event.prompt_id,
            user_id=author.user_id,
        )

    @subscribers.on(ReplyCreated)
    async def reply_posted(session: AsyncSession, event: ReplyCreated) -> None:
        # A private reply (to a private probe) is for the answer's author and staff only.
        # Both were loaded by the replying request: read from the unit of work.
        private = (await session.get_one(Reply, event.reply_id)).private
        author = (await session.get_one(Response, event.response_id)).participant_id
        await emit(
            session,
            "reply.created",
            {
                "reply_id": str(event.reply_id),
                "response_id": str(event.response_id),
                "prompt_id": str(event.prompt_id),
            },
            audience=Audience.staff if private else Audience.readers,
            organization_id=event.organization_id,
            space_id=event.space_id,
            prompt_id=event.prompt_id,
            author_participant_id=author,
        )

    @subscribers.on(ReactionToggled)
    async def reaction_changed(session: AsyncSession, event: ReactionToggled) -> None:
        reply = (
            await session.get(Reply, event.target_id)
            if event.target_id != event.response_id
            else None
        )
        private_reply = reply is not None and reply.private
        author = (await session.get_one(Response, event.response_id)).participant_id
        await emit(
            session,
            "reaction.changed",
            {
                "target_id": str(event.target_id),
                "response_id": str(event.response_id),
                "prompt_id": str(event.prompt_id),
            },
            audience=Audience.staff if private_reply else Audience.readers,
            organization_id=event.organization_id,
            space_id=event.space_id,
            prompt_id=event.prompt_id,
            author_participant_id=author,
        )

    @subscribers.on(ProbeCreated)
    async def probe_asked(session: AsyncSession, event: ProbeCreated) -> None:
        await emit(
            session,
            "probe.created",
            {"probe_id": str(event.probe_id), "response_id": str(event.response_id)},
            audience=Audience.staff,
            organization_id=event.organization_id,
            space_id=event.space_id,
            author_participant_id=event.participant_id,
        )

    @subscribers.on(ProbeAnswered)
    async def probe_answered(session: AsyncSession, event: ProbeAnswered) -> None:
        await emit(
            session,
            "probe.answered",
            {"probe_id": str(event.probe_id), "response_id": str(event.response_id)},
            audience=Audience.staff,
            organization_id=event.organization_id,
            space_id=event.space_id,
        )
