"""Outbox I/O: the e-mails an organization's owners can read."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from causerie.models import OutboxStatus


class EmailRead(BaseModel):
    id: uuid.UUID
    created_at: datetime
    category: str = Field(description="What caused it, e.g. invitation or magic_link")
    recipient: str
    subject: str
    language: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime = Field(description="When a pending e-mail is tried (again)")
    last_error: str | None
    sent_at: datetime | None = Field(description="When it was sent (or kept, without SMTP)")
    body_text: str = Field(description="Empty once an e-mail carrying a secret link was sent")
    body_html: str | None


class EmailPage(BaseModel):
    items: list[EmailRead]
    next_cursor: str | None
