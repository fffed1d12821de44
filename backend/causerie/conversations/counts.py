"""Counts shown with every page of answers and replies, in a constant number of queries."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.models import Response
from causerie.models.conversations import AuthorKind, Reaction, ReactionKind, Reply


async def reactions_for(
    session: AsyncSession, target_ids: list[uuid.UUID], user_id: uuid.UUID | None
) -> tuple[dict[uuid.UUID, dict[str, int]], dict[uuid.UUID, list[ReactionKind]]]:
    """Counts per item and kind, and the viewer's own reactions — two queries for a page."""
    counts: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    mine: dict[uuid.UUID, list[ReactionKind]] = defaultdict(list)
    if not target_ids:
        return counts, mine
    rows = await session.execute(
        select(Reaction.target_id, Reaction.kind, func.count())
        .where(Reaction.target_id.in_(target_ids))
        .group_by(Reaction.target_id, Reaction.kind)
    )
    for target_id, kind, count in rows:
        counts[target_id][kind.value] = int(count)
    if user_id is not None:
        own = await session.execute(
            select(Reaction.target_id, Reaction.kind).where(
                Reaction.target_id.in_(target_ids), Reaction.user_id == user_id
            )
        )
        for target_id, kind in own:
            mine[target_id].append(kind)
    return counts, mine


async def reply_counts(
    session: AsyncSession, response_ids: list[uuid.UUID], *, viewer_participant_id: uuid.UUID | None
) -> tuple[dict[uuid.UUID, int], set[uuid.UUID]]:
    """Visible reply counts per response, and which responses the brand replied to."""
    counts: dict[uuid.UUID, int] = {}
    branded: set[uuid.UUID] = set()
    if not response_ids:
        return counts, branded
    visible = Reply.deleted_at.is_(None)
    stmt = (
        select(Reply.response_id, Reply.author_kind, func.count())
        .join(Response, Response.id == Reply.response_id)
        .where(Reply.response_id.in_(response_ids), visible)
    )
    if viewer_participant_id is not None:
        stmt = stmt.where(
            access.private_items_filter(
                Reply.private, Response.participant_id, viewer_participant_id
            )
        )
    tally: Counter[uuid.UUID] = Counter()
    for response_id, kind, count in await session.execute(
        stmt.group_by(Reply.response_id, Reply.author_kind)
    ):
        tally[response_id] += int(count)
        if kind is AuthorKind.staff:
            branded.add(response_id)
    counts.update(tally)
    return counts, branded
