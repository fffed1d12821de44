"""Dialogue I/O: replies, reactions, probes, backroom notes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from causerie.core.text import clean_multiline
from causerie.models.conversations import (
    AuthorKind,
    ProbeStatus,
    ProbeVisibility,
    ReactionKind,
)
from causerie.models.organizations import Role
from causerie.script.schemas import Label, PromptKey


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


Text = Annotated[
    str,
    Field(min_length=1, max_length=5_000),
    AfterValidator(clean_multiline),
    AfterValidator(_not_blank),
]


class TextWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text


class ReactionWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ReactionKind


class ReactionState(BaseModel):
    kind: ReactionKind
    active: bool = Field(description="Whether I now have this reaction on the item")
    count: int


class ReplyRead(BaseModel):
    id: uuid.UUID
    response_id: uuid.UUID
    author_kind: AuthorKind
    author_name: str = Field(description="A pseudonym, or the staff member's name")
    author_role: Role | None = Field(description="The brand badge on staff replies")
    mine: bool
    text: str = Field(description="The Markdown source, for editing")
    text_html: str
    private: bool
    probe_id: uuid.UUID | None
    reactions: dict[str, int]
    my_reactions: list[ReactionKind]
    created_at: datetime
    edited_at: datetime | None


class ReplyPage(BaseModel):
    items: list[ReplyRead]
    next_cursor: str | None


class ProbeWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text
    visibility: ProbeVisibility


ProbeState = Literal["open", "overdue", "answered"]


class ProbeRead(BaseModel):
    id: uuid.UUID
    response_id: uuid.UUID
    prompt_id: uuid.UUID
    participant_pseudonym: str
    text_html: str
    visibility: ProbeVisibility
    status: ProbeState
    due_at: datetime
    answered_at: datetime | None
    created_by_name: str | None
    created_at: datetime


class ProbePage(BaseModel):
    items: list[ProbeRead]
    next_cursor: str | None


class MyProbeRead(BaseModel):
    """A question the brand asked me about one of my answers, still waiting for mine."""

    id: uuid.UUID
    response_id: uuid.UUID
    prompt_id: uuid.UUID
    prompt_title: str
    text_html: str
    visibility: ProbeVisibility
    status: ProbeState
    due_at: datetime
    created_at: datetime


class MyProbePage(BaseModel):
    items: list[MyProbeRead]
    next_cursor: str | None


class NoteRead(BaseModel):
    id: uuid.UUID
    target_id: uuid.UUID
    author_name: str | None
    text_html: str
    created_at: datetime


class NotePage(BaseModel):
    items: list[NoteRead]
    next_cursor: str | None


def probe_state(status: ProbeStatus, due_at: datetime, now: datetime) -> ProbeState:
    if status is ProbeStatus.answered:
        return "answered"
    return "overdue" if due_at <= now else "open"


class WaitingRead(BaseModel):
    """A participant for whom the prompt is open and who has not answered yet."""

    participant_id: uuid.UUID
    pseudonym: str


class NudgeResult(BaseModel):
    waiting: int
    reminded: int = Field(description="Reminded now (each person at most once a day)")


# --- answers ----------------------------------------------------------------------------------


class ResponseWrite(BaseModel):
    """An answer in the shape its prompt's kind requires."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(max_length=20_000), AfterValidator(clean_multiline)] | None = None
    choices: list[PromptKey] | None = Field(default=None, max_length=20)
    other_text: Label | None = None
    rating: int | None = Field(default=None, ge=0, le=10)


class ResponseRead(BaseModel):
    id: uuid.UUID
    prompt_id: uuid.UUID
    participant_id: uuid.UUID
    author_pseudonym: str
    mine: bool
    entry_index: int
    text: str | None
    text_html: str | None
    choices: list[str]
    other_text: str | None
    rating: int | None
    created_at: datetime
    updated_at: datetime
    edited_at: datetime | None
    editable_until: datetime | None
    reply_count: int = 0
    brand_replied: bool = Field(default=False, description="Staff replied under this answer")
    reactions: dict[str, int] = Field(default_factory=dict)
    my_reactions: list[str] = Field(default_factory=list)


class PollResult(BaseModel):
    key: str
    label: str
    count: int


class Aggregate(BaseModel):
    responses: int
    options: list[PollResult] | None = None
    other: int | None = None
    rating_average: float | None = None
    rating_counts: dict[int, int] | None = None


class ResponsePage(BaseModel):
    items: list[ResponseRead]
    next_cursor: str | None
    aggregate: Aggregate | None = Field(
        description="Poll and rating results, when the visibility lets the caller see them"
    )
    hidden_until_answered: bool = Field(
        description="True when others' answers are withheld until the caller answers"
    )
