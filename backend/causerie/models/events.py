"""Live events: one row per item, with the rule of who hears of it; kept a short while so a
stream that reconnects can catch up (``Last-Event-ID``).

``audience`` says who hears of it, each stream deciding for its own person:

- ``user``: the one person ``user_id`` (for other audiences, ``user_id`` names the person
  whose change it is, so their own streams know to refresh what they may read);
- ``staff``: the staff of ``organization_id``, and the participant ``author_participant_id``
  (the answer's author, or the probed participant) when set;
- ``editors``: the owners and animators of ``organization_id``;
- ``readers``: the above, and every participant of ``space_id`` who may read others'
  answers to ``prompt_id`` (the access rule of ``access/participants.py``).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from causerie.core.clock import utcnow
from causerie.core.ids import uuid7
from causerie.models.base import Base


class Audience(enum.StrEnum):
    user = "user"
    staff = "staff"
    editors = "editors"
    readers = "readers"


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_user_id_created_at_id", "user_id", "created_at", "id"),
        Index("ix_event_space_id_created_at_id", "space_id", "created_at", "id"),
        Index("ix_event_organization_id_created_at_id", "organization_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    audience: Mapped[Audience] = mapped_column(
        Enum(Audience, native_enum=False, length=16, create_constraint=True, name="audience"),
        default=Audience.user,
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), default=None
    )
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), default=None
    )
    space_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("space.id", ondelete="CASCADE"), default=None
    )
    prompt_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    author_participant_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
