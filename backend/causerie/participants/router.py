"""Participants: the staff view of a space's people, and each participant's own spaces."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from causerie.accounts.deps import CurrentPrincipal
from causerie.core.errors import Forbidden, InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.models import ParticipantStatus
from causerie.participants import my_spaces
from causerie.participants import service as participants_service
from causerie.participants.schemas import (
    MySpaceRead,
    MySpaceUpdate,
    ParticipantPage,
    ParticipantRead,
    ParticipantUpdate,
    PeerPage,
)
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service

router = APIRouter(route_class=UnitOfWorkRoute, responses=responses(NotAuthenticated, InvalidToken))


@router.get(
    "/spaces/{space_id}/participants",
    tags=["participants"],
    responses=responses(NotFound, InvalidCursor),
)
async def list_participants(
    space_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
    participant_status: Annotated[ParticipantStatus | None, Query(alias="status")] = None,
    segment_id: uuid.UUID | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Search pseudonyms")] = None,
) -> ParticipantPage:
    """The space's participants; e-mail addresses only for owners and animators."""
    return await participants_service.list_participants(
        session,
        principal=principal,
        space_id=space_id,
        params=page,
        status=participant_status,
        segment_id=segment_id,
        query=q,
    )


@router.patch(
    "/spaces/{space_id}/participants/{participant_id}",
    tags=["participants"],
    responses=responses(
        NotFound,
        Forbidden,
        spaces_service.SpaceArchived,
        segments_service.UnknownSegments,
        participants_service.ParticipantLeft,
    ),
)
async def update_participant(
    space_id: uuid.UUID,
    participant_id: uuid.UUID,
    body: ParticipantUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> ParticipantRead:
    """Change a participant's segments, or suspend / reactivate them (owners, animators)."""
    return await participants_service.update_participant(
        session,
        principal=principal,
        space_id=space_id,
        participant_id=participant_id,
        segment_ids=body.segment_ids,
        status=ParticipantStatus(body.status) if body.status else None,
    )


# My own participation: 404 where I am not (or no longer) a participant, 403 when suspended.
MINE = (NotFound, participants_service.ParticipantSuspended)


@router.get("/me/spaces/{space_id}", tags=["me"], responses=responses(*MINE))
async def read_my_space(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> MySpaceRead:
    return await my_spaces.get_my_space(session, principal=principal, space_id=space_id)


@router.post(
    "/me/spaces/{space_id}/visit",
    tags=["me"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(*MINE),
)
async def record_visit(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Note that I opened the space: its staff see when I last came (to within minutes)."""
    await my_spaces.record_visit(session, principal=principal, space_id=space_id)


@router.patch(
    "/me/spaces/{space_id}",
    tags=["me"],
    responses=responses(*MINE, participants_service.PseudonymTaken),
)
async def update_my_space(
    space_id: uuid.UUID, body: MySpaceUpdate, principal: CurrentPrincipal, session: SessionDep
) -> MySpaceRead:
    """Change my pseudonym or my e-mail notification preference in this space."""
    return await my_spaces.update_my_space(
        session,
        principal=principal,
        space_id=space_id,
        pseudonym=body.pseudonym,
        email_notifications=body.email_notifications,
    )


@router.post(
    "/me/spaces/{space_id}/leave",
    tags=["me"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(*MINE),
)
async def leave_space(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Leave the space: I no longer appear to others or receive its e-mails."""
    await my_spaces.leave_space(session, principal=principal, space_id=space_id)


@router.get(
    "/me/spaces/{space_id}/participants",
    tags=["me"],
    responses=responses(*MINE, InvalidCursor),
)
async def list_peers(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> PeerPage:
    """The other participants of my space, by pseudonym."""
    return await my_spaces.list_peers(session, principal=principal, space_id=space_id, params=page)
