"""Spaces and segments I/O."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from causerie.core.text import Name, clean_multiline, clean_single_line
from causerie.models import SpaceLanguage, SpaceObjective, SpaceStatus


def _time_zone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise ValueError("unknown time zone; use an IANA name such as Europe/Paris")
    return value


def _lower(value: str) -> str:
    return value.lower()


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]
AccentColor = Annotated[
    str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"), AfterValidator(_lower)
]
Markdown = Annotated[str, Field(max_length=10_000), AfterValidator(clean_multiline)]
LongMarkdown = Annotated[str, Field(max_length=20_000), AfterValidator(clean_multiline)]
SegmentName = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(clean_single_line)]


class SpaceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Name
    description: Markdown = ""
    objective: SpaceObjective
    language: SpaceLanguage
    time_zone: TimeZone = "Europe/Paris"
    accent_color: AccentColor = "#3344aa"
    welcome_message: Markdown = ""
    terms: LongMarkdown = ""
    invitation_ttl_days: int = Field(default=14, ge=1, le=90)


class SpaceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Name | None = None
    description: Markdown | None = None
    objective: SpaceObjective | None = None
    language: SpaceLanguage | None = None
    time_zone: TimeZone | None = None
    accent_color: AccentColor | None = None
    welcome_message: Markdown | None = None
    terms: LongMarkdown | None = None
    invitation_ttl_days: int | None = Field(default=None, ge=1, le=90)
    status: SpaceStatus | None = Field(
        default=None, description="draft → open ⇄ closed → archived; archived is final"
    )


class SpaceBranding(BaseModel):
    title: str
    accent_color: str
    logo_url: str | None
    language: SpaceLanguage


class SpaceWelcome(SpaceBranding):
    """What anyone may see of a live space given its id: enough for the sign-in page to greet
    a participant arriving from it in its brand's colours (never its content or people)."""

    organization_name: str


class SpaceRead(SpaceBranding):
    id: uuid.UUID
    organization_id: uuid.UUID
    description: str
    description_html: str
    objective: SpaceObjective
    time_zone: str
    welcome_message: str
    welcome_html: str
    terms: str
    terms_version: int
    status: SpaceStatus
    invitation_ttl_days: int
    participant_count: int
    created_at: datetime
    updated_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    archived_at: datetime | None


class SpacePage(BaseModel):
    items: list[SpaceRead]
    next_cursor: str | None


class SegmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: SegmentName


class SegmentRead(BaseModel):
    id: uuid.UUID
    space_id: uuid.UUID
    name: str
    participant_count: int
    created_at: datetime
    updated_at: datetime


class SegmentPage(BaseModel):
    items: list[SegmentRead]
    next_cursor: str | None
