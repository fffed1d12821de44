"""The e-mails an organization sent (or kept, without SMTP): owners only."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from causerie.accounts.deps import CurrentPrincipal
from causerie.core.errors import Forbidden, InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.models import OutboxStatus
from causerie.organizations import emails as emails_service
from causerie.organizations.schemas import EmailPage, EmailRead

router = APIRouter(
    prefix="/organizations/{organization_id}/emails",
    tags=["emails"],
    route_class=UnitOfWorkRoute,
    responses=responses(NotAuthenticated, InvalidToken, NotFound, Forbidden),
)


@router.get("", responses=responses(InvalidCursor))
async def list_emails(
    organization_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
    status: Annotated[OutboxStatus | None, Query(description="Only e-mails in this state")] = None,
) -> EmailPage:
    """The organization's e-mails, newest first (owners)."""
    return await emails_service.list_emails(
        session, principal=principal, organization_id=organization_id, status=status, params=page
    )


@router.get("/{email_id}")
async def read_email(
    organization_id: uuid.UUID,
    email_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> EmailRead:
    """One e-mail with its bodies and delivery state (owners)."""
    return await emails_service.get_email(
        session, principal=principal, organization_id=organization_id, email_id=email_id
    )
