"""Organizations: who sees which, staff roles, create and rename. Members are in ``members``.

Visible first, then permitted: an organization the caller is not a member of is a
404; one they can see but may not change is a 403.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ScalarSelect, Select, SQLColumnExpression, and_, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.errors import Conflict, Forbidden, NotFound
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.passwords import hash_password
from causerie.core.principal import Principal
from causerie.core.text import normalize_email
from causerie.models import Membership, Organization, Role, User
from causerie.organizations.schemas import OrganizationPage, OrganizationRead


class AccountClosed(Conflict):
    code = "conflict.account_closed"
    title = "This account was closed"


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


def staff_role_column(
    user_id: uuid.UUID | SQLColumnExpression[uuid.UUID],
    organization_id: uuid.UUID | SQLColumnExpression[uuid.UUID],
) -> ScalarSelect[Role]:
    """The membership role of a person in an organization as a scalar subquery, so that the
    query loading a resource also says what its caller is there (finish with
    ``effective_role``)."""
    return (
        select(Membership.role)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.organization_id == organization_id,
            Membership.user_id == user_id,
            Membership.deleted_at.is_(None),
            Organization.deleted_at.is_(None),
        )
        .scalar_subquery()
    )


def effective_role(principal: Principal, role: Role | None) -> Role | None:
    """The membership's role; platform admins act as owners where they have none."""
    if role is None and principal.kind == "user" and principal.is_platform_admin:
        return Role.owner
    return role


async def staff_role(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> Role | None:
    """The principal's staff role in the organization (platform admins act as owners)."""
    if principal.kind != "user" or principal.user_id is None:
        return None
    role = await session.scalar(select(staff_role_column(principal.user_id, organization_id)))
    return effective_role(principal, role)


EDITORS = (Role.owner, Role.animator)
"""The roles that change things (script, invitations, replies, probes, notes); observers read."""
STAFF = (Role.owner, Role.animator, Role.observer)


def members_with_role(
    organization_id: uuid.UUID, roles: tuple[Role, ...] = STAFF
) -> Select[uuid.UUID]:
    """The ids of the organization's members with one of ``roles``, as a query to select
    from or to insert from (never loaded person by person)."""
    return select(Membership.user_id).where(
        Membership.organization_id == organization_id,
        Membership.deleted_at.is_(None),
        Membership.role.in_(roles),
    )


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


def require_owner(principal: Principal, organization: OrganizationRead) -> None:
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
    require_owner(principal, visible)
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
