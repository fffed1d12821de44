"""Spaces and segments (staff)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile, status

from causerie.accounts.deps import CurrentPrincipal
from causerie.core.errors import Forbidden, InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.files import StorageDep
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.core.storage import InvalidImage
from causerie.models import SpaceStatus
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service
from causerie.spaces.schemas import (
    SegmentCreate,
    SegmentPage,
    SegmentRead,
    SpaceCreate,
    SpacePage,
    SpaceRead,
    SpaceUpdate,
    SpaceWelcome,
)

router = APIRouter(
    tags=["spaces"],
    route_class=UnitOfWorkRoute,
    responses=responses(NotAuthenticated, InvalidToken),
)
# What anyone may read, signed in or not.
public_router = APIRouter(tags=["spaces"], route_class=UnitOfWorkRoute)
CHANGE_ERRORS = (NotFound, Forbidden, spaces_service.SpaceArchived)


@router.get("/organizations/{organization_id}/spaces", responses=responses(NotFound, InvalidCursor))
async def list_spaces(
    organization_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
    space_status: Annotated[SpaceStatus | None, Query(alias="status")] = None,
) -> SpacePage:
    """The organization's spaces (staff)."""
    return await spaces_service.list_spaces(
        session,
        principal=principal,
        organization_id=organization_id,
        params=page,
        status=space_status,
    )


@router.post(
    "/organizations/{organization_id}/spaces",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotFound, Forbidden),
)
async def create_space(
    organization_id: uuid.UUID, body: SpaceCreate, principal: CurrentPrincipal, session: SessionDep
) -> SpaceRead:
    """Create a space (owners and animators); it starts as a draft."""
    return await spaces_service.create_space(
        session, principal=principal, organization_id=organization_id, data=body.model_dump()
    )


@public_router.get("/spaces/{space_id}/welcome", responses=responses(NotFound))
async def space_welcome(space_id: uuid.UUID, session: SessionDep) -> SpaceWelcome:
    """A live space's brand, title, colour and logo, without signing in: the sign-in page
    greets a participant coming from the space (a link in an e-mail) in its colours. Drafts
    and archived spaces are not found; nothing of the space's content or people is given."""
    return await spaces_service.welcome(session, space_id)


@router.get("/spaces/{space_id}", responses=responses(NotFound))
async def read_space(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> SpaceRead:
    return await spaces_service.get_space(session, principal=principal, space_id=space_id)


@router.patch(
    "/spaces/{space_id}",
    responses=responses(*CHANGE_ERRORS, spaces_service.InvalidTransition),
)
async def update_space(
    space_id: uuid.UUID, body: SpaceUpdate, principal: CurrentPrincipal, session: SessionDep
) -> SpaceRead:
    """Edit a space or change its status (owners and animators)."""
    return await spaces_service.update_space(
        session, principal=principal, space_id=space_id, changes=body
    )


@router.put("/spaces/{space_id}/logo", responses=responses(*CHANGE_ERRORS, InvalidImage))
async def upload_logo(
    space_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="PNG, JPEG, WebP or GIF, at most 2 MiB")],
    principal: CurrentPrincipal,
    session: SessionDep,
    storage: StorageDep,
) -> SpaceRead:
    """Set the space's logo; it is re-encoded to PNG (metadata dropped), at most 512 px."""
    data = await file.read(spaces_service.LOGO_MAX_BYTES + 1)
    return await spaces_service.set_logo(
        session, principal=principal, space_id=space_id, storage=storage, data=data
    )


@router.delete("/spaces/{space_id}/logo", responses=responses(*CHANGE_ERRORS))
async def remove_logo(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, storage: StorageDep
) -> SpaceRead:
    return await spaces_service.remove_logo(
        session, principal=principal, space_id=space_id, storage=storage
    )


@router.get("/spaces/{space_id}/segments", responses=responses(NotFound, InvalidCursor))
async def list_segments(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> SegmentPage:
    return await segments_service.list_segments(
        session, principal=principal, space_id=space_id, params=page
    )


@router.post(
    "/spaces/{space_id}/segments",
    status_code=status.HTTP_201_CREATED,
    responses=responses(*CHANGE_ERRORS, segments_service.SegmentExists),
)
async def create_segment(
    space_id: uuid.UUID, body: SegmentCreate, principal: CurrentPrincipal, session: SessionDep
) -> SegmentRead:
    return await segments_service.create_segment(
        session, principal=principal, space_id=space_id, name=body.name
    )


@router.patch(
    "/spaces/{space_id}/segments/{segment_id}",
    responses=responses(*CHANGE_ERRORS, segments_service.SegmentExists),
)
async def rename_segment(
    space_id: uuid.UUID,
    segment_id: uuid.UUID,
    body: SegmentCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> SegmentRead:
    return await segments_service.rename_segment(
        session, principal=principal, space_id=space_id, segment_id=segment_id, name=body.name
    )


@router.delete(
    "/spaces/{space_id}/segments/{segment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(*CHANGE_ERRORS, segments_service.SegmentInUse),
)
async def delete_segment(
    space_id: uuid.UUID, segment_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Delete a segment; its participants stay in the space."""
    await segments_service.delete_segment(
        session, principal=principal, space_id=space_id, segment_id=segment_id
    )
