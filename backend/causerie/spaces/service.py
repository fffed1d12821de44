"""Spaces: create, read, change (status, branding, logo).

Visible first, then permitted: staff of the space's organization see it (observers read
only); anyone else gets a 404. A space's segments are in ``spaces.segments``.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, NotFound
from causerie.core.markdown import render_markdown
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.storage import Storage, store_image
from causerie.i18n import Language
from causerie.models import (
    Organization,
    Participant,
    ParticipantStatus,
    Role,
    Space,
    SpaceStatus,
)
from causerie.organizations import service as organizations_service
from causerie.spaces.schemas import SpacePage, SpaceRead, SpaceUpdate, SpaceWelcome

EDITORS = organizations_service.EDITORS
STAFF = organizations_service.STAFF
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


class SpaceNotOpen(Conflict):
    code = "space.not_open"
    title = "This space has not opened yet"


class SpaceReadOnly(Conflict):
    code = "space.read_only"
    title = "This space is closed"


def require_open(space: Space) -> None:
    """Participants and staff talk in a space only while it is open: 409 ``space.not_open``
    before it opens (draft), ``space.read_only`` once closed or archived."""
    if space.status is SpaceStatus.draft:
        raise SpaceNotOpen("This space has not opened yet.")
    if space.status is not SpaceStatus.open:
        raise SpaceReadOnly("This space is closed: it no longer takes answers or replies.")


def language_of(space: Space) -> Language:
    """The language a space speaks to its people in (e-mails, notifications)."""
    return "fr" if space.language.value == "fr" else "en"


async def welcome(session: AsyncSession, space_id: uuid.UUID) -> SpaceWelcome:
    """A live space's brand and title, for a sign-in page; drafts, archived and deleted
    spaces (and unknown ids) are not found."""
    row = (
        await session.execute(
            select(Space, Organization.name)
            .join(Organization, Organization.id == Space.organization_id)
            .where(
                Space.id == space_id,
                Space.deleted_at.is_(None),
                Organization.deleted_at.is_(None),
                Space.status.in_((SpaceStatus.open, SpaceStatus.closed)),
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such space.")
    space, organization_name = row
    return SpaceWelcome(
        title=space.title,
        accent_color=space.accent_color,
        logo_url=logo_url(space.logo_file),
        language=space.language,
        organization_name=organization_name,
    )


def logo_url(space_logo_file: str | None) -> str | None:
    return f"/api/v1/files/{space_logo_file}" if space_logo_file else None


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
    """The space and the caller's staff role in its organization (one query); 404 for
    anyone else."""
    if principal.kind == "user" and principal.user_id is not None:
        role_column = organizations_service.staff_role_column(
            principal.user_id, Space.organization_id
        )
        row = (
            await session.execute(
                select(Space, role_column).where(Space.id == space_id, Space.deleted_at.is_(None))
            )
        ).one_or_none()
        role = organizations_service.effective_role(principal, row[1]) if row else None
        if row is not None and role is not None:
            return row[0], role
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
