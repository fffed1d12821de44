"""Participants: the one rule of a participant's access to their space, what staff see of
a space's people, and pseudonyms. A participant's own side is in ``my_spaces``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, Forbidden, NotFound
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.models import (
    Participant,
    ParticipantStatus,
    Role,
    Segment,
    User,
    participant_segment,
)
from causerie.participants.schemas import ParticipantPage, ParticipantRead
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service

SEES_EMAILS = (Role.owner, Role.animator)


class PseudonymTaken(Conflict):
    code = "participant.pseudonym_taken"
    title = "This pseudonym is taken in this space"


class ParticipantLeft(Conflict):
    code = "participant.left"
    title = "This participant left the space"


class ParticipantSuspended(Forbidden):
    code = "participant.suspended"
    title = "Your participation in this space is suspended"


# --- the one rule of a participant's access to their space --------------------------------


def require_active(participant: Participant) -> Participant:
    """A participant uses their space only while active.

    Suspended: no access at all, read or write (403 with its own code, so the app can
    explain). Left: no longer a participant (404, as for any space one is not part of).
    Checked on every request against the stored status, so an access token issued before
    the suspension gives no access either.
    """
    if participant.status is ParticipantStatus.suspended:
        raise ParticipantSuspended("The brand suspended your participation in this space.")
    if participant.status is not ParticipantStatus.active:
        raise NotFound("You are not a participant of this space.")
    return participant


async def my_participation(
    session: AsyncSession, principal: Principal, space_id: uuid.UUID
) -> Participant | None:
    """The principal's participation in the space, if active; ``None`` when they are not
    (or no longer) a participant; 403 ``participant.suspended`` when suspended."""
    if principal.kind != "user" or principal.user_id is None:
        return None
    participant = await session.scalar(
        select(Participant).where(
            Participant.space_id == space_id,
            Participant.user_id == principal.user_id,
            Participant.status != ParticipantStatus.left,
        )
    )
    return require_active(participant) if participant is not None else None


def pseudonym_key(pseudonym: str) -> str:
    return " ".join(pseudonym.split()).casefold()


async def segment_ids_by_participant(
    session: AsyncSession, participant_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """One query for the segments of a whole page of participants."""
    result: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if participant_ids:
        rows = await session.execute(
            select(participant_segment.c.participant_id, participant_segment.c.segment_id)
            .join(Segment, Segment.id == participant_segment.c.segment_id)
            .where(
                participant_segment.c.participant_id.in_(participant_ids),
                Segment.deleted_at.is_(None),
            )
            .order_by(Segment.created_at, Segment.id)
        )
        for participant_id, segment_id in rows:
            result[participant_id].append(segment_id)
    return result


def _staff_columns() -> AnySelect:
    return select(
        Participant.id,
        Participant.user_id,
        Participant.pseudonym,
        User.email,
        Participant.status,
        Participant.joined_at,
        Participant.last_seen_at,
        Participant.created_at,
        Participant.updated_at,
    ).join(User, User.id == Participant.user_id)


async def _to_reads(
    session: AsyncSession, rows: list[dict[str, object]], *, show_emails: bool
) -> list[ParticipantRead]:
    segments = await segment_ids_by_participant(session, [row["id"] for row in rows])  # type: ignore[misc]
    return [
        ParticipantRead.model_validate(
            {
                **row,
                "email": row["email"] if show_emails else None,
                "segment_ids": segments.get(row["id"], []),  # type: ignore[call-overload]
            }
        )
        for row in rows
    ]


async def list_participants(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    params: PageParams,
    status: ParticipantStatus | None,
    segment_id: uuid.UUID | None,
    query: str | None,
) -> ParticipantPage:
    space, role = await spaces_service.get_space_for_staff(session, principal, space_id)
    show_emails = role in SEES_EMAILS
    stmt = _staff_columns().where(Participant.space_id == space.id)
    if status is not None:
        stmt = stmt.where(Participant.status == status)
    if segment_id is not None:
        stmt = stmt.where(
            Participant.id.in_(
                select(participant_segment.c.participant_id).where(
                    participant_segment.c.segment_id == segment_id
                )
            )
        )
    if query:
        escaped = query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        matches = [Participant.pseudonym_key.like(pattern, escape="\\")]
        if show_emails:  # observers must not be able to probe addresses by searching
            matches.append(User.email.like(pattern, escape="\\"))
        stmt = stmt.where(or_(*matches))
    rows, next_cursor = await keyset_page(
        session,
        stmt,
        created_at=Participant.created_at,
        row_id=Participant.id,
        params=params,
    )
    items = await _to_reads(session, [dict(row._mapping) for row in rows], show_emails=show_emails)
    return ParticipantPage(items=items, next_cursor=next_cursor)


async def update_participant(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    participant_id: uuid.UUID,
    segment_ids: list[uuid.UUID] | None,
    status: ParticipantStatus | None,
) -> ParticipantRead:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    participant = await session.scalar(
        select(Participant).where(
            Participant.id == participant_id, Participant.space_id == space.id
        )
    )
    if participant is None:
        raise NotFound("No such participant.")
    changes: dict[str, object] = {}
    if segment_ids is not None:
        wanted = await segments_service.live_segment_ids(session, space.id, segment_ids)
        await set_segments(session, participant.id, wanted)
        changes["segment_ids"] = [str(segment) for segment in wanted]
    if status is not None and status != participant.status:
        if participant.status is ParticipantStatus.left:
            raise ParticipantLeft("A participant who left cannot be suspended or reactivated.")
        participant.status = status
        changes["status"] = status.value
    if changes:
        participant.updated_at = utcnow()
        audit.record(
            session,
            principal=principal,
            organization_id=space.organization_id,
            action="participant.update",
            target_type="participant",
            target_id=participant.id,
            data=changes,
        )
    await session.flush()
    row = (await session.execute(_staff_columns().where(Participant.id == participant.id))).one()
    (read,) = await _to_reads(session, [dict(row._mapping)], show_emails=True)
    return read


async def set_segments(
    session: AsyncSession, participant_id: uuid.UUID, segment_ids: list[uuid.UUID]
) -> None:
    await session.execute(
        delete(participant_segment).where(participant_segment.c.participant_id == participant_id)
    )
    if segment_ids:
        await session.execute(
            insert(participant_segment),
            [{"participant_id": participant_id, "segment_id": s} for s in segment_ids],
        )


async def save_pseudonym(session: AsyncSession, participant: Participant, pseudonym: str) -> None:
    """Set the pseudonym; 409 if another participant of the space uses it."""
    try:
        async with session.begin_nested():
            participant.pseudonym = pseudonym
            participant.pseudonym_key = pseudonym_key(pseudonym)
            session.add(participant)
    except IntegrityError as error:
        raise PseudonymTaken(f"“{pseudonym}” is already used in this space.") from error
