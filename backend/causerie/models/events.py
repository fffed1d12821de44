"""Real-time events, one row per recipient, kept a short while for reconnection replay."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from causerie.core.clock import utcnow
from causerie.core.ids import uuid7
from causerie.models.base import Base


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_user_id_created_at_id", "user_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    space_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("space.id", ondelete="CASCADE"), default=None
    )
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
