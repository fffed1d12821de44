"""The e-mails an organization sent (or kept, without SMTP), as its owners read them.

Every secret link is masked here: staff never read one (``outbox.secrets``); the
operator reads kept e-mails from the command line (``causerie mails``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.errors import Forbidden, NotFound
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.models import OutboxMessage, OutboxStatus, Role
from causerie.organizations import service as organizations_service
from causerie.organizations.schemas import EmailPage, EmailRead
from causerie.outbox import service as outbox_service


async def _require_owner(
    session: AsyncSession, principal: Principal, organization_id: uuid.UUID
) -> None:
    organization = await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    if organization.my_role is Role.owner or (
        principal.kind == "user" and principal.is_platform_admin
    ):
        return
    raise Forbidden("Only the organization's owners can read its e-mails.")


def _emails_query(organization_id: uuid.UUID) -> AnySelect:
    return select(
        OutboxMessage.id,
        OutboxMessage.created_at,
        OutboxMessage.category,
        OutboxMessage.recipient,
        OutboxMessage.subject,
        OutboxMessage.language,
        OutboxMessage.status,
        OutboxMessage.attempts,
        OutboxMessage.next_attempt_at,
        OutboxMessage.last_error,
        OutboxMessage.sent_at,
        OutboxMessage.body_text,
        OutboxMessage.body_html,
    ).where(OutboxMessage.organization_id == organization_id, OutboxMessage.kind == "email")


def _readable(fields: dict[str, Any]) -> EmailRead:
    """An e-mail as staff may read it: every secret link masked (never the links)."""
    fields["body_text"], fields["body_html"] = outbox_service.masked_bodies(
        fields["body_text"], fields["body_html"], language=fields["language"]
    )
    return EmailRead.model_validate(fields)


async def list_emails(
    session: AsyncSession,
    *,
    principal: Principal,
    organization_id: uuid.UUID,
    status: OutboxStatus | None,
    params: PageParams,
) -> EmailPage:
    """The organization's e-mails, newest first."""
    await _require_owner(session, principal, organization_id)
    stmt = _emails_query(organization_id)
    if status is not None:
        stmt = stmt.where(OutboxMessage.status == status)
    rows, next_cursor = await keyset_page(
        session,
        stmt,
        created_at=OutboxMessage.created_at,
        row_id=OutboxMessage.id,
        params=params,
        descending=True,
    )
    return EmailPage(items=[_readable(dict(row._mapping)) for row in rows], next_cursor=next_cursor)


async def get_email(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, email_id: uuid.UUID
) -> EmailRead:
    await _require_owner(session, principal, organization_id)
    row = (
        await session.execute(_emails_query(organization_id).where(OutboxMessage.id == email_id))
    ).one_or_none()
    if row is None:
        raise NotFound("No such e-mail.")
    return _readable(dict(row._mapping))
