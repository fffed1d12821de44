"""Organizations and their members.

Visible first, then permitted: an organization the caller is not a member of is a
404; one they can see but may not change is a 403.
"""

from __future__ import annotations

import uuid

from sqlalchemy import and_, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, Forbidden, NotFound
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.passwords import hash_password
from causerie.core.principal import Principal
from causerie.core.text import normalize_email
from causerie.models import Membership, Organization, Role, User
from causerie.organizations.schemas import (
    MemberPage,
    MemberRead,
    OrganizationPage,
    OrganizationRead,
)


class LastOwner(Conflict):
    code = "conflict.last_owner"
    title = "An organization keeps at least one owner"


class AccountClosed(Conflict):
    code = "conflict.account_closed"
    title = "This account was closed"


class MemberExists(Conflict):
    code = "conflict.member_exists"
    title = "Already a member"


def visible_organizations(principal: Principal) -> AnySelect:
    """(Organization.*, my_role) for every organization the principal may see."""
    columns = (
        Organization.id,
        Organization.name,
        Organization.created_at,
        Organization.updated_at,
    )
    if principal.kind == "api_key":
        return select(*columns, literal(None).label("my_role")).where(
            Organization.id == principal.organization_id, Organization.deleted_at.is_(None)
        )
    my_membership = and_(
        Membership.organization_id == Organization.id,
        Membership.user_id == principal.user_id,
        Membership.deleted_at.is_(None),
    )
    stmt = select(*columns, Membership.role.label("my_role")).where(
        Organization.deleted_at.is_(None)
    )
    if principal.is_platform_admin:
        return stmt.outerjoin(Membership, my_membership)
    return stmt.join(Membership, my_membership)


async def staff_role(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> Role | None:
    """The principal's staff role in the organization (platform admins act as owners)."""
    if principal.kind != "user" or principal.user_id is None:
        return None
    role = await session.scalar(
        select(Membership.role)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.organization_id == organization_id,
            Membership.user_id == principal.user_id,
            Membership.deleted_at.is_(None),
            Organization.deleted_at.is_(None),
        )
    )
    if role is None and principal.is_platform_admin:
        return Role.owner
    return role


def require_role(role: Role | None, *allowed: Role) -> None:
    """403 unless ``role`` is one of ``allowed`` (callers have already checked visibility)."""
    if role not in allowed:
        raise Forbidden("Your role in this organization does not allow this.")


async def _get_visible(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> OrganizationRead:
    row = (
        await session.execute(
            visible_organizations(principal).where(Organization.id == organization_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such organization.")
    return OrganizationRead.model_validate(dict(row._mapping))


def _require_owner(principal: Principal, organization: OrganizationRead) -> None:
    if organization.my_role is Role.owner or (
        principal.kind == "user" and principal.is_platform_admin
    ):
        return
    raise Forbidden("Only the organization's owners can do this.")


async def list_organizations(
    session: AsyncSession, *, principal: Principal, params: PageParams
) -> OrganizationPage:
    rows, next_cursor = await keyset_page(
        session,
        visible_organizations(principal),
        created_at=Organization.created_at,
        row_id=Organization.id,
        params=params,
    )
    return OrganizationPage(
        items=[OrganizationRead.model_validate(dict(row._mapping)) for row in rows],
        next_cursor=next_cursor,
    )


async def get_organization(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID
) -> OrganizationRead:
    return await _get_visible(session, principal, organization_id)


async def create_organization(
    session: AsyncSession, *, principal: Principal, name: str, owner_email: str | None
) -> OrganizationRead:
    if not (principal.kind == "user" and principal.is_platform_admin):
        raise Forbidden("Only platform administrators create organizations.")
    organization = Organization(name=name)
    session.add(organization)
    await session.flush()
    if owner_email is not None:
        owner = await ensure_user(session, email=owner_email, display_name=None)
    else:
        assert principal.user_id is not None
        owner_id = principal.user_id
        owner = await session.get_one(User, owner_id)
    session.add(Membership(organization_id=organization.id, user_id=owner.id, role=Role.owner))
    audit.record(
        session,
        principal=principal,
        organization_id=organization.id,
        action="organization.create",
        target_type="organization",
        target_id=organization.id,
        data={"name": name, "owner_user_id": str(owner.id)},
    )
    await session.flush()
    return await _get_visible(session, principal, organization.id)


async def create_organization_with_owner(
    session: AsyncSession,
    *,
    organization_name: str,
    email: str,
    display_name: str | None,
    password: str,
) -> Organization:
    """The operator's bootstrap: an organization and its first owner, who can sign in."""
    organization = Organization(name=organization_name)
    session.add(organization)
    owner = await ensure_user(session, email=email, display_name=display_name)
    if owner.password_hash is None:
        owner.password_hash = await hash_password(password)
    await session.flush()
    session.add(Membership(organization_id=organization.id, user_id=owner.id, role=Role.owner))
    audit.record(
        session,
        principal=None,
        organization_id=organization.id,
        action="organization.create",
        target_type="organization",
        target_id=organization.id,
        data={"name": organization_name, "owner_user_id": str(owner.id), "via": "cli"},
    )
    await session.flush()
    return organization


async def rename_organization(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, name: str
) -> OrganizationRead:
    visible = await _get_visible(session, principal, organization_id)
    _require_owner(principal, visible)
    organization = await session.get_one(Organization, organization_id)
    if organization.name != name:
        audit.record(
            session,
            principal=principal,
            organization_id=organization_id,
            action="organization.rename",
            target_type="organization",
            target_id=organization_id,
            data={"from": organization.name, "to": name},
        )
        organization.name = name
        await session.flush()
    return await _get_visible(session, principal, organization_id)


async def ensure_user(session: AsyncSession, *, email: str, display_name: str | None) -> User:
    """The account for ``email``, created without a password when there is none yet.

    Safe under concurrency: if another transaction creates the same account first, the
    insert fails on the unique e-mail inside a savepoint and the existing row is used.
    """
    email = normalize_email(email)
    by_email = select(User).where(User.email == email)
    user = await session.scalar(by_email)
    if user is None:
        candidate = User(email=email, display_name=display_name or email.split("@", 1)[0])
        try:
            async with session.begin_nested():
                session.add(candidate)
        except IntegrityError:
            user = await session.scalar(by_email)
            if user is None:
                raise
        else:
            user = candidate
    if user.deleted_at is not None:
        raise AccountClosed(f"The account of {email} was closed.")
    return user


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
    await _get_visible(session, principal, organization_id)
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
    _require_owner(principal, await _get_visible(session, principal, organization_id))
    user = await ensure_user(session, email=email, display_name=display_name)
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
    _require_owner(principal, await _get_visible(session, principal, organization_id))
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
    _require_owner(principal, await _get_visible(session, principal, organization_id))
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
