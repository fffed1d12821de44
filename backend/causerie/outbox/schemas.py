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
    body_text: str = Field(
        description="The text body; every secret link (invitation, sign-in, unsubscribe) "
        "is masked and reads e.g. [secret link hidden]"
    )
    body_html: str | None = Field(
        description="The HTML body, secret links masked the same way (their href is #)"
    )


class EmailPage(BaseModel):
    items: list[EmailRead]
    next_cursor: str | None
