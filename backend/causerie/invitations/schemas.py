"""Invitations I/O."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from causerie.core.text import Name, clean_multiline
from causerie.models import InvitationKind, Role, SpaceLanguage
from causerie.participants.schemas import Pseudonym

Message = Annotated[str, Field(max_length=2000), AfterValidator(clean_multiline)]
InvitationState = Literal["pending", "accepted", "revoked", "expired"]


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    segment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    display_name: Name | None = None
    message: Message | None = Field(default=None, description="A personal word in the e-mail")


class StaffInvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    role: Role
    message: Message | None = None
    language: SpaceLanguage = SpaceLanguage.en


class InvitationRead(BaseModel):
    id: uuid.UUID
    kind: InvitationKind
    email: str
    display_name: str | None
    role: Role | None
    segment_ids: list[uuid.UUID]
    status: InvitationState
    expires_at: datetime
    accepted_at: datetime | None
    last_sent_at: datetime | None
    send_count: int
    created_at: datetime
    updated_at: datetime


class InvitationPage(BaseModel):
    items: list[InvitationRead]
    next_cursor: str | None


ImportRowStatus = Literal["ok", "duplicate", "already_participant", "already_invited", "invalid"]
# Why a row is not imported, for clients to word in their own language (``reason`` says it
# in English; ``reason_value`` is what the code refers to, e.g. the unknown segment's name).
ImportReasonCode = Literal[
    "invalid_email",
    "control_characters",
    "name_too_long",
    "unknown_segment",
    "duplicate",
    "already_participant",
    "already_invited",
]


class ImportRow(BaseModel):
    line: int
    email: str
    display_name: str | None
    segments: list[str]
    status: ImportRowStatus
    reason: str | None
    reason_code: ImportReasonCode | None = None
    reason_value: str | None = None


class ImportPreview(BaseModel):
    id: uuid.UUID
    total: int
    valid: int
    counts: dict[ImportRowStatus, int]
    rows: list[ImportRow]
    committed: bool


class ImportCommitted(BaseModel):
    id: uuid.UUID
    created: int
    skipped: int


class InvitationSpace(BaseModel):
    id: uuid.UUID
    title: str
    description_html: str
    welcome_html: str
    terms_html: str
    terms_version: int
    accent_color: str
    logo_url: str | None
    language: SpaceLanguage


class PublicInvitationRead(BaseModel):
    """What the holder of an invitation link sees before joining."""

    kind: InvitationKind
    email: str
    organization_name: str
    role: Role | None
    space: InvitationSpace | None
    expires_at: datetime
    account_exists: bool
    personal_message: str | None


class InvitationAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pseudonym: Pseudonym | None = Field(
        default=None, description="Required to join a space: how others will see you"
    )
    display_name: Name | None = None
    password: str | None = Field(
        default=None,
        min_length=10,
        max_length=1024,
        description="Optional, only for the account this invitation creates",
    )
    accept_terms: bool = False


class InvitationAccepted(BaseModel):
    """Joined. A session is handed out only when the invitation created the account."""

    access_token: str | None
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme, not a secret
    expires_in: int | None
    signed_in: bool = Field(description="True when this answer started a new session")
    space_id: uuid.UUID | None
    organization_id: uuid.UUID
