"""The script of a space: prompts with their release and close rules, and the responses."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Enum, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from causerie.models.base import Base, RecordMixin, SoftDeleteMixin


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, native_enum=False, length=16, create_constraint=True, name=name)


class ReleaseKind(enum.StrEnum):
    manual = "manual"
    at = "at"
    after_join = "after_join"
    after_prompt = "after_prompt"
    when_answer = "when_answer"


class CloseKind(enum.StrEnum):
    never = "never"
    at = "at"
    after_open = "after_open"
    manual = "manual"


class PromptKind(enum.StrEnum):
    discussion = "discussion"
    poll = "poll"
    rating = "rating"
    diary = "diary"


class PromptStatus(enum.StrEnum):
    draft = "draft"
    published = "published"


class Visibility(enum.StrEnum):
    open = "open"
    uninfluenced = "uninfluenced"
    private = "private"


class Prompt(RecordMixin, SoftDeleteMixin, Base):
    """One scripted activity. ``key`` is its stable name in script documents."""

    __tablename__ = "prompt"
    __extra_table_args__ = (
        Index("ix_prompt_space_id_position", "space_id", "position"),
        Index(
            "uq_prompt_space_id_key",
            "space_id",
            "key",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    kind: Mapped[PromptKind] = mapped_column(_enum(PromptKind, "prompt_kind"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # ``body`` rendered once when written (``script.forms.apply_write``), not per read.
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    image_file: Mapped[str | None] = mapped_column(String(80), default=None)
    required: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PromptStatus] = mapped_column(
        _enum(PromptStatus, "prompt_status"), default=PromptStatus.draft
    )
    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility, "prompt_visibility"), default=Visibility.uninfluenced
    )
    # Kind-specific settings: poll options, rating scale, diary entries and period.
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    release_kind: Mapped[ReleaseKind] = mapped_column(
        _enum(ReleaseKind, "release_kind"), default=ReleaseKind.manual
    )
    release_at: Mapped[datetime | None] = mapped_column(default=None)
    release_delay_minutes: Mapped[int] = mapped_column(default=0)
    release_prompt_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("prompt.id", ondelete="SET NULL"), default=None
    )
    release_option_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    released_at: Mapped[datetime | None] = mapped_column(default=None)
    close_kind: Mapped[CloseKind] = mapped_column(
        _enum(CloseKind, "close_kind"), default=CloseKind.never
    )
    close_at: Mapped[datetime | None] = mapped_column(default=None)
    close_after_minutes: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Release notifications: openings up to this moment have been announced.
    announced_until: Mapped[datetime | None] = mapped_column(default=None)
    # Automatic reminders: openings up to this moment have had their reminder considered.
    reminded_until: Mapped[datetime | None] = mapped_column(default=None)


prompt_segment = Table(
    "prompt_segment",
    Base.metadata,
    Column("prompt_id", ForeignKey("prompt.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "segment_id", ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Response(RecordMixin, SoftDeleteMixin, Base):
    """A participant's answer; a diary has one per period (``entry_index``)."""

    __tablename__ = "response"
    __extra_table_args__ = (
        Index(
            "uq_response_prompt_id_participant_id_entry_index",
            "prompt_id",
            "participant_id",
            "entry_index",
            unique=True,
        ),
        Index("ix_response_prompt_id_created_at_id", "prompt_id", "created_at", "id"),
        Index("ix_response_participant_id_prompt_id", "participant_id", "prompt_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("space.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("prompt.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE")
    )
    entry_index: Mapped[int] = mapped_column(default=0)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    text_html: Mapped[str | None] = mapped_column(Text, default=None)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_text: Mapped[str | None] = mapped_column(String(500), default=None)
    rating: Mapped[int | None] = mapped_column(default=None)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)


class ResponseVersion(RecordMixin, Base):
    """A previous version of an edited response."""

    __tablename__ = "response_version"

    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str | None] = mapped_column(Text, default=None)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_text: Mapped[str | None] = mapped_column(String(500), default=None)
    rating: Mapped[int | None] = mapped_column(default=None)
