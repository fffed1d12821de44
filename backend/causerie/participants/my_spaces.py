"""A participant's own side: my spaces, my pseudonym and e-mail preference, my visits,
leaving, and my fellow participants (by pseudonym only). The list of my spaces, with what
awaits me in each, is ``home``'s.

Where I am not (or no longer) a participant: 404; suspended: 403 (``service.require_active``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.errors import NotFound
from causerie.core.markdown import render_markdown
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.models import (
    EmailPreference,
    Organization,
    Participant,
    ParticipantStatus,
    Segment,
    Space,
    participant_segment,
)
from causerie.participants import service as participants_service
from causerie.participants.schemas import MySpaceRead, PeerPage, PeerRead
from causerie.spaces import service as spaces_service

LAST_SEEN_PRECISION = timedelta(minutes=5)


def my_spaces_query(user_id: uuid.UUID) -> AnySelect:
    """My participations that are not left, in live spaces, with the space and its
    organization's name."""
    return (
        select(Participant, Space, Organization.name)
        .join(Space, Space.id == Participant.space_id)
        .join(Organization, Organization.id == Space.organization_id)
        .where(
            Participant.user_id == user_id,
            Participant.status != ParticipantStatus.left,
            Space.deleted_at.is_(None),
        )
    )


@dataclass(frozen=True)
class Segments:
    """The segments of a page of participants: the names they are shown (live segments,
    by name) and every segment id, as the script's rules read them."""

    names: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    ids: dict[uuid.UUID, frozenset[uuid.UUID]] = field(default_factory=dict)


async def segments_of(session: AsyncSession, participant_ids: list[uuid.UUID]) -> Segments:
    """One query for the segments of a page of participants."""
    if not participant_ids:
        return Segments()
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    ids: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    rows = await session.execute(
        select(
            participant_segment.c.participant_id,
            participant_segment.c.segment_id,
            Segment.name,
            Segment.deleted_at,
        )
        .join(Segment, Segment.id == participant_segment.c.segment_id)
        .where(participant_segment.c.participant_id.in_(participant_ids))
        .order_by(Segment.name)
    )
    for participant_id, segment_id, name, deleted_at in rows:
        ids[participant_id].add(segment_id)
        if deleted_at is None:
            names[participant_id].append(name)
    return Segments(names=dict(names), ids={key: frozenset(value) for key, value in ids.items()})


def space_read(
    participant: Participant, space: Space, organization_name: str, segments: list[str]
) -> MySpaceRead:
    return MySpaceRead(
        space_id=space.id,
        participant_id=participant.id,
        title=space.title,
        description_html=render_markdown(space.description),
        welcome_html=render_markdown(space.welcome_message),
        accent_color=space.accent_color,
        logo_url=spaces_service.logo_url(space.logo_file),
        language=space.language,
        space_status=space.status,
        organization_name=organization_name,
        pseudonym=participant.pseudonym,
        status=participant.status,
        email_notifications=participant.email_notifications,
        segments=segments,
        joined_at=participant.joined_at,
        last_seen_at=participant.last_seen_at,
    )


async def _my_space_read(
    session: AsyncSession, participant: Participant, space: Space, organization_name: str
) -> MySpaceRead:
    segments = await segments_of(session, [participant.id])
    return space_read(participant, space, organization_name, segments.names.get(participant.id, []))


def person_of(principal: Principal) -> uuid.UUID:
    """The person whose spaces these are (API keys take part in none)."""
    if principal.kind != "user" or principal.user_id is None:
        raise NotFound("Only people belong to spaces.")
    return principal.user_id


async def my_row(
    session: AsyncSession, principal: Principal, space_id: uuid.UUID
) -> tuple[Participant, Space, str]:
    """My participation in a live space, with the space and its organization's name: 404
    where I am not (or no longer) a participant, 403 when suspended."""
    row = (
        await session.execute(
            my_spaces_query(person_of(principal)).where(Participant.space_id == space_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("You are not a participant of this space.")
    return participants_service.require_active(row[0]), row[1], row[2]


async def get_my_space(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID
) -> MySpaceRead:
    participant, space, organization_name = await my_row(session, principal, space_id)
    return await _my_space_read(session, participant, space, organization_name)


async def record_visit(session: AsyncSession, *, principal: Principal, space_id: uuid.UUID) -> None:
    """I opened the space: what the staff see as my last visit, kept to within a few minutes
    (a visit soon after the last one writes nothing)."""
    participant, _space, _name = await my_row(session, principal, space_id)
    now = utcnow()
    if participant.last_seen_at is None or participant.last_seen_at < now - LAST_SEEN_PRECISION:
        await session.execute(
            update(Participant).where(Participant.id == participant.id).values(last_seen_at=now)
        )


async def update_my_space(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    pseudonym: str | None,
    email_notifications: EmailPreference | None,
) -> MySpaceRead:
    participant, space, organization_name = await my_row(session, principal, space_id)
    if pseudonym is not None and pseudonym != participant.pseudonym:
        await participants_service.save_pseudonym(session, participant, pseudonym)
    if email_notifications is not None:
        participant.email_notifications = email_notifications
    participant.updated_at = utcnow()
    await session.flush()
    return await _my_space_read(session, participant, space, organization_name)


async def leave_space(session: AsyncSession, *, principal: Principal, space_id: uuid.UUID) -> None:
    participant, _space, _name = await my_row(session, principal, space_id)
    participant.status = ParticipantStatus.left
    participant.left_at = utcnow()
    await session.flush()


async def list_peers(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, params: PageParams
) -> PeerPage:
    """Fellow participants by pseudonym only (never an address)."""
    await my_row(session, principal, space_id)
    rows, next_cursor = await keyset_page(
        session,
        select(Participant.id, Participant.pseudonym, Participant.joined_at).where(
            Participant.space_id == space_id, Participant.status == ParticipantStatus.active
        ),
        created_at=Participant.created_at,
        row_id=Participant.id,
        params=params,
    )
    return PeerPage(
        items=[PeerRead.model_validate(dict(row._mapping)) for row in rows],
        next_cursor=next_cursor,
    )
