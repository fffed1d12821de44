"""An organization's staff: list members, add one, change a role, remove one (owners).

An organization keeps at least one owner.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, NotFound
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.models import Membership, Role, User
from causerie.organizations import service as organizations_service
from causerie.organizations.schemas import MemberPage, MemberRead


class LastOwner(Conflict):
    code = "conflict.last_owner"
    title = "An organization keeps at least one owner"


class MemberExists(Conflict):
    code = "conflict.member_exists"
    title = "Already a member"


async def _as_owner(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> None:
    """404 unless the organization is visible, then 403 unless the principal owns it."""
    visible = await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    organizations_service.require_owner(principal, visible)


def _members_query(organization_id: uuid.UUID) -> AnySelect:
    return (
        select(
            Membership.user_id,
            User.email,
            User.display_name,
            Membership.role,
            Membership.created_at,
            Membership.updated_at,
        )
        .join(User, User.id == Membership.user_id)
        .where(Membership.organization_id == organization_id, Membership.deleted_at.is_(None))
    )


async def list_members(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, params: PageParams
) -> MemberPage:
    await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    rows, next_cursor = await keyset_page(
        session,
        _members_query(organization_id),
        created_at=Membership.created_at,
        row_id=Membership.id,
        params=params,
    )
    return MemberPage(
        items=[MemberRead.model_validate(dict(row._mapping)) for row in rows],
        next_cursor=next_cursor,
    )


async def _read_member(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID
) -> MemberRead:
    row = (
        await session.execute(_members_query(organization_id).where(Membership.user_id == user_id))
    ).one()
    return MemberRead.model_validate(dict(row._mapping))


async def add_member(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    email: str,
    role: Role,
    display_name: str | None,
) -> MemberRead:
    await _as_owner(session, principal, organization_id)
    user = await organizations_service.ensure_user(session, email=email, display_name=display_name)
    membership = await session.scalar(
        select(Membership).where(
            Membership.organization_id == organization_id, Membership.user_id == user.id
        )
    )
    if membership is not None and membership.deleted_at is None:
        raise MemberExists(f"{user.email} is already a member of this organization.")
    if membership is None:
        try:
            async with session.begin_nested():
                session.add(Membership(organization_id=organization_id, user_id=user.id, role=role))
        except IntegrityError as error:  # added concurrently by someone else
            raise MemberExists(f"{user.email} is already a member of this organization.") from error
    else:
        membership.deleted_at = None
        membership.role = role
    audit.record(
        session,
        principal=principal,
        organization_id=organization_id,
        action="member.add",
        target_type="user",
        target_id=user.id,
        data={"role": role.value},
    )
    await session.flush()
    return await _read_member(session, organization_id, user.id)


async def _get_membership(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID
) -> Membership:
    membership = await session.scalar(
        select(Membership).where(
            Membership.organization_id == organization_id,
            Membership.user_id == user_id,
            Membership.deleted_at.is_(None),
        )
    )
    if membership is None:
        raise NotFound("No such member.")
    return membership


async def _ensure_another_owner(session: AsyncSession, membership: Membership) -> None:
    if membership.role is not Role.owner:
        return
    # Lock the owners' rows (PostgreSQL) so two concurrent demotions cannot both pass.
    owners = (
        await session.scalars(
            select(Membership.id)
            .where(
                Membership.organization_id == membership.organization_id,
                Membership.role == Role.owner,
                Membership.deleted_at.is_(None),
            )
            .with_for_update()
        )
    ).all()
    if len(owners) <= 1:
        raise LastOwner("Name another owner first: an organization keeps at least one owner.")


async def change_member_role(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    role: Role,
) -> MemberRead:
    await _as_owner(session, principal, organization_id)
    membership = await _get_membership(session, organization_id, user_id)
    if membership.role is not role:
        if role is not Role.owner:
            await _ensure_another_owner(session, membership)
        audit.record(
            session,
            principal=principal,
            organization_id=organization_id,
            action="member.role_change",
            target_type="user",
            target_id=user_id,
            data={"from": membership.role.value, "to": role.value},
        )
        membership.role = role
        await session.flush()
    return await _read_member(session, organization_id, user_id)


async def remove_member(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    await _as_owner(session, principal, organization_id)
    membership = await _get_membership(session, organization_id, user_id)
    await _ensure_another_owner(session, membership)
    membership.deleted_at = utcnow()
    audit.record(
        session,
        principal=principal,
        organization_id=organization_id,
        action="member.remove",
        target_type="user",
        target_id=user_id,
        data={"role": membership.role.value},
    )
    await session.flush()
