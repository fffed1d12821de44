"""Accounts: users, their sessions, refresh tokens and one-time account links."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
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


class AuthSession(RecordMixin, Base):
    """One signed-in browser (or client): created at sign-in, revoked at sign-out.

    Access tokens carry its id (``sid``) and every request checks it is not revoked, so
    signing out, changing or resetting a password ends its access tokens at once.
    """

    __tablename__ = "auth_session"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class RefreshToken(RecordMixin, Base):
    """An opaque refresh token, stored as a SHA-256 hash; rotated on every use.

    Tokens descend from one sign-in and belong to its ``AuthSession``; ``parent_id`` is the
    token this one replaced. Presenting a used token revokes the session, except within a
    short grace window for the immediately previous token (two tabs refreshing at once).
    """

    __tablename__ = "refresh_token"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_session.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class AccountTokenPurpose(enum.StrEnum):
    password_reset = "password_reset"  # noqa: S105 - a purpose, not a secret
    email_change = "email_change"


class AccountToken(RecordMixin, Base):
    """A one-time link about an account (password reset, e-mail change); hash stored only.

    Such a link never signs anyone in.
    """

    __tablename__ = "account_token"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[AccountTokenPurpose] = mapped_column(
        Enum(
            AccountTokenPurpose,
            native_enum=False,
            length=16,
            create_constraint=True,
            name="account_token_purpose",
        )
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address an e-mail change moves to (None for a password reset).
    new_email: Mapped[str | None] = mapped_column(String(320), default=None)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class MagicLinkToken(RecordMixin, Base):
    """A one-time sign-in link sent by e-mail; only its hash is stored."""

    __tablename__ = "magic_link_token"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
