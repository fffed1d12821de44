"""Invitations: single-use, expiring links into a space or an organization."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Enum, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from causerie.models.base import Base, RecordMixin
from causerie.models.organizations import Role


class InvitationKind(enum.StrEnum):
    participant = "participant"
    staff = "staff"


class InvitationStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    revoked = "revoked"


class Invitation(RecordMixin, Base):
    """Only a hash of the token is stored; a pending invitation past ``expires_at`` is expired."""

    __tablename__ = "invitation"
    __extra_table_args__ = (
        Index("ix_invitation_space_id_created_at_id", "space_id", "created_at", "id"),
        Index("ix_invitation_organization_id_created_at_id", "organization_id", "created_at", "id"),
        Index("ix_invitation_space_id_email", "space_id", "email"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    space_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("space.id", ondelete="CASCADE"), default=None
    )
    kind: Mapped[InvitationKind] = mapped_column(
        Enum(
            InvitationKind,
            native_enum=False,
            length=16,
            create_constraint=True,
            name="invitation_kind",
        )
    )
    role: Mapped[Role | None] = mapped_column(
        Enum(Role, native_enum=False, length=16, create_constraint=True, name="invitation_role"),
        default=None,
    )
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str | None] = mapped_column(String(120), default=None)
    message: Mapped[str | None] = mapped_column(Text, default=None)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    status: Mapped[InvitationStatus] = mapped_column(
        Enum(
            InvitationStatus,
            native_enum=False,
            length=16,
            create_constraint=True,
            name="invitation_status",
        ),
        default=InvitationStatus.pending,
    )
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    send_count: Mapped[int] = mapped_column(default=0)
    invited_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )
    accepted_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )
    # E-mail language of staff invitations (participant invitations use the space's).
    language: Mapped[str] = mapped_column(String(2), default="en")
    # Set when "resend" replaced this invitation by a new one (whose link works instead).
    replaced_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), default=None
    )


invitation_segment = Table(
    "invitation_segment",
    Base.metadata,
    Column("invitation_id", ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "segment_id", ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class InvitationImport(RecordMixin, Base):
    """A previewed CSV of invitations, committed in a second step."""

    __tablename__ = "invitation_import"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("space.id", ondelete="CASCADE"), index=True
    )
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    total: Mapped[int]
    valid: Mapped[int]
    committed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_count: Mapped[int | None] = mapped_column(default=None)
