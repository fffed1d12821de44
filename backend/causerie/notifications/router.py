"""My notifications: list (newest first, with the unread count), mark read."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from causerie.accounts.deps import CurrentPrincipal
from causerie.conversations.schemas import NudgeResult
from causerie.core.errors import Forbidden, InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.http import SessionDep, SettingsDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.notifications import nudges
from causerie.notifications import service as notifications_service
from causerie.notifications.schemas import NotificationPage, NotificationRead, UnreadCount
from causerie.spaces import service as spaces_service

router = APIRouter(
    prefix="/me/notifications",
    tags=["me"],
    route_class=UnitOfWorkRoute,
    responses=responses(NotAuthenticated, InvalidToken),
)


@router.get("", responses=responses(InvalidCursor))
async def list_notifications(
    principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> NotificationPage:
    return await notifications_service.list_notifications(session, principal=principal, params=page)


@router.post("/read-all")
async def mark_all_notifications_read(
    principal: CurrentPrincipal, session: SessionDep
) -> UnreadCount:
    return await notifications_service.mark_all_read(session, principal=principal)


@router.post("/{notification_id}/read", responses=responses(NotFound))
async def mark_notification_read(
    notification_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> NotificationRead:
    return await notifications_service.mark_read(
        session, principal=principal, notification_id=notification_id
    )


public_router = APIRouter(tags=["public"], route_class=UnitOfWorkRoute)

staff_router = APIRouter(
    tags=["conversations"],
    route_class=UnitOfWorkRoute,
    responses=responses(NotAuthenticated, InvalidToken),
)


@staff_router.post(
    "/prompts/{prompt_id}/nudge",
    responses=responses(
        NotFound, Forbidden, spaces_service.SpaceNotOpen, spaces_service.SpaceReadOnly
    ),
)
async def nudge_prompt(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep
) -> NudgeResult:
    """Send the reminder now to everyone who has not answered (owners, animators)."""
    return await nudges.nudge(session, settings=settings, principal=principal, prompt_id=prompt_id)


class Unsubscribe(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=1000)


class Unsubscribed(BaseModel):
    space_title: str


@public_router.post("/unsubscribe", responses=responses(InvalidToken, NotFound))
async def unsubscribe(
    body: Unsubscribe, session: SessionDep, settings: SettingsDep
) -> Unsubscribed:
    """Public: stop this space's e-mails for the participant the signed link names."""
    space = await notifications_service.unsubscribe(session, settings=settings, token=body.token)
    return Unsubscribed(space_title=space.title)
