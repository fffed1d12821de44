"""A space's segments: named groups of its participants ("VIP", "Prospects").

Staff of the space read them; owners and animators change them (``spaces.service`` decides
who sees and who may change the space).
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, InvalidInput, NotFound
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    Segment,
    Space,
    participant_segment,
    prompt_segment,
)
from causerie.spaces import service as spaces_service
from causerie.spaces.schemas import SegmentPage, SegmentRead


class UnknownSegments(InvalidInput):
    code = "segment.unknown"
    title = "Unknown segment"


class SegmentInUse(Conflict):
    code = "segment.in_use"
    title = "Prompts target this segment"


class SegmentExists(Conflict):
    code = "segment.exists"
    title = "A segment with this name exists"


def segment_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _segment_columns() -> AnySelect:
    count = (
        select(func.count())
        .select_from(participant_segment)
        .join(Participant, Participant.id == participant_segment.c.participant_id)
        .where(
            participant_segment.c.segment_id == Segment.id,
            Participant.status == ParticipantStatus.active,
        )
        .scalar_subquery()
    )
    return select(
        Segment.id,
        Segment.space_id,
        Segment.name,
        count.label("participant_count"),
        Segment.created_at,
        Segment.updated_at,
    ).where(Segment.deleted_at.is_(None))


async def list_segments(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, params: PageParams
) -> SegmentPage:
    await spaces_service.get_space_for_staff(session, principal, space_id)
    rows, next_cursor = await keyset_page(
        session,
        _segment_columns().where(Segment.space_id == space_id),
        created_at=Segment.created_at,
        row_id=Segment.id,
        params=params,
    )
    return SegmentPage(
        items=[SegmentRead.model_validate(dict(row._mapping)) for row in rows],
        next_cursor=next_cursor,
    )


async def _read_segment(session: AsyncSession, segment_id: uuid.UUID) -> SegmentRead:
    row = (await session.execute(_segment_columns().where(Segment.id == segment_id))).one()
    return SegmentRead.model_validate(dict(row._mapping))


async def _get_segment(session: AsyncSession, space: Space, segment_id: uuid.UUID) -> Segment:
    segment = await session.scalar(
        select(Segment).where(
            Segment.id == segment_id, Segment.space_id == space.id, Segment.deleted_at.is_(None)
        )
    )
    if segment is None:
        raise NotFound("No such segment.")
    return segment


async def _save_segment_name(session: AsyncSession, segment: Segment, name: str) -> None:
    try:
        async with session.begin_nested():
            segment.name, segment.name_key = name, segment_key(name)
            session.add(segment)
    except IntegrityError as error:
        raise SegmentExists(f"This space already has a segment named {name!r}.") from error


async def create_segment(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, name: str
) -> SegmentRead:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    segment = Segment(organization_id=space.organization_id, space_id=space.id)
    await _save_segment_name(session, segment, name)
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="segment.create",
        target_type="segment",
        target_id=segment.id,
        data={"name": name},
    )
    return await _read_segment(session, segment.id)


async def rename_segment(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    segment_id: uuid.UUID,
    name: str,
) -> SegmentRead:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    segment = await _get_segment(session, space, segment_id)
    if segment.name != name:
        previous = segment.name
        await _save_segment_name(session, segment, name)
        audit.record(
            session,
            principal=principal,
            organization_id=space.organization_id,
            action="segment.rename",
            target_type="segment",
            target_id=segment.id,
            data={"from": previous, "to": name},
        )
    return await _read_segment(session, segment.id)


async def delete_segment(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, segment_id: uuid.UUID
) -> None:
    """Soft-delete the segment; its participants simply leave it.

    Refused (409) while prompts of the script target it.
    """
    space = await spaces_service.get_editable_space(session, principal, space_id)
    segment = await _get_segment(session, space, segment_id)
    targeting = (
        await session.scalars(
            select(Prompt.key)
            .join(prompt_segment, prompt_segment.c.prompt_id == Prompt.id)
            .where(prompt_segment.c.segment_id == segment.id, Prompt.deleted_at.is_(None))
            .order_by(Prompt.position)
        )
    ).all()
    if targeting:
        raise SegmentInUse(
            f"Prompts {', '.join(repr(key) for key in targeting)} target this segment."
        )
    segment.deleted_at = utcnow()
    await session.execute(
        delete(participant_segment).where(participant_segment.c.segment_id == segment.id)
    )
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="segment.delete",
        target_type="segment",
        target_id=segment.id,
        data={"name": segment.name},
    )
    await session.flush()


async def live_segment_ids(
    session: AsyncSession, space_id: uuid.UUID, segment_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Check that every id is a live segment of the space (422 otherwise); keep the order."""
    unique = list(dict.fromkeys(segment_ids))
    if not unique:
        return []
    found = set(
        (
            await session.scalars(
                select(Segment.id).where(
                    Segment.id.in_(unique),
                    Segment.space_id == space_id,
                    Segment.deleted_at.is_(None),
                )
            )
        ).all()
    )
    missing = [str(segment_id) for segment_id in unique if segment_id not in found]
    if missing:
        raise UnknownSegments(f"Unknown segments for this space: {', '.join(missing)}.")
    return unique


async def live_segment_ids_lenient(
    session: AsyncSession, space_id: uuid.UUID, segment_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """The ids that are still live segments of the space (deleted ones are dropped)."""
    if not segment_ids:
        return []
    return list(
        (
            await session.scalars(
                select(Segment.id).where(
                    Segment.id.in_(segment_ids),
                    Segment.space_id == space_id,
                    Segment.deleted_at.is_(None),
                )
            )
        ).all()
    )
