"""Organizations (brands, the tenants) and their staff memberships."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from causerie.models.base import Base, RecordMixin, SoftDeleteMixin


class Role(enum.StrEnum):
    owner = "owner"
    animator = "animator"
    observer = "observer"


class Organization(RecordMixin, SoftDeleteMixin, Base):
    __tablename__ = "organization"

    name: Mapped[str] = mapped_column(String(120))


class Membership(RecordMixin, SoftDeleteMixin, Base):
    """A user's role in an organization. Removing a member soft-deletes the row."""

    __tablename__ = "membership"
    __extra_table_args__ = (
        UniqueConstraint("organization_id", "user_id"),
        # Serves the members list: one organization, in (created_at, id) cursor order.
        Index("ix_membership_organization_id_created_at_id", "organization_id", "created_at", "id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, create_constraint=True, name="role")
    )
