"""My notifications: list (newest first, with the unread count), mark read."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from causerie.accounts.deps import CurrentPrincipal
from causerie.core.errors import InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.notifications import service as notifications_service
from causerie.notifications.schemas import NotificationPage, NotificationRead, UnreadCount

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
