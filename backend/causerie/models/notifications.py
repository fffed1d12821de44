"""In-app notifications, one row per person and event (``dedup_key`` makes it exactly once)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

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
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # What makes the event unique for this person, e.g. "prompt_opened:<prompt>".
    dedup_key: Mapped[str] = mapped_column(String(160))
    read_at: Mapped[datetime | None] = mapped_column(default=None)
