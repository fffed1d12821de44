"""Participants: a person's membership of a space, known to others by a pseudonym."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Column, Enum, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from causerie.models.base import Base, RecordMixin


class ParticipantStatus(enum.StrEnum):
    active = "active"
    suspended = "suspended"
    left = "left"


class EmailPreference(enum.StrEnum):
    immediate = "immediate"
    digest = "digest"
    off = "off"


class Participant(RecordMixin, Base):
    __tablename__ = "participant"
    __extra_table_args__ = (
        UniqueConstraint("space_id", "user_id"),
        UniqueConstraint("space_id", "pseudonym_key"),
        Index("ix_participant_space_id_created_at_id", "space_id", "created_at", "id"),
        # Release notifications find who joined in a time window.
        Index("ix_participant_space_id_joined_at", "space_id", "joined_at"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    pseudonym: Mapped[str] = mapped_column(String(60))
    pseudonym_key: Mapped[str] = mapped_column(String(60))
    status: Mapped[ParticipantStatus] = mapped_column(
        Enum(
            ParticipantStatus,
            native_enum=False,
            length=16,
            create_constraint=True,
            name="participant_status",
        ),
        default=ParticipantStatus.active,
    )
    email_notifications: Mapped[EmailPreference] = mapped_column(
        Enum(
            EmailPreference,
            native_enum=False,
            length=16,
            create_constraint=True,
            name="email_preference",
        ),
        default=EmailPreference.immediate,
    )
    joined_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    left_at: Mapped[datetime | None] = mapped_column(default=None)
    consent_terms_version: Mapped[int]
    consent_at: Mapped[datetime]


participant_segment = Table(
    "participant_segment",
    Base.metadata,
    Column("participant_id", ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "segment_id", ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
