"""Organizations I/O."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from causerie.core.text import Name
from causerie.models import OutboxStatus, Role
from causerie.outbox.service import EmailCategory


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    owner_email: EmailStr | None = Field(
        default=None, description="The first owner; the caller when omitted"
    )


class OrganizationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name


class OrganizationRead(BaseModel):
    id: uuid.UUID
    name: str
    created_at: datetime
    updated_at: datetime
    my_role: Role | None = Field(description="The caller's role; null for platform admins")


class OrganizationPage(BaseModel):
    items: list[OrganizationRead]
    next_cursor: str | None


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    role: Role
    display_name: Name | None = Field(
        default=None, description="Used when the address has no account yet"
    )


class MemberUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class MemberRead(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    role: Role
    created_at: datetime
    updated_at: datetime


class MemberPage(BaseModel):
    items: list[MemberRead]
    next_cursor: str | None


# --- the e-mails an organization sent, as its owners read them (emails_router.py)


class EmailRead(BaseModel):
    id: uuid.UUID
    created_at: datetime
    category: EmailCategory = Field(description="What caused it, e.g. invitation or magic_link")
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
