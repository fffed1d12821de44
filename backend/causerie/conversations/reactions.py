"""Reactions on answers and replies: one per person, item and kind, toggled."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.conversations.context import ensure_can_write, response_context
from causerie.conversations.replies import visible_reply
from causerie.conversations.schemas import ReactionState
from causerie.core import events
from causerie.core.event_catalogue import ReactionToggled
from causerie.core.principal import Principal
from causerie.models.conversations import Reaction, ReactionKind


async def toggle_reaction(
    session: AsyncSession,
    *,
    principal: Principal,
    kind: ReactionKind,
    response_id: uuid.UUID | None = None,
    reply_id: uuid.UUID | None = None,
) -> ReactionState:
    if reply_id is not None:
        reply, context = await visible_reply(session, principal, reply_id)
        target_id = reply.id
    else:
        assert response_id is not None
        context = await response_context(session, principal, response_id)
        target_id = context.response.id
    ensure_can_write(context)
    assert principal.user_id is not None
    existing = await session.scalar(
        select(Reaction).where(
            Reaction.user_id == principal.user_id,
            Reaction.target_id == target_id,
            Reaction.kind == kind,
        )
    )
    if existing is not None:
        await session.execute(delete(Reaction).where(Reaction.id == existing.id))
    else:
        try:
            async with session.begin_nested():
                session.add(
                    Reaction(
                        organization_id=context.space.organization_id,
                        user_id=principal.user_id,
                        target_id=target_id,
                        kind=kind,
                    )
                )
        except IntegrityError:
            pass  # a concurrent toggle added it first: it is on, as asked
    await session.flush()
    count = await session.scalar(
        select(func.count())
        .select_from(Reaction)
        .where(Reaction.target_id == target_id, Reaction.kind == kind)
    )
    await events.record(
        session,
        ReactionToggled(
            organization_id=context.space.organization_id,
            space_id=context.space.id,
            prompt_id=context.prompt.id,
            response_id=context.response.id,
            target_id=target_id,
            user_id=principal.user_id,
            kind=kind.value,
            active=existing is None,
        ),
    )
    return ReactionState(kind=kind, active=existing is None, count=int(count or 0))
