"""Invitations into a space (participants) or an organization (staff), and accepting them.

Tokens: 256 random bits, only the SHA-256 stored, bound to one address, expiring, single
use. Accepting is one conditional UPDATE, so of many concurrent accepts exactly one wins.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.accounts import service as accounts_service
from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import AppError, Conflict, InvalidInput, NotFound
from causerie.core.markdown import render_markdown
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.passwords import hash_password
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.text import normalize_email
from causerie.core.tokens import hash_token, new_opaque_token
from causerie.invitations import emails
from causerie.invitations.schemas import (
    InvitationAccept,
    InvitationPage,
    InvitationRead,
    InvitationSpace,
    InvitationState,
    PublicInvitationRead,
)
from causerie.models import (
    Invitation,
    InvitationKind,
    InvitationStatus,
    Membership,
    Organization,
    Participant,
    ParticipantStatus,
    Role,
    Space,
    SpaceStatus,
    User,
    invitation_segment,
)
from causerie.organizations import service as organizations_service
from causerie.participants import service as participants_service
from causerie.spaces import service as spaces_service

JOINABLE = (SpaceStatus.draft, SpaceStatus.open)
STAFF_INVITATION_TTL = timedelta(days=14)


class InvitationGone(AppError):
    status = 410
    code = "invitation.gone"
    title = "This invitation can no longer be used"


class InvitationExpired(InvitationGone):
    code = "invitation.expired"
    title = "This invitation has expired"


class InvitationRevoked(InvitationGone):
    code = "invitation.revoked"
    title = "This invitation was withdrawn"


class InvitationReplaced(InvitationGone):
    code = "invitation.replaced"
    title = "A newer invitation was sent"


class InvitationUsed(InvitationGone):
    code = "invitation.used"
    title = "This invitation was already used"


class SpaceNotJoinable(InvitationGone):
    code = "invitation.space_closed"
    title = "This space no longer accepts new participants"


class AlreadyParticipant(Conflict):
    code = "invitation.already_participant"
    title = "Already a participant"


class AlreadyInvited(Conflict):
    code = "invitation.already_pending"
    title = "An invitation is already pending"


class NotPending(Conflict):
    code = "invitation.not_pending"
    title = "Only a pending invitation can change"


class TermsNotAccepted(InvalidInput):
    code = "invitation.terms_required"
    title = "Accept the space's terms to join"


class PseudonymRequired(InvalidInput):
    code = "invitation.pseudonym_required"
    title = "Choose a pseudonym to join"


class SignInRequired(AppError):
    status = 401
    code = "invitation.sign_in_required"
    title = "Sign in to accept this invitation"


class OtherAccount(AppError):
    status = 403
    code = "invitation.other_account"
    title = "This invitation is for another address"


class PasswordNotAccepted(InvalidInput):
    code = "invitation.password_not_accepted"
    title = "An existing account keeps its password"


def state_of(status: InvitationStatus, expires_at: datetime, now: datetime) -> InvitationState:
    if status is InvitationStatus.pending and expires_at <= now:
        return "expired"
    return status.value


def _issue(invitation: Invitation, ttl: timedelta) -> str:
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


# --- reading -----------------------------------------------------------------------------


def _columns() -> AnySelect:
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


async def _reads(session: AsyncSession, rows: list[dict[str, Any]]) -> list[InvitationRead]:
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


def _state_filter(state: InvitationState | None) -> list[Any]:
    now = utcnow()
    if state is None:
        return []
    if state == "expired":
        return [Invitation.status == InvitationStatus.pending, Invitation.expires_at <= now]
    if state == "pending":
        return [Invitation.status == InvitationStatus.pending, Invitation.expires_at > now]
    return [Invitation.status == InvitationStatus(state)]


async def list_space_invitations(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    params: PageParams,
    state: InvitationState | None,
) -> InvitationPage:
    space, role = await spaces_service.get_space_for_staff(session, principal, space_id)
    organizations_service.require_role(role, *spaces_service.EDITORS)
    rows, next_cursor = await keyset_page(
        session,
        _columns().where(Invitation.space_id == space.id, *_state_filter(state)),
        created_at=Invitation.created_at,
        row_id=Invitation.id,
        params=params,
    )
    return InvitationPage(
        items=await _reads(session, [dict(row._mapping) for row in rows]), next_cursor=next_cursor
    )


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
        _columns().where(
            Invitation.organization_id == organization_id,
            Invitation.kind == InvitationKind.staff,
            *_state_filter(state),
        ),
        created_at=Invitation.created_at,
        row_id=Invitation.id,
        params=params,
    )
    return InvitationPage(
        items=await _reads(session, [dict(row._mapping) for row in rows]), next_cursor=next_cursor
    )


async def _read_one(session: AsyncSession, invitation_id: uuid.UUID) -> InvitationRead:
    row = (await session.execute(_columns().where(Invitation.id == invitation_id))).one()
    (read,) = await _reads(session, [dict(row._mapping)])
    return read


# --- inviting ----------------------------------------------------------------------------


async def _joinable_space(
    session: AsyncSession, principal: Principal, space_id: uuid.UUID
) -> Space:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    if space.status not in JOINABLE:
        raise SpaceNotJoinable("Invite people while the space is a draft or open.")
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
        raise AlreadyParticipant(f"{email} already takes part in this space.")
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
    segments = await spaces_service.live_segment_ids(session, space.id, segment_ids)
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
    token = _issue(invitation, timedelta(days=space.invitation_ttl_days))
    session.add(invitation)
    await session.flush()
    if segments:
        await session.execute(
            insert(invitation_segment),
            [{"invitation_id": invitation.id, "segment_id": s} for s in segments],
        )
    await _send(
        session,
        settings=settings,
        principal=principal,
        invitation=invitation,
        space=space,
        token=token,
    )
    _audit(session, principal, invitation, "invitation.create")
    return await _read_one(session, invitation.id)


async def _owner_of(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> None:
    await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    role = await organizations_service.staff_role(session, principal, organization_id)
    organizations_service.require_role(role, Role.owner)


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
        raise organizations_service.MemberExists(f"{email} is already a member.")
    invitation = Invitation(
        organization_id=organization_id,
        kind=InvitationKind.staff,
        role=role,
        email=email,
        message=message,
        language="fr" if language == "fr" else "en",
        invited_by_user_id=principal.user_id,
    )
    token = _issue(invitation, STAFF_INVITATION_TTL)
    session.add(invitation)
    await session.flush()
    await _send(
        session,
        settings=settings,
        principal=principal,
        invitation=invitation,
        space=None,
        token=token,
    )
    _audit(session, principal, invitation, "invitation.create")
    return await _read_one(session, invitation.id)


def _audit(
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
    _audit(session, principal, invitation, "invitation.revoke")
    await session.flush()
    return await _read_one(session, invitation.id)


async def resend(
    session: AsyncSession, *, settings: Settings, principal: Principal, invitation_id: uuid.UUID
) -> InvitationRead:
    """Replace a pending (or expired) invitation by a new one with a new link and e-mail.

    The old link then answers 410 ("a newer invitation was sent").
    """
    old, space = await _managed_invitation(session, principal, invitation_id)
    if old.status is not InvitationStatus.pending:
        raise NotPending("Only a pending (or expired) invitation can be sent again.")
    if space is not None and space.status not in JOINABLE:
        raise SpaceNotJoinable("The space no longer accepts new participants.")
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
    ttl = timedelta(days=space.invitation_ttl_days) if space else STAFF_INVITATION_TTL
    token = _issue(new, ttl)
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
    await _send(
        session, settings=settings, principal=principal, invitation=new, space=space, token=token
    )
    _audit(session, principal, new, "invitation.resend")
    await session.flush()
    return await _read_one(session, new.id)


async def _send(
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


# --- the public side: preview and accept -------------------------------------------------


async def _by_token(session: AsyncSession, token: str) -> Invitation:
    if not 20 <= len(token) <= 100:
        raise NotFound("No such invitation.")
    invitation = await session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None:
        raise NotFound("No such invitation; check the link or ask for a new one.")
    return invitation


def _ensure_usable(invitation: Invitation, now: datetime) -> None:
    if invitation.status is InvitationStatus.revoked:
        if invitation.replaced_by_id is not None:
            raise InvitationReplaced(
                "A newer invitation was sent; use the link in the latest e-mail."
            )
        raise InvitationRevoked("This invitation was withdrawn; ask the brand for a new one.")
    if invitation.status is InvitationStatus.accepted:
        raise InvitationUsed("This invitation was already used; sign in instead.")
    if invitation.expires_at <= now:
        raise InvitationExpired("This invitation has expired; ask the brand to send it again.")


async def _space_of(session: AsyncSession, invitation: Invitation) -> Space | None:
    if invitation.space_id is None:
        return None
    space = await session.scalar(
        select(Space).where(Space.id == invitation.space_id, Space.deleted_at.is_(None))
    )
    if space is None or space.status not in JOINABLE:
        raise SpaceNotJoinable("This space no longer accepts new participants.")
    return space


async def preview(session: AsyncSession, *, token: str) -> PublicInvitationRead:
    invitation = await _by_token(session, token)
    _ensure_usable(invitation, utcnow())
    space = await _space_of(session, invitation)
    account = await session.scalar(
        select(User.id).where(User.email == invitation.email, User.deleted_at.is_(None))
    )
    return PublicInvitationRead(
        kind=invitation.kind,
        email=invitation.email,
        organization_name=await brand_name(session, invitation.organization_id),
        role=invitation.role,
        space=None
        if space is None
        else InvitationSpace(
            id=space.id,
            title=space.title,
            description_html=render_markdown(space.description),
            welcome_html=render_markdown(space.welcome_message),
            terms_html=render_markdown(space.terms),
            terms_version=space.terms_version,
            accent_color=space.accent_color,
            logo_url=spaces_service.logo_url(space.logo_file),
            language=space.language,
        ),
        expires_at=invitation.expires_at,
        account_exists=account is not None,
        personal_message=invitation.message,
    )


@dataclass(frozen=True)
class Accepted:
    """The outcome of accepting: ``tokens`` only when the invitation created the account."""

    invitation: Invitation
    tokens: accounts_service.IssuedTokens | None


async def accept(
    session: AsyncSession,
    *,
    settings: Settings,
    token: str,
    body: InvitationAccept,
    principal: Principal | None,
) -> Accepted:
    """Join the space (or the staff) the invitation leads to.

    The link proves only that its holder can read the invitation e-mail, and such e-mails
    may be read by others. So a link never signs anyone into an account that existed
    before it, never sets a password on one and never changes its address: an existing
    person accepts while signed in as the invited address (``principal``). Only an account
    the invitation itself creates is signed in on acceptance.
    """
    invitation = await _by_token(session, token)
    now = utcnow()
    _ensure_usable(invitation, now)
    space = await _space_of(session, invitation)
    if space is not None:
        if not body.accept_terms:
            raise TermsNotAccepted("Read and accept the space's terms to join.")
        if body.pseudonym is None:
            raise PseudonymRequired("Choose the pseudonym others will see.")
    if principal is not None:
        user: User | None = await _signed_in_invitee(session, principal, invitation, body)
    else:
        await _ensure_no_account(session, invitation)
        user = None
    # The one conditional update that makes concurrent accepts safe.
    claimed = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.status == InvitationStatus.pending,
            Invitation.expires_at > now,
        )
        .values(status=InvitationStatus.accepted, accepted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvitationUsed("This invitation was already used; sign in instead.")
    if user is None:
        user = await _create_account(session, invitation, body)
    await session.execute(
        update(Invitation).where(Invitation.id == invitation.id).values(accepted_user_id=user.id)
    )
    if space is not None:
        assert body.pseudonym is not None
        await _join_space(session, space, invitation, user.id, body.pseudonym, now)
    else:
        await _join_staff(session, invitation, user.id)
    audit.record(
        session,
        principal=Principal.for_user(user.id),
        organization_id=invitation.organization_id,
        action="invitation.accept",
        target_type="invitation",
        target_id=invitation.id,
        data={"kind": invitation.kind.value, "new_account": principal is None},
    )
    if principal is not None:
        return Accepted(invitation=invitation, tokens=None)
    tokens = await accounts_service.issue_tokens(session, settings=settings, user_id=user.id)
    return Accepted(invitation=invitation, tokens=tokens)


async def _signed_in_invitee(
    session: AsyncSession, principal: Principal, invitation: Invitation, body: InvitationAccept
) -> User:
    """The signed-in caller, who must own the invited address."""
    user = (
        await accounts_service.get_active_user(session, principal.user_id)
        if principal.user_id is not None
        else None
    )
    if user is None or user.email != invitation.email:
        raise OtherAccount(
            "This invitation was sent to another address: sign out, then sign in with the "
            "address that received it."
        )
    if body.password is not None:
        raise PasswordNotAccepted(
            "You already have an account: change its password from your profile."
        )
    return user


async def _ensure_no_account(session: AsyncSession, invitation: Invitation) -> None:
    """An anonymous acceptance may only create an account: if one exists, its owner signs in."""
    row = (
        await session.execute(
            select(User.id, User.deleted_at).where(User.email == invitation.email)
        )
    ).one_or_none()
    if row is None:
        return
    if row.deleted_at is not None:
        raise organizations_service.AccountClosed(f"The account of {invitation.email} was closed.")
    raise SignInRequired(f"{invitation.email} already has an account: sign in with it to accept.")


async def _create_account(
    session: AsyncSession, invitation: Invitation, body: InvitationAccept
) -> User:
    """The invited address's new account (after the invitation was claimed)."""
    user = User(
        email=invitation.email,
        display_name=body.display_name
        or invitation.display_name
        or body.pseudonym
        or invitation.email.split("@", 1)[0],
    )
    try:
        async with session.begin_nested():
            session.add(user)
    except IntegrityError:
        # Created meanwhile by another request: not ours to sign in.
        raise SignInRequired(
            f"{invitation.email} already has an account: sign in with it to accept."
        ) from None
    if body.password:
        user.password_hash = await hash_password(body.password)
    return user


async def _join_space(
    session: AsyncSession,
    space: Space,
    invitation: Invitation,
    user_id: uuid.UUID,
    pseudonym: str,
    now: datetime,
) -> None:
    participant = await session.scalar(
        select(Participant).where(Participant.space_id == space.id, Participant.user_id == user_id)
    )
    if participant is not None and participant.status is not ParticipantStatus.left:
        raise AlreadyParticipant("You already take part in this space; sign in instead.")
    if participant is None:
        participant = Participant(
            organization_id=space.organization_id,
            space_id=space.id,
            user_id=user_id,
            joined_at=now,
            consent_terms_version=space.terms_version,
            consent_at=now,
        )
    else:  # coming back after leaving
        participant.status = ParticipantStatus.active
        participant.left_at = None
        participant.joined_at = now
        participant.consent_terms_version = space.terms_version
        participant.consent_at = now
    await participants_service.save_pseudonym(session, participant, pseudonym)
    segment_ids = (
        await session.scalars(
            select(invitation_segment.c.segment_id).where(
                invitation_segment.c.invitation_id == invitation.id
            )
        )
    ).all()
    live = await spaces_service.live_segment_ids_lenient(session, space.id, list(segment_ids))
    await participants_service.set_segments(session, participant.id, live)


async def _join_staff(session: AsyncSession, invitation: Invitation, user_id: uuid.UUID) -> None:
    membership = await session.scalar(
        select(Membership).where(
            Membership.organization_id == invitation.organization_id,
            Membership.user_id == user_id,
        )
    )
    role = invitation.role or Role.observer
    if membership is None:
        session.add(
            Membership(organization_id=invitation.organization_id, user_id=user_id, role=role)
        )
    elif membership.deleted_at is not None:
        membership.deleted_at = None
        membership.role = role
    await session.flush()
