"""The public side of an invitation link: preview it, accept it (join a space or the staff).

The link proves only that its holder can read the invitation e-mail: it never signs anyone
into an account that existed before it (see ``accept``). Accepting is one conditional
UPDATE, so of many concurrent accepts exactly one wins.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.accounts import service as accounts_service
from causerie.audit import service as audit
from causerie.core import events
from causerie.core.clock import utcnow
from causerie.core.errors import AppError, InvalidInput, NotFound
from causerie.core.event_catalogue import ParticipantJoined
from causerie.core.markdown import render_markdown
from causerie.core.passwords import hash_password
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.tokens import hash_token
from causerie.invitations import records
from causerie.invitations.schemas import InvitationAccept, InvitationSpace, PublicInvitationRead
from causerie.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Participant,
    ParticipantStatus,
    Role,
    Space,
    User,
    invitation_segment,
)
from causerie.organizations import service as organizations_service
from causerie.participants import service as participants_service
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service


class InvitationExpired(records.InvitationGone):
    code = "invitation.expired"
    title = "This invitation has expired"


class InvitationRevoked(records.InvitationGone):
    code = "invitation.revoked"
    title = "This invitation was withdrawn"


class InvitationReplaced(records.InvitationGone):
    code = "invitation.replaced"
    title = "A newer invitation was sent"


class InvitationUsed(records.InvitationGone):
    code = "invitation.used"
    title = "This invitation was already used"


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
    if space is None or space.status not in records.JOINABLE:
        raise records.SpaceNotJoinable("This space no longer accepts new participants.")
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
        organization_name=await records.brand_name(session, invitation.organization_id),
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
        raise records.AlreadyParticipant("You already take part in this space; sign in instead.")
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
    live = await segments_service.live_segment_ids_lenient(session, space.id, list(segment_ids))
    await participants_service.set_segments(session, participant.id, live)
    await events.record(
        session,
        ParticipantJoined(
            organization_id=space.organization_id,
            space_id=space.id,
            participant_id=participant.id,
        ),
    )


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
