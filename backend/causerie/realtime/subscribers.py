"""Live events as subscribers of domain events: one row per item with its audience rule.

Who hears of an item is who may read it; each stream decides for its own person
(``realtime/audience.py``), so a write never computes an audience and its cost does not
grow with the size of the space. Events carry ids only; clients read the items through the
API, which applies the access rule again.
"""

from __future__ import annotations

import uuid

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
        await _around_answer(
            session,
            event,
            "reply.created",
            {"reply_id": str(event.reply_id)},
            on_reply=event.reply_id,
        )

    @subscribers.on(ReactionToggled)
    async def reaction_changed(session: AsyncSession, event: ReactionToggled) -> None:
        on_reply = event.target_id if event.target_id != event.response_id else None
        await _around_answer(
            session,
            event,
            "reaction.changed",
            {"target_id": str(event.target_id)},
            on_reply=on_reply,
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


async def _around_answer(
    session: AsyncSession,
    event: ReplyCreated | ReactionToggled,
    kind: str,
    ids: dict[str, str],
    *,
    on_reply: uuid.UUID | None,
) -> None:
    """Something said under an answer: its readers hear of it, except under a private reply
    (to a private probe), which only the answer's author and staff read. The reply and the
    answer were loaded by the request: they are read from the unit of work."""
    reply = await session.get_one(Reply, on_reply) if on_reply is not None else None
    author = (await session.get_one(Response, event.response_id)).participant_id
    await emit(
        session,
        kind,
        {**ids, "response_id": str(event.response_id), "prompt_id": str(event.prompt_id)},
        audience=Audience.staff if reply is not None and reply.private else Audience.readers,
        organization_id=event.organization_id,
        space_id=event.space_id,
        prompt_id=event.prompt_id,
        author_participant_id=author,
    )
