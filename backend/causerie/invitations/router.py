"""Invitations: staff invite (one by one or from CSV), revoke, resend; the public join."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Response, UploadFile, status

from causerie.accounts.deps import CurrentPrincipal, OptionalPrincipal
from causerie.accounts.router import set_session_cookie
from causerie.core.errors import (
    Forbidden,
    InvalidToken,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    responses,
)
from causerie.core.http import SessionDep, SettingsDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.invitations import imports, joining, records, staff
from causerie.invitations import service as invitations_service
from causerie.invitations.schemas import (
    ImportCommitted,
    ImportPreview,
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationPage,
    InvitationRead,
    InvitationState,
    PublicInvitationRead,
    StaffInvitationCreate,
)
from causerie.organizations.members import MemberExists
from causerie.organizations.service import AccountClosed
from causerie.participants.service import PseudonymTaken
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service

router = APIRouter(tags=["invitations"], route_class=UnitOfWorkRoute)
AUTH = (NotAuthenticated, InvalidToken)
CHANGE = (*AUTH, NotFound, Forbidden, spaces_service.SpaceArchived)
GONE = (
    joining.InvitationExpired,
    joining.InvitationRevoked,
    joining.InvitationReplaced,
    joining.InvitationUsed,
    records.SpaceNotJoinable,
)
StateQuery = Annotated[InvitationState | None, Query(alias="status")]
Token = Annotated[str, Path(min_length=1, max_length=200)]
MAX_CSV_BYTES = 4 * 1024 * 1024


@router.get(
    "/spaces/{space_id}/invitations",
    responses=responses(*AUTH, NotFound, Forbidden, InvalidCursor),
)
async def list_space_invitations(
    space_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
    state: StateQuery = None,
) -> InvitationPage:
    """The space's invitations (owners and animators), optionally by status."""
    return await invitations_service.list_space_invitations(
        session, principal=principal, space_id=space_id, params=page, state=state
    )


@router.post(
    "/spaces/{space_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    responses=responses(
        *CHANGE,
        segments_service.UnknownSegments,
        records.AlreadyParticipant,
        invitations_service.AlreadyInvited,
        records.SpaceNotJoinable,
    ),
)
async def invite_participant(
    space_id: uuid.UUID,
    body: InvitationCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> InvitationRead:
    """Invite one person by e-mail into the space; the e-mail leaves after commit."""
    return await invitations_service.invite_participant(
        session,
        settings=settings,
        principal=principal,
        space_id=space_id,
        email=body.email,
        segment_ids=body.segment_ids,
        display_name=body.display_name,
        message=body.message,
    )


@router.post(
    "/spaces/{space_id}/invitations/import",
    status_code=status.HTTP_201_CREATED,
    responses=responses(*CHANGE, imports.InvalidCsv, PayloadTooLarge),
)
async def preview_import(
    space_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="CSV: email,segments,display_name")],
    principal: CurrentPrincipal,
    session: SessionDep,
) -> ImportPreview:
    """Step 1: check every row of a CSV file; nothing is sent yet."""
    data = await file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise PayloadTooLarge(f"The file exceeds {MAX_CSV_BYTES // (1024 * 1024)} MiB.")
    return await imports.preview(session, principal=principal, space_id=space_id, data=data)


@router.get("/spaces/{space_id}/invitations/import/{import_id}", responses=responses(*CHANGE))
async def read_import(
    space_id: uuid.UUID, import_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> ImportPreview:
    return await imports.get_preview(
        session, principal=principal, space_id=space_id, import_id=import_id
    )


@router.post(
    "/spaces/{space_id}/invitations/import/{import_id}/commit",
    responses=responses(*CHANGE, imports.ImportAlreadyCommitted, records.SpaceNotJoinable),
)
async def commit_import(
    space_id: uuid.UUID,
    import_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> ImportCommitted:
    """Step 2: invite the rows that were valid (and still are)."""
    return await imports.commit(
        session, settings=settings, principal=principal, space_id=space_id, import_id=import_id
    )


@router.get(
    "/organizations/{organization_id}/invitations",
    responses=responses(*AUTH, NotFound, Forbidden, InvalidCursor),
)
async def list_staff_invitations(
    organization_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
    state: StateQuery = None,
) -> InvitationPage:
    """Invitations to join the organization's staff (owners)."""
    return await staff.list_staff_invitations(
        session, principal=principal, organization_id=organization_id, params=page, state=state
    )


@router.post(
    "/organizations/{organization_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    responses=responses(*AUTH, NotFound, Forbidden, MemberExists),
)
async def invite_staff(
    organization_id: uuid.UUID,
    body: StaffInvitationCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> InvitationRead:
    """Invite someone to the organization's staff with a role (owners)."""
    return await staff.invite_staff(
        session,
        settings=settings,
        principal=principal,
        organization_id=organization_id,
        email=body.email,
        role=body.role,
        message=body.message,
        language=body.language.value,
    )


@router.post(
    "/invitations/{invitation_id}/revoke",
    responses=responses(*CHANGE, invitations_service.NotPending),
)
async def revoke_invitation(
    invitation_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> InvitationRead:
    """Withdraw a pending invitation: its link stops working."""
    return await invitations_service.revoke(
        session, principal=principal, invitation_id=invitation_id
    )


@router.post(
    "/invitations/{invitation_id}/resend",
    responses=responses(*CHANGE, invitations_service.NotPending, records.SpaceNotJoinable),
)
async def resend_invitation(
    invitation_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> InvitationRead:
    """Send a pending or expired invitation again with a new link; the old one dies."""
    return await invitations_service.resend(
        session, settings=settings, principal=principal, invitation_id=invitation_id
    )


@router.get(
    "/invitations/{token}",
    tags=["public"],
    responses=responses(NotFound, *GONE),
)
async def read_invitation(token: Token, session: SessionDep) -> PublicInvitationRead:
    """Public: what an invitation link leads to (the space's name, branding, welcome)."""
    return await joining.preview(session, token=token)


@router.post(
    "/invitations/{token}",
    tags=["public"],
    responses=responses(
        NotFound,
        *GONE,
        InvalidToken,
        joining.TermsNotAccepted,
        joining.PseudonymRequired,
        records.AlreadyParticipant,
        joining.SignInRequired,
        joining.OtherAccount,
        joining.PasswordNotAccepted,
        AccountClosed,
        PseudonymTaken,
    ),
)
async def accept_invitation(
    token: Token,
    body: InvitationAccept,
    response: Response,
    principal: OptionalPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> InvitationAccepted:
    """Public: accept the invitation.

    Signed in as the invited address: joins with that account. Not signed in: creates the
    account and signs it in, only if the address has none yet (otherwise 401
    ``invitation.sign_in_required``: sign in first, then accept).
    """
    accepted = await joining.accept(
        session, settings=settings, token=token, body=body, principal=principal
    )
    invitation = accepted.invitation
    if accepted.tokens is None:
        return InvitationAccepted(
            access_token=None,
            expires_in=None,
            signed_in=False,
            space_id=invitation.space_id,
            organization_id=invitation.organization_id,
        )
    read = set_session_cookie(response, settings, accepted.tokens)
    return InvitationAccepted(
        access_token=read.access_token,
        expires_in=read.expires_in,
        signed_in=True,
        space_id=invitation.space_id,
        organization_id=invitation.organization_id,
    )
