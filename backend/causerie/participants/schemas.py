"""Participants I/O. E-mail addresses appear only where the caller may see them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from causerie.core.text import clean_single_line
from causerie.models import EmailPreference, ParticipantStatus, SpaceLanguage, SpaceStatus

Pseudonym = Annotated[str, Field(min_length=2, max_length=40), AfterValidator(clean_single_line)]


class ParticipantRead(BaseModel):
    """A participant as staff see them; ``email`` is null for observers."""

    id: uuid.UUID
    user_id: uuid.UUID
    pseudonym: str
    email: str | None
    segment_ids: list[uuid.UUID]
    status: ParticipantStatus
    joined_at: datetime
    last_seen_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ParticipantPage(BaseModel):
    items: list[ParticipantRead]
    next_cursor: str | None


class ParticipantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    segment_ids: list[uuid.UUID] | None = Field(default=None, max_length=100)
    status: Literal["active", "suspended"] | None = None


class MySpaceRead(BaseModel):
    """A space as one of its participants sees it."""

    space_id: uuid.UUID
    participant_id: uuid.UUID
    title: str
    description_html: str
    welcome_html: str
    accent_color: str
    logo_url: str | None
    language: SpaceLanguage
    space_status: SpaceStatus
    organization_name: str
    pseudonym: str
    status: ParticipantStatus
    email_notifications: EmailPreference
    segments: list[str]
    joined_at: datetime
    last_seen_at: datetime | None = Field(
        default=None,
        description="My last visit before this read (to mark what is new since; recorded "
        "by POST …/visit)",
    )


class MySpaceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pseudonym: Pseudonym | None = None
    email_notifications: EmailPreference | None = None


class PeerRead(BaseModel):
    """Another participant, as participants see each other: a pseudonym only."""

    id: uuid.UUID
    pseudonym: str
    joined_at: datetime


class PeerPage(BaseModel):
    items: list[PeerRead]
    next_cursor: str | None
