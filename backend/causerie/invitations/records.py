"""What space and staff invitations share: the token, the read model, the e-mail, the audit line.

Tokens: 256 random bits, only the SHA-256 stored, bound to one address, expiring, single
use. Accepting (``joining``) is one conditional UPDATE, so of many concurrent accepts
exactly one wins.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import AppError, Conflict
from causerie.core.pagination import AnySelect
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.tokens import hash_token, new_opaque_token
from causerie.invitations import emails
from causerie.invitations.schemas import InvitationRead, InvitationState
from causerie.models import (
    Invitation,
    InvitationStatus,
    Organization,
    Space,
    SpaceStatus,
    User,
    invitation_segment,
)

JOINABLE = (SpaceStatus.draft, SpaceStatus.open)
STAFF_INVITATION_TTL = timedelta(days=14)


class InvitationGone(AppError):
    status = 410
    code = "invitation.gone"
    title = "This invitation can no longer be used"


class SpaceNotJoinable(InvitationGone):
    code = "invitation.space_closed"
    title = "This space no longer accepts new participants"


class AlreadyParticipant(Conflict):
    code = "invitation.already_participant"
    title = "Already a participant"


def state_of(status: InvitationStatus, expires_at: datetime, now: datetime) -> InvitationState:
    if status is InvitationStatus.pending and expires_at <= now:
        return "expired"
    return status.value


def issue(invitation: Invitation, ttl: timedelta) -> str:
    token = new_opaque_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = utcnow() + ttl
    invitation.last_sent_at = utcnow()
    invitation.send_count = (invitation.send_count or 0) + 1
    return token


async def inviter_name(session: AsyncSession, principal: Principal) -> str:
    if principal.user_id is None:
        return "Causerie"
    name = await session.scalar(select(User.display_name).where(User.id == principal.user_id))
    return name or "Causerie"


async def brand_name(session: AsyncSession, organization_id: uuid.UUID) -> str:
    return str(
        await session.scalar(select(Organization.name).where(Organization.id == organization_id))
    )


def columns() -> AnySelect:
    return select(
        Invitation.id,
        Invitation.kind,
        Invitation.email,
        Invitation.display_name,
        Invitation.role,
        Invitation.status,
        Invitation.expires_at,
        Invitation.accepted_at,
        Invitation.last_sent_at,
        Invitation.send_count,
        Invitation.created_at,
        Invitation.updated_at,
    )


async def read_many(session: AsyncSession, rows: list[dict[str, Any]]) -> list[InvitationRead]:
    segments: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if rows:
        links = await session.execute(
            select(invitation_segment.c.invitation_id, invitation_segment.c.segment_id).where(
                invitation_segment.c.invitation_id.in_([row["id"] for row in rows])
            )
        )
        for invitation_id, segment_id in links:
            segments[invitation_id].append(segment_id)
    now = utcnow()
    return [
        InvitationRead.model_validate(
            {
                **row,
                "status": state_of(row["status"], row["expires_at"], now),
                "segment_ids": segments.get(row["id"], []),
            }
        )
        for row in rows
    ]


def state_filter(state: InvitationState | None) -> list[Any]:
    now = utcnow()
    if state is None:
        return []
    if state == "expired":
        return [Invitation.status == InvitationStatus.pending, Invitation.expires_at <= now]
    if state == "pending":
        return [Invitation.status == InvitationStatus.pending, Invitation.expires_at > now]
    return [Invitation.status == InvitationStatus(state)]


async def read_one(session: AsyncSession, invitation_id: uuid.UUID) -> InvitationRead:
    row = (await session.execute(columns().where(Invitation.id == invitation_id))).one()
    (read,) = await read_many(session, [dict(row._mapping)])
    return read


def audit_invitation(
    session: AsyncSession, principal: Principal, invitation: Invitation, action: str
) -> None:
    audit.record(
        session,
        principal=principal,
        organization_id=invitation.organization_id,
        action=action,
        target_type="invitation",
        target_id=invitation.id,
        data={"email": invitation.email, "kind": invitation.kind.value},
    )


async def send(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    invitation: Invitation,
    space: Space | None,
    token: str,
) -> None:
    brand = await brand_name(session, invitation.organization_id)
    inviter = await inviter_name(session, principal)
    if space is not None:
        message = emails.participant_email(
            settings=settings,
            invitation=invitation,
            space=space,
            brand=brand,
            inviter=inviter,
            token=token,
        )
    else:
        message = emails.staff_email(
            settings=settings,
            invitation=invitation,
            brand=brand,
            inviter=inviter,
            token=token,
            language="fr" if invitation.language == "fr" else "en",
        )
    emails.enqueue(session, message)
