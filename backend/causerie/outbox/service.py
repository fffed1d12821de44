"""The transactional outbox: enqueue with the change, deliver after commit.

``enqueue_email`` adds a row to the caller's unit of work (flush only): a change that
rolls back sends nothing. ``deliver_batch`` claims due rows in one short transaction
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent workers never claim the same
row; SQLite write transactions are ``BEGIN IMMEDIATE`` and serialize), sends outside
any transaction, then records each outcome in a short transaction of its own.

A claim is a lease: a worker that dies mid-send leaves its rows in ``sending`` until
``locked_until``, after which another worker retries them.

Secret links (``enqueue_email(secret_links=...)``) are stored apart from the body, which
holds placeholders (see ``outbox.secrets``): delivery puts the links back, the owners'
view masks them, and they are erased once the e-mail is sent or has failed for good.
Without SMTP (``kept``) they stay, for the operator's ``causerie mails``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.events import wake_after_commit
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import OutboxMessage, OutboxStatus
from causerie.models.outbox import LAST_ERROR_LENGTH
from causerie.outbox import secrets
from causerie.outbox.transports import DeliveryError, OutgoingEmail, Transport

logger = logging.getLogger("causerie.outbox")

# ``enqueue_email`` marks the session so the commit can wake the dispatcher.
CHANNEL = "outbox"
"""After-commit channel: new outbox rows wake the in-process dispatcher."""
BATCH_SIZE = 10  # sent one by one: 10 x the SMTP timeout stays well inside the lease
DEFAULT_LEASE = timedelta(minutes=10)
MAX_RETRY_DELAY = timedelta(hours=6)
INTERRUPTED = "delivery interrupted (the worker stopped while sending)"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: int = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_attempts=settings.outbox_max_attempts,
            base_seconds=settings.outbox_retry_base_seconds,
        )

    def delay(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failed attempt: base, 2 x base, 4 x base … capped."""
        exponent = min(max(attempts - 1, 0), 30)
        return min(timedelta(seconds=self.base_seconds * 2**exponent), MAX_RETRY_DELAY)


# What causes an e-mail, as the studio's "sent e-mails" list names it (each has a label in
# both languages of the app: tests/test_translations.py). A new cause is added here first.
EmailCategory = Literal[
    "invitation",
    "staff_invitation",
    "magic_link",
    "password_reset",
    "email_change",
    "email_changed",
    "digest",
    "reminder",
    "probe",
    "probe_overdue",
    "prompt_opened",
    "new_response",
    "reply",
    "new_reply",
]
EMAIL_CATEGORIES: frozenset[str] = frozenset(get_args(EmailCategory))


def enqueue_email(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    category: str,
    recipient: str,
    subject: str,
    text: str,
    html: str | None,
    language: str,
    secret_links: Sequence[str] = (),
) -> OutboxMessage:
    """Queue an e-mail in the caller's unit of work; it is delivered after the commit.

    Pass in ``secret_links`` every link that acts for the recipient (an invitation, a
    sign-in, password-reset or unsubscribe link): the stored body holds a placeholder
    instead, so staff reading the e-mail never see it; delivery puts it back.
    """
    if category not in EMAIL_CATEGORIES:
        raise ValueError(f"unknown e-mail category {category!r}: add it to EMAIL_CATEGORIES")
    links = secrets.unique_links(secret_links)
    text, html = secrets.hide(text, html, links)
    message = OutboxMessage(
        organization_id=organization_id,
        kind="email",
        category=category,
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
        secret_links=links or None,
        language=language,
        status=OutboxStatus.pending,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(message)
    wake_after_commit(session, CHANNEL)
    return message


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == OutboxStatus.pending, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.sending, OutboxMessage.locked_until <= now),
    )


async def has_due(session: AsyncSession, *, now: datetime) -> bool:
    """A cheap read, so an idle dispatcher never takes SQLite's write lock."""
    found = await session.scalar(select(OutboxMessage.id).where(_due(now)).limit(1))
    return found is not None


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int,
    lease: timedelta = DEFAULT_LEASE,
    max_attempts: int = RetryPolicy.max_attempts,
) -> list[OutboxMessage]:
    """Lease up to ``limit`` due messages to the caller (status ``sending``, one more attempt).

    A message whose earlier lease ran out with no attempts left is marked ``failed``
    instead: a message that keeps killing its worker must not be retried forever.
    """
    rows = (
        await session.scalars(
            select(OutboxMessage)
            .where(_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    claimed: list[OutboxMessage] = []
    for message in rows:
        if message.status is OutboxStatus.sending and message.attempts >= max_attempts:
            message.status = OutboxStatus.failed
            message.locked_until = None
            message.last_error = INTERRUPTED
            message.secret_links = None
            continue
        if message.status is OutboxStatus.sending:
            message.last_error = INTERRUPTED
        message.status = OutboxStatus.sending
        message.attempts += 1
        message.locked_until = now + lease
        claimed.append(message)
    await session.flush()
    return claimed


def _mask(language: str) -> str:
    return translate(language, "outbox.secret_link_hidden")


def masked_bodies(text: str, html: str | None, *, language: str) -> tuple[str, str | None]:
    """The bodies as staff may read them: every secret link masked (never the links)."""
    mask = _mask(language)
    return (
        secrets.mask_text(text, mask=mask),
        secrets.mask_html(html, mask=mask) if html is not None else None,
    )


def revealed_bodies(message: OutboxMessage) -> tuple[str, str | None]:
    """The bodies as the recipient gets them: with the real secret links."""
    links, mask = message.secret_links or [], _mask(message.language)
    html = message.body_html
    return (
        secrets.reveal_text(message.body_text, links, mask=mask),
        secrets.reveal_html(html, links, mask=mask) if html is not None else None,
    )


def _outgoing(message: OutboxMessage) -> OutgoingEmail:
    text, html = revealed_bodies(message)
    return OutgoingEmail(
        id=message.id,
        recipient=message.recipient,
        subject=message.subject,
        text=text,
        html=html,
        language=message.language,
    )


async def _record(
    database: Database,
    message: OutboxMessage,
    *,
    now: datetime,
    delivered_status: OutboxStatus,
    error: DeliveryError | None,
    policy: RetryPolicy,
) -> None:
    """Store one outcome, if the lease is still ours (it may have expired and moved on)."""
    values: dict[str, object] = {"locked_until": None}
    if error is None:
        values |= {"status": delivered_status, "sent_at": now, "last_error": None}
        if delivered_status is OutboxStatus.sent:
            # Handed over: the recipient has the links, no one else ever needs them.
            values["secret_links"] = None
    else:
        values["last_error"] = str(error)[:LAST_ERROR_LENGTH]
        if error.permanent or message.attempts >= policy.max_attempts:
            values |= {"status": OutboxStatus.failed, "secret_links": None}
        else:
            values |= {
                "status": OutboxStatus.pending,
                "next_attempt_at": now + policy.delay(message.attempts),
            }
    async with database.writer() as session, session.begin():
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message.id,
                OutboxMessage.status == OutboxStatus.sending,
                OutboxMessage.locked_until == message.locked_until,
            )
            .values(**values, updated_at=utcnow())
        )


async def deliver_batch(
    database: Database,
    transport: Transport,
    *,
    now: datetime | None = None,
    policy: RetryPolicy | None = None,
    limit: int = BATCH_SIZE,
    lease: timedelta = DEFAULT_LEASE,
) -> int:
    """Deliver what is due at ``now``; returns how many messages were attempted."""
    now = now or utcnow()
    policy = policy or RetryPolicy()
    async with database.reader() as session:
        if not await has_due(session, now=now):
            return 0
    async with database.writer() as session, session.begin():
        claimed = await claim_due(
            session, now=now, limit=limit, lease=lease, max_attempts=policy.max_attempts
        )
    for message in claimed:
        error: DeliveryError | None = None
        try:
            await transport.send(_outgoing(message))
        except DeliveryError as failure:
            error = failure
            logger.warning(
                "e-mail %s to %s failed (attempt %d): %s",
                message.id,
                message.recipient,
                message.attempts,
                failure,
            )
        await _record(
            database,
            message,
            now=now,
            delivered_status=transport.delivered_status,
            error=error,
            policy=policy,
        )
    return len(claimed)
