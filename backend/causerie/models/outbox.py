"""The transactional outbox: side effects written with the change, delivered after commit."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from causerie.core.clock import utcnow
from causerie.models.base import Base, RecordMixin

LAST_ERROR_LENGTH = 500


class OutboxStatus(enum.StrEnum):
    pending = "pending"  # waiting for its (next) attempt at ``next_attempt_at``
    sending = "sending"  # claimed by a dispatcher until ``locked_until``
    sent = "sent"  # handed to the SMTP server
    kept = "kept"  # no SMTP configured: logged and kept for the studio, not sent
    failed = "failed"  # gave up: permanent refusal or too many attempts


class OutboxMessage(RecordMixin, Base):
    """One e-mail to deliver.

    The bodies never hold a secret link (invitation, sign-in, unsubscribe): they hold a
    placeholder, and the links wait in ``secret_links`` until the e-mail is sent or has
    failed for good (then NULL). Kept e-mails (no SMTP) keep them for the operator.
    """

    __tablename__ = "outbox_message"
    __extra_table_args__ = (
        # The dispatcher's claim: due rows of a status, oldest first.
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
        # The owners' "sent e-mails" list: one organization, in (created_at, id) cursor order.
        Index(
            "ix_outbox_message_organization_id_created_at_id",
            "organization_id",
            "created_at",
            "id",
        ),
    )

    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16), default="email")
    category: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text, default=None)
    # Never exposed through the API; see ``causerie.outbox.secrets``.
    secret_links: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True), default=None)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(
            OutboxStatus,
            native_enum=False,
            length=16,
            create_constraint=True,
            name="outbox_status",
        ),
        default=OutboxStatus.pending,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(LAST_ERROR_LENGTH), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
