"""Organizations (brands) and their staff members."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from causerie.accounts.deps import CurrentPrincipal
from causerie.core.errors import Forbidden, InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.organizations import members
from causerie.organizations import service as organizations_service
from causerie.organizations.schemas import (
    MemberCreate,
    MemberPage,
    MemberRead,
    MemberUpdate,
    OrganizationCreate,
    OrganizationPage,
    OrganizationRead,
    OrganizationUpdate,
)

AUTH_ERRORS = (NotAuthenticated, InvalidToken)
router = APIRouter(
    prefix="/organizations",
    tags=["organizations"],
    route_class=UnitOfWorkRoute,
    responses=responses(*AUTH_ERRORS),
)


@router.get("", responses=responses(InvalidCursor))
async def list_organizations(
    principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> OrganizationPage:
    """The organizations the caller belongs to."""
    return await organizations_service.list_organizations(session, principal=principal, params=page)


@router.post("", status_code=status.HTTP_201_CREATED, responses=responses(Forbidden))
async def create_organization(
    body: OrganizationCreate, principal: CurrentPrincipal, session: SessionDep
) -> OrganizationRead:
    """Create an organization (platform administrators only)."""
    return await organizations_service.create_organization(
        session, principal=principal, name=body.name, owner_email=body.owner_email
    )


@router.get("/{organization_id}", responses=responses(NotFound))
async def read_organization(
    organization_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> OrganizationRead:
    return await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )


@router.patch("/{organization_id}", responses=responses(NotFound, Forbidden))
async def rename_organization(
    organization_id: uuid.UUID,
    body: OrganizationUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> OrganizationRead:
    """Rename the organization (owners)."""
    return await organizations_service.rename_organization(
        session, principal=principal, organization_id=organization_id, name=body.name
    )


@router.get("/{organization_id}/members", responses=responses(NotFound, InvalidCursor))
async def list_members(
    organization_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
) -> MemberPage:
    """The organization's staff with their roles."""
    return await members.list_members(
        session, principal=principal, organization_id=organization_id, params=page
    )


@router.post(
    "/{organization_id}/members",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotFound, Forbidden, members.MemberExists),
)
async def add_member(
    organization_id: uuid.UUID,
    body: MemberCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> MemberRead:
    """Add a member by e-mail with a role (owners)."""
    return await members.add_member(
        session,
        principal=principal,
        organization_id=organization_id,
        email=body.email,
        role=body.role,
        display_name=body.display_name,
    )


@router.patch(
    "/{organization_id}/members/{user_id}",
    responses=responses(NotFound, Forbidden, members.LastOwner),
)
async def change_member_role(
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    body: MemberUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> MemberRead:
    """Change a member's role (owners); the last owner cannot be demoted."""
    return await members.change_member_role(
        session,
        principal=principal,
        organization_id=organization_id,
        user_id=user_id,
        role=body.role,
    )


@router.delete(
    "/{organization_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotFound, Forbidden, members.LastOwner),
)
async def remove_member(
    organization_id: uuid.UUID, user_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Remove a member (owners); the last owner cannot be removed."""
    await members.remove_member(
        session, principal=principal, organization_id=organization_id, user_id=user_id
    )
