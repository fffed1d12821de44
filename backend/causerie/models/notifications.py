"""In-app notifications, one row per person and event (``dedup_key`` makes it exactly once)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from causerie.core.clock import utcnow
from causerie.core.ids import uuid7
from causerie.models.base import Base, RecordMixin


class Notification(RecordMixin, Base):
    __tablename__ = "notification"
    __extra_table_args__ = (
        UniqueConstraint("user_id", "dedup_key"),
        Index("ix_notification_user_id_created_at_id", "user_id", "created_at", "id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), default=None
    )
    space_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("space.id", ondelete="CASCADE"), default=None
    )
    prompt_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("prompt.id", ondelete="CASCADE"), default=None
    )
    # The brand's question a "probe" notification is about: its link opens on it.
    probe_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("probe.id", ondelete="SET NULL"), default=None
    )
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # What makes the event unique for this person, e.g. "prompt_opened:<prompt>".
    dedup_key: Mapped[str] = mapped_column(String(160))
    read_at: Mapped[datetime | None] = mapped_column(default=None)


class DigestLog(Base):
    """One row per person, space and day a digest was sent: at most one a day."""

    __tablename__ = "digest_log"
    __table_args__ = (UniqueConstraint("user_id", "space_id", "day", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    space_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))  # "participant" or "staff"
