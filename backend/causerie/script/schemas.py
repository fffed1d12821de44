"""Script I/O: prompts, their rules, responses and timelines."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from causerie.core.text import clean_multiline, clean_single_line
from causerie.models.script import CloseKind, PromptKind, PromptStatus, ReleaseKind, Visibility
from causerie.script.timeline import State

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _key(value: str) -> str:
    if not KEY.match(value):
        raise ValueError("use 1-40 lower-case letters, digits, '-' or '_'")
    return value


PromptKey = Annotated[str, AfterValidator(_key)]
Title = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(clean_single_line)]
Label = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(clean_single_line)]
Body = Annotated[str, Field(max_length=10_000), AfterValidator(clean_multiline)]
Minutes = Annotated[int, Field(ge=0, le=60 * 24 * 366)]


class PollOption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: PromptKey | None = Field(default=None, description="Stable; generated when omitted")
    label: Label


class PollConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    multiple: bool = False
    allow_other: bool = False
    options: list[PollOption] = Field(min_length=2, max_length=20)


class RatingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: int = Field(default=1, ge=0, le=1)
    max: int = Field(default=5, ge=2, le=10)
    min_label: Label | None = None
    max_label: Label | None = None
    comment: bool = True


class DiaryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: int = Field(default=5, ge=1, le=60)
    period: Literal["day", "week"] = "day"


class ReleaseRule(BaseModel):
    """When the prompt opens. Date-times without an offset are read in the space's time zone."""

    model_config = ConfigDict(extra="forbid")

    kind: ReleaseKind = ReleaseKind.manual
    at: datetime | None = None
    delay_minutes: Minutes = 0
    prompt_id: uuid.UUID | None = None
    option_keys: list[PromptKey] = Field(default_factory=list, max_length=20)


class CloseRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CloseKind = CloseKind.never
    at: datetime | None = None
    delay_minutes: Minutes = 0


class PromptWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: PromptKey | None = None
    kind: PromptKind
    title: Title
    body: Body = ""
    required: bool = False
    status: PromptStatus = PromptStatus.draft
    visibility: Visibility = Visibility.uninfluenced
    segment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    poll: PollConfig | None = None
    rating: RatingConfig | None = None
    diary: DiaryConfig | None = None
    release: ReleaseRule = Field(default_factory=ReleaseRule)
    close: CloseRule = Field(default_factory=CloseRule)

    @model_validator(mode="after")
    def _config_matches_kind(self) -> PromptWrite:
        if self.kind is PromptKind.poll and self.poll is None:
            raise ValueError("a poll needs its options (poll.options)")
        for kind, config in (
            (PromptKind.poll, self.poll),
            (PromptKind.rating, self.rating),
            (PromptKind.diary, self.diary),
        ):
            if config is not None and self.kind is not kind:
                raise ValueError(f"{kind.value} settings given for a {self.kind.value} prompt")
        return self


class RuleRead(BaseModel):
    kind: ReleaseKind
    at: datetime | None
    at_local: str | None = Field(description="`at` in the space's time zone (ISO 8601)")
    delay_minutes: int
    prompt_id: uuid.UUID | None
    option_keys: list[str]
    released_at: datetime | None


class CloseRead(BaseModel):
    kind: CloseKind
    at: datetime | None
    at_local: str | None
    delay_minutes: int
    closed_at: datetime | None


class PromptRead(BaseModel):
    id: uuid.UUID
    space_id: uuid.UUID
    key: str
    position: int
    kind: PromptKind
    title: str
    body: str
    body_html: str
    image_url: str | None
    required: bool
    status: PromptStatus
    visibility: Visibility
    segment_ids: list[uuid.UUID]
    poll: PollConfig | None
    rating: RatingConfig | None
    diary: DiaryConfig | None
    release: RuleRead
    close: CloseRead
    response_count: int
    created_at: datetime
    updated_at: datetime


class PromptList(BaseModel):
    """The whole script, in order (a space holds at most 200 prompts)."""

    items: list[PromptRead]


class PromptOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class TimelineItem(BaseModel):
    """A prompt as the participant sees it; its content once it has opened for them."""

    prompt_id: uuid.UUID
    key: str
    title: str
    kind: PromptKind
    required: bool
    visibility: Visibility
    body_html: str | None = Field(description="Null while upcoming")
    image_url: str | None
    poll: PollConfig | None
    rating: RatingConfig | None
    diary: DiaryConfig | None
    state: State
    opens_at: datetime | None
    closes_at: datetime | None
    entries_done: int
    entries_expected: int
    follows_title: str | None = Field(
        description="Upcoming with no date: it opens once the participant answers this prompt",
    )
    next_entry_at: datetime | None = Field(
        description="A diary with its entry for this period written: when the next can be",
    )


class TimelineRead(BaseModel):
    at: datetime
    time_zone: str
    items: list[TimelineItem]
    answered: int
    expected: int
