"""Notifications I/O."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class NotificationRead(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    space_id: uuid.UUID | None
    prompt_id: uuid.UUID | None
    probe_id: uuid.UUID | None = Field(
        description="The brand's question to me this notification is about"
    )
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    next_cursor: str | None
    unread_count: int


class UnreadCount(BaseModel):
    unread_count: int
