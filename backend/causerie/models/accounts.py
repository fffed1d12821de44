"""Accounts: users and their refresh tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from causerie.models.base import Base, RecordMixin, SoftDeleteMixin


class User(RecordMixin, SoftDeleteMixin, Base):
    __tablename__ = "user"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(8), default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class RefreshToken(RecordMixin, Base):
    """An opaque refresh token, stored as a SHA-256 hash; rotated on every use.

    Tokens descending from one login share a ``family_id``: presenting a token that
    was already used revokes the whole family.
    """

    __tablename__ = "refresh_token"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class MagicLinkToken(RecordMixin, Base):
    """A one-time sign-in link sent by e-mail; only its hash is stored."""

    __tablename__ = "magic_link_token"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
