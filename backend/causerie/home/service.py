"""A participant's home across spaces: the cards of My spaces, each with what awaits me.

A page costs four statements whatever its size (the caller's session, then three): my
participations with two correlated counts (the brand's questions waiting for my answer,
and replies under my answers since my last visit), their segments, and the prompts of
their spaces with my answers to them, which the one timeline function turns into what I
can answer now. Nothing is loaded per space.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ScalarSelect, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.conversations import probes
from causerie.core.clock import utcnow
from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.home.schemas import MySpaceCard, MySpaceCardPage
from causerie.models import Participant, ParticipantStatus, Response, SpaceStatus
from causerie.models.conversations import Probe, Reply
from causerie.participants import my_spaces


def _open_probes() -> ScalarSelect[int]:
    return probes.awaiting_answer(Participant.id, func.count(Probe.id)).scalar_subquery()


def _unread_replies() -> ScalarSelect[int]:
    """Replies by others under my live answers, written since my last visit (since I
    joined, before any)."""
    return (
        select(func.count(Reply.id))
        .join(Response, Response.id == Reply.response_id)
        .where(
            Response.participant_id == Participant.id,
            Response.deleted_at.is_(None),
            Reply.deleted_at.is_(None),
            Reply.created_at > func.coalesce(Participant.last_seen_at, Participant.joined_at),
            or_(
                Reply.author_participant_id.is_(None),
                Reply.author_participant_id != Participant.id,
            ),
        )
        .scalar_subquery()
    )


async def list_my_spaces(
    session: AsyncSession, *, principal: Principal, params: PageParams
) -> MySpaceCardPage:
    """Spaces I take part in; suspended ones stay listed, with their status, so the app can
    say why they no longer open (everything inside answers 403)."""
    rows, next_cursor = await keyset_page(
        session,
        my_spaces.my_spaces_query(my_spaces.person_of(principal)).add_columns(
            _open_probes().label("open_probes"), _unread_replies().label("unread_replies")
        ),
        created_at=Participant.created_at,
        row_id=Participant.id,
        params=params,
    )
    segments = await my_spaces.segments_of(session, [row[0].id for row in rows])
    acting = [
        (participant, segments.ids.get(participant.id, frozenset()))
        for participant, space, *_rest in rows
        if participant.status is ParticipantStatus.active and space.status is SpaceStatus.open
    ]
    views = await access.load_views(session, acting)
    now = utcnow()
    to_do: dict[uuid.UUID, int] = {pid: len(view.to_do(now)) for pid, view in views.items()}
    items = []
    for row in rows:
        participant, space, organization_name = row[0], row[1], row[2]
        acts = participant.id in to_do
        read = my_spaces.space_read(
            participant, space, organization_name, segments.names.get(participant.id, [])
        )
        items.append(
            MySpaceCard(
                **read.model_dump(),
                to_do=to_do.get(participant.id, 0),
                open_probes=row.open_probes if acts else 0,
                unread_replies=row.unread_replies
                if participant.status is ParticipantStatus.active
                else 0,
            )
        )
    return MySpaceCardPage(items=items, next_cursor=next_cursor)
