"""Dialogue around answers: replies, reactions, probes (tracked follow-ups), backroom notes."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from causerie.models.base import Base, RecordMixin, SoftDeleteMixin


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, native_enum=False, length=16, create_constraint=True, name=name)


class AuthorKind(enum.StrEnum):
    participant = "participant"
    staff = "staff"


class Reply(RecordMixin, SoftDeleteMixin, Base):
    """A reply under a response, from a participant or from the brand's staff.

    ``private`` replies (answers to a private probe) are seen only by the response's author
    and staff.
    """

    __tablename__ = "reply"
    __extra_table_args__ = (
        Index("ix_reply_response_id_created_at_id", "response_id", "created_at", "id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    author_kind: Mapped[AuthorKind] = mapped_column(_enum(AuthorKind, "author_kind"))
    author_participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), default=None
    )
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(default=False)
    probe_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("probe.id", ondelete="SET NULL"), default=None
    )
    edited_at: Mapped[datetime | None] = mapped_column(default=None)


class ReactionKind(enum.StrEnum):
    thumbs_up = "thumbs_up"
    heart = "heart"
    idea = "idea"
    thinking = "thinking"


class Reaction(RecordMixin, Base):
    """One of each kind per person and item; toggled."""

    __tablename__ = "reaction"
    __extra_table_args__ = (
        UniqueConstraint("user_id", "target_id", "kind"),
        Index("ix_reaction_target_id", "target_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # A response or a reply (ids are unique across both).
    target_id: Mapped[uuid.UUID]
    kind: Mapped[ReactionKind] = mapped_column(_enum(ReactionKind, "reaction_kind"))


class ProbeVisibility(enum.StrEnum):
    public = "public"
    private = "private"


class ProbeStatus(enum.StrEnum):
    open = "open"
    answered = "answered"


class Probe(RecordMixin, Base):
    """A staff follow-up question to a response's author; open until answered, overdue
    after ``due_at``."""

    __tablename__ = "probe"
    __extra_table_args__ = (
        Index("ix_probe_space_id_created_at_id", "space_id", "created_at", "id"),
        Index("ix_probe_response_id", "response_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    prompt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("prompt.id", ondelete="CASCADE"))
    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    visibility: Mapped[ProbeVisibility] = mapped_column(_enum(ProbeVisibility, "probe_visibility"))
    status: Mapped[ProbeStatus] = mapped_column(
        _enum(ProbeStatus, "probe_status"), default=ProbeStatus.open
    )
    due_at: Mapped[datetime]
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    nudged_at: Mapped[datetime | None] = mapped_column(default=None)


class Note(RecordMixin, SoftDeleteMixin, Base):
    """A staff-only "backroom" note on a response or a reply. Never shown to participants."""

    __tablename__ = "note"
    __extra_table_args__ = (Index("ix_note_target_id_created_at", "target_id", "created_at"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    target_id: Mapped[uuid.UUID]
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)


class ProbeTemplate(RecordMixin, SoftDeleteMixin, Base):
    """A saved follow-up text an organization's animators insert and edit."""

    __tablename__ = "probe_template"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)


class ReplyVersion(RecordMixin, Base):
    """A previous version of an edited reply."""

    __tablename__ = "reply_version"

    reply_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reply.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
