"""Spaces and their segments.

Visible first, then permitted: staff of the space's organization see it (observers read
only); anyone else gets a 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, InvalidInput, NotFound
from causerie.core.markdown import render_markdown
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.storage import Storage, store_image
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    Role,
    Segment,
    Space,
    SpaceStatus,
    participant_segment,
    prompt_segment,
)
from causerie.organizations import service as organizations_service
from causerie.spaces.schemas import SegmentPage, SegmentRead, SpacePage, SpaceRead, SpaceUpdate

EDITORS = (Role.owner, Role.animator)
STAFF = (Role.owner, Role.animator, Role.observer)
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 512

# Allowed status changes; archived is final.
TRANSITIONS: dict[SpaceStatus, frozenset[SpaceStatus]] = {
    SpaceStatus.draft: frozenset({SpaceStatus.open, SpaceStatus.archived}),
    SpaceStatus.open: frozenset({SpaceStatus.closed, SpaceStatus.archived}),
    SpaceStatus.closed: frozenset({SpaceStatus.open, SpaceStatus.archived}),
    SpaceStatus.archived: frozenset(),
}


class InvalidTransition(Conflict):
    code = "space.invalid_transition"
    title = "This status change is not possible"


class SpaceArchived(Conflict):
    code = "space.archived"
    title = "The space is archived"


class UnknownSegments(InvalidInput):
    code = "segment.unknown"
    title = "Unknown segment"


class SegmentInUse(Conflict):
    code = "segment.in_use"
    title = "Prompts target this segment"


class SegmentExists(Conflict):
    code = "segment.exists"
    title = "A segment with this name exists"


def logo_url(space_logo_file: str | None) -> str | None:
    return f"/api/v1/files/{space_logo_file}" if space_logo_file else None


def segment_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _participant_count() -> Any:
    return (
        select(func.count())
        .select_from(Participant)
        .where(Participant.space_id == Space.id, Participant.status == ParticipantStatus.active)
        .scalar_subquery()
        .label("participant_count")
    )


def to_read(space: Space, participant_count: int) -> SpaceRead:
    return SpaceRead(
        id=space.id,
        organization_id=space.organization_id,
        title=space.title,
        description=space.description,
        description_html=render_markdown(space.description),
        objective=space.objective,
        language=space.language,
        time_zone=space.time_zone,
        accent_color=space.accent_color,
        logo_url=logo_url(space.logo_file),
        welcome_message=space.welcome_message,
        welcome_html=render_markdown(space.welcome_message),
        terms=space.terms,
        terms_version=space.terms_version,
        status=space.status,
        invitation_ttl_days=space.invitation_ttl_days,
        participant_count=participant_count,
        created_at=space.created_at,
        updated_at=space.updated_at,
        opened_at=space.opened_at,
        closed_at=space.closed_at,
        archived_at=space.archived_at,
    )


async def get_space_for_staff(
    session: AsyncSession, principal: Principal, space_id: uuid.UUID
) -> tuple[Space, Role]:
    """The space and the caller's staff role in its organization; 404 for anyone else."""
    space = await session.scalar(
        select(Space).where(Space.id == space_id, Space.deleted_at.is_(None))
    )
    if space is not None:
        role = await organizations_service.staff_role(session, principal, space.organization_id)
        if role is not None:
            return space, role
    raise NotFound("No such space.")


async def get_editable_space(
    session: AsyncSession, principal: Principal, space_id: uuid.UUID
) -> Space:
    """For changes: owners and animators, and never in an archived space."""
    space, role = await get_space_for_staff(session, principal, space_id)
    organizations_service.require_role(role, *EDITORS)
    if space.status is SpaceStatus.archived:
        raise SpaceArchived("An archived space can no longer change.")
    return space


async def _read(session: AsyncSession, space: Space) -> SpaceRead:
    await session.flush()
    await session.refresh(space)
    count = await session.scalar(
        select(func.count())
        .select_from(Participant)
        .where(Participant.space_id == space.id, Participant.status == ParticipantStatus.active)
    )
    return to_read(space, int(count or 0))


async def list_spaces(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    params: PageParams,
    status: SpaceStatus | None,
) -> SpacePage:
    await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    stmt: AnySelect = select(Space, _participant_count()).where(
        Space.organization_id == organization_id, Space.deleted_at.is_(None)
    )
    if status is not None:
        stmt = stmt.where(Space.status == status)
    rows, next_cursor = await keyset_page(
        session, stmt, created_at=Space.created_at, row_id=Space.id, params=params
    )
    return SpacePage(items=[to_read(row[0], int(row[1])) for row in rows], next_cursor=next_cursor)


async def create_space(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, data: dict[str, Any]
) -> SpaceRead:
    await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    role = await organizations_service.staff_role(session, principal, organization_id)
    organizations_service.require_role(role, *EDITORS)
    space = Space(organization_id=organization_id, **data)
    session.add(space)
    await session.flush()
    audit.record(
        session,
        principal=principal,
        organization_id=organization_id,
        action="space.create",
        target_type="space",
        target_id=space.id,
        data={"title": space.title},
    )
    return await _read(session, space)


async def get_space(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID
) -> SpaceRead:
    space, _role = await get_space_for_staff(session, principal, space_id)
    return await _read(session, space)


async def update_space(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, changes: SpaceUpdate
) -> SpaceRead:
    space, role = await get_space_for_staff(session, principal, space_id)
    organizations_service.require_role(role, *EDITORS)
    fields = changes.model_dump(exclude_unset=True, exclude_none=True)
    status = fields.pop("status", None)
    if space.status is SpaceStatus.archived and (fields or status not in (None, space.status)):
        raise SpaceArchived("An archived space can no longer change.")
    changed = {key: value for key, value in fields.items() if getattr(space, key) != value}
    if "terms" in changed:
        space.terms_version += 1
    for key, value in changed.items():
        setattr(space, key, value)
    if status is not None and status != space.status:
        _change_status(space, SpaceStatus(status))
        changed["status"] = status
    if changed:
        audit.record(
            session,
            principal=principal,
            organization_id=space.organization_id,
            action="space.update",
            target_type="space",
            target_id=space.id,
            data={"fields": sorted(changed)},
        )
    return await _read(session, space)


def _change_status(space: Space, status: SpaceStatus) -> None:
    if status not in TRANSITIONS[space.status]:
        raise InvalidTransition(f"A {space.status.value} space cannot become {status.value}.")
    now = utcnow()
    if status is SpaceStatus.open and space.opened_at is None:
        space.opened_at = now
    if status is SpaceStatus.closed:
        space.closed_at = now
    if status is SpaceStatus.archived:
        space.archived_at = now
    space.status = status


async def set_logo(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    storage: Storage,
    data: bytes,
) -> SpaceRead:
    space = await get_editable_space(session, principal, space_id)
    name = await store_image(storage, data, max_bytes=LOGO_MAX_BYTES, max_side=LOGO_MAX_SIDE)
    previous, space.logo_file = space.logo_file, name
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="space.logo",
        target_type="space",
        target_id=space.id,
        data={"file": name},
    )
    read = await _read(session, space)
    if previous:
        await storage.delete(previous)
    return read


async def remove_logo(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, storage: Storage
) -> SpaceRead:
    space = await get_editable_space(session, principal, space_id)
    previous, space.logo_file = space.logo_file, None
    if previous:
        audit.record(
            session,
            principal=principal,
            organization_id=space.organization_id,
            action="space.logo_remove",
            target_type="space",
            target_id=space.id,
            data={"file": previous},
        )
    read = await _read(session, space)
    if previous:
        await storage.delete(previous)
    return read


# --- segments ---------------------------------------------------------------------------


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
    await get_space_for_staff(session, principal, space_id)
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
    space = await get_editable_space(session, principal, space_id)
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
    space = await get_editable_space(session, principal, space_id)
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
    space = await get_editable_space(session, principal, space_id)
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
