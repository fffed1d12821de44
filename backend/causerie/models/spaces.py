"""Spaces (invite-only feedback communities) and their segments."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from causerie.models.base import Base, RecordMixin, SoftDeleteMixin


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, native_enum=False, length=24, create_constraint=True, name=name)


class SpaceObjective(enum.StrEnum):
    relationship = "relationship"
    image = "image"
    product_feedback = "product_feedback"


class SpaceLanguage(enum.StrEnum):
    fr = "fr"
    en = "en"


class SpaceStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    archived = "archived"


class Space(RecordMixin, SoftDeleteMixin, Base):
    __tablename__ = "space"
    __extra_table_args__ = (
        Index("ix_space_organization_id_created_at_id", "organization_id", "created_at", "id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[SpaceObjective] = mapped_column(_enum(SpaceObjective, "space_objective"))
    language: Mapped[SpaceLanguage] = mapped_column(_enum(SpaceLanguage, "space_language"))
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    accent_color: Mapped[str] = mapped_column(String(7), default="#3344aa")
    logo_file: Mapped[str | None] = mapped_column(String(80), default=None)
    welcome_message: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text, default="")
    terms_version: Mapped[int] = mapped_column(default=1)
    status: Mapped[SpaceStatus] = mapped_column(
        _enum(SpaceStatus, "space_status"), default=SpaceStatus.draft
    )
    invitation_ttl_days: Mapped[int] = mapped_column(default=14)
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    archived_at: Mapped[datetime | None] = mapped_column(default=None)


class Segment(RecordMixin, SoftDeleteMixin, Base):
    """A named group of participants inside a space ("VIP", "Prospects")."""

    __tablename__ = "segment"
    __extra_table_args__ = (
        Index(
            "uq_segment_space_id_name_key",
            "space_id",
            "name_key",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    # Case- and spacing-insensitive form of the name, unique among live segments.
    name_key: Mapped[str] = mapped_column(String(60))
