"""Invitations to join an organization's staff with a role (owners only)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.text import normalize_email
from causerie.invitations import records
from causerie.invitations.schemas import InvitationPage, InvitationRead, InvitationState
from causerie.models import Invitation, InvitationKind, Membership, Role, User
from causerie.organizations import members
from causerie.organizations import service as organizations_service


async def _owner_of(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> None:
    await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    role = await organizations_service.staff_role(session, principal, organization_id)
    organizations_service.require_role(role, Role.owner)


async def list_staff_invitations(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    params: PageParams,
    state: InvitationState | None,
) -> InvitationPage:
    await _owner_of(session, principal, organization_id)
    rows, next_cursor = await keyset_page(
        session,
        records.columns().where(
            Invitation.organization_id == organization_id,
            Invitation.kind == InvitationKind.staff,
            *records.state_filter(state),
        ),
        created_at=Invitation.created_at,
        row_id=Invitation.id,
        params=params,
    )
    return InvitationPage(
        items=await records.read_many(session, [dict(row._mapping) for row in rows]),
        next_cursor=next_cursor,
    )


async def invite_staff(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    organization_id: uuid.UUID,
    email: str,
    role: Role,
    message: str | None,
    language: str,
) -> InvitationRead:
    await _owner_of(session, principal, organization_id)
    email = normalize_email(email)
    member = await session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organization_id == organization_id,
            User.email == email,
            Membership.deleted_at.is_(None),
        )
    )
    if member is not None:
        raise members.MemberExists(f"{email} is already a member.")
    invitation = Invitation(
        organization_id=organization_id,
        kind=InvitationKind.staff,
        role=role,
        email=email,
        message=message,
        language="fr" if language == "fr" else "en",
        invited_by_user_id=principal.user_id,
    )
    token = records.issue(invitation, records.STAFF_INVITATION_TTL)
    session.add(invitation)
    await session.flush()
    await records.send(
        session,
        settings=settings,
        principal=principal,
        invitation=invitation,
        space=None,
        token=token,
    )
    records.audit_invitation(session, principal, invitation, "invitation.create")
    return await records.read_one(session, invitation.id)
