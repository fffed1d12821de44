"""Append-only audit log: written in the same unit of work as the change it records."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.principal import Principal
from causerie.models import AuditLogEntry


def record(
    session: AsyncSession,
    *,
    principal: Principal | None,
    organization_id: uuid.UUID | None,
    action: str,
    target_type: str,
    target_id: uuid.UUID | None,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLogEntry(
            organization_id=organization_id,
            actor_user_id=principal.user_id if principal else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            data=data or {},
        )
    )
