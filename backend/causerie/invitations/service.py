"""Invitations into a space: list, invite one person, revoke, resend (staff ones too).

What both kinds share is in ``records``; staff invitations are created in ``staff``; the
public side of a link (preview, accept) is in ``joining``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, NotFound
from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.text import normalize_email
from causerie.invitations import records
from causerie.invitations.schemas import InvitationPage, InvitationRead, InvitationState
from causerie.models import (
    Invitation,
    InvitationKind,
    InvitationStatus,
    Participant,
    ParticipantStatus,
    Role,
    Space,
    User,
    invitation_segment,
)
from causerie.organizations import service as organizations_service
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service


class AlreadyInvited(Conflict):
    code = "invitation.already_pending"
    title = "An invitation is already pending"


class NotPending(Conflict):
    code = "invitation.not_pending"
    title = "Only a pending invitation can change"


async def list_space_invitations(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    params: PageParams,
    state: InvitationState | None,
) -> InvitationPage:
    space, role = await spaces_service.get_space_for_staff(session, principal, space_id)
    organizations_service.require_role(role, *organizations_service.EDITORS)
    rows, next_cursor = await keyset_page(
        session,
        records.columns().where(Invitation.space_id == space.id, *records.state_filter(state)),
        created_at=Invitation.created_at,
        row_id=Invitation.id,
        params=params,
    )
    return InvitationPage(
        items=await records.read_many(session, [dict(row._mapping) for row in rows]),
        next_cursor=next_cursor,
    )


# --- inviting ----------------------------------------------------------------------------


async def _joinable_space(
    session: AsyncSession, principal: Principal, space_id: uuid.UUID
) -> Space:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    if space.status not in records.JOINABLE:
        raise records.SpaceNotJoinable("Invite people while the space is a draft or open.")
    # Serialize invitations into one space (PostgreSQL), so that "already invited" holds
    # under concurrent requests; SQLite write transactions are serialized already.
    await session.execute(select(Space.id).where(Space.id == space.id).with_for_update())
    return space


async def ensure_invitable(session: AsyncSession, space_id: uuid.UUID, email: str) -> None:
    """409 if the address already takes part in the space or has a live invitation."""
    participant = await session.scalar(
        select(Participant.id)
        .join(User, User.id == Participant.user_id)
        .where(
            Participant.space_id == space_id,
            User.email == email,
            Participant.status != ParticipantStatus.left,
        )
    )
    if participant is not None:
        raise records.AlreadyParticipant(f"{email} already takes part in this space.")
    pending = await session.scalar(
        select(Invitation.id).where(
            Invitation.space_id == space_id,
            Invitation.email == email,
            Invitation.status == InvitationStatus.pending,
            Invitation.expires_at > utcnow(),
        )
    )
    if pending is not None:
        raise AlreadyInvited(f"{email} already has a pending invitation; resend it instead.")


async def invite_participant(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    space_id: uuid.UUID,
    email: str,
    segment_ids: list[uuid.UUID],
    display_name: str | None,
    message: str | None,
) -> InvitationRead:
    space = await _joinable_space(session, principal, space_id)
    email = normalize_email(email)
    segments = await segments_service.live_segment_ids(session, space.id, segment_ids)
    await ensure_invitable(session, space.id, email)
    invitation = Invitation(
        organization_id=space.organization_id,
        space_id=space.id,
        kind=InvitationKind.participant,
        email=email,
        display_name=display_name,
        message=message,
        language=space.language.value,
        invited_by_user_id=principal.user_id,
    )
    token = records.issue(invitation, timedelta(days=space.invitation_ttl_days))
    session.add(invitation)
    await session.flush()
    if segments:
        await session.execute(
            insert(invitation_segment),
            [{"invitation_id": invitation.id, "segment_id": s} for s in segments],
        )
    await records.send(
        session,
        settings=settings,
        principal=principal,
        invitation=invitation,
        space=space,
        token=token,
    )
    records.audit_invitation(session, principal, invitation, "invitation.create")
    return await records.read_one(session, invitation.id)


async def _managed_invitation(
    session: AsyncSession, principal: Principal, invitation_id: uuid.UUID
) -> tuple[Invitation, Space | None]:
    """An invitation the principal may revoke or resend; 404 when not visible."""
    invitation = await session.scalar(select(Invitation).where(Invitation.id == invitation_id))
    if invitation is None:
        raise NotFound("No such invitation.")
    if invitation.space_id is not None:
        try:
            space = await spaces_service.get_editable_space(session, principal, invitation.space_id)
        except NotFound:
            raise NotFound("No such invitation.") from None
        return invitation, space
    role = await organizations_service.staff_role(session, principal, invitation.organization_id)
    if role is None:
        raise NotFound("No such invitation.")
    organizations_service.require_role(role, Role.owner)
    return invitation, None


async def revoke(
    session: AsyncSession, *, principal: Principal, invitation_id: uuid.UUID
) -> InvitationRead:
    invitation, _space = await _managed_invitation(session, principal, invitation_id)
    if invitation.status is not InvitationStatus.pending:
        raise NotPending("Only a pending invitation can be revoked.")
    invitation.status = InvitationStatus.revoked
    invitation.revoked_at = utcnow()
    records.audit_invitation(session, principal, invitation, "invitation.revoke")
    await session.flush()
    return await records.read_one(session, invitation.id)


async def resend(
    session: AsyncSession, *, settings: Settings, principal: Principal, invitation_id: uuid.UUID
) -> InvitationRead:
    """Replace a pending (or expired) invitation by a new one with a new link and e-mail.

    The old link then answers 410 ("a newer invitation was sent").
    """
    old, space = await _managed_invitation(session, principal, invitation_id)
    if old.status is not InvitationStatus.pending:
        raise NotPending("Only a pending (or expired) invitation can be sent again.")
    if space is not None and space.status not in records.JOINABLE:
        raise records.SpaceNotJoinable("The space no longer accepts new participants.")
    new = Invitation(
        organization_id=old.organization_id,
        space_id=old.space_id,
        kind=old.kind,
        role=old.role,
        email=old.email,
        display_name=old.display_name,
        message=old.message,
        language=old.language,
        invited_by_user_id=principal.user_id,
        send_count=old.send_count,
    )
    ttl = timedelta(days=space.invitation_ttl_days) if space else records.STAFF_INVITATION_TTL
    token = records.issue(new, ttl)
    session.add(new)
    await session.flush()
    old.status, old.revoked_at, old.replaced_by_id = InvitationStatus.revoked, utcnow(), new.id
    segment_ids = (
        await session.scalars(
            select(invitation_segment.c.segment_id).where(
                invitation_segment.c.invitation_id == old.id
            )
        )
    ).all()
    if segment_ids:
        await session.execute(
            insert(invitation_segment),
            [{"invitation_id": new.id, "segment_id": s} for s in segment_ids],
        )
    await records.send(
        session, settings=settings, principal=principal, invitation=new, space=space, token=token
    )
    records.audit_invitation(session, principal, new, "invitation.resend")
    await session.flush()
    return await records.read_one(session, new.id)
