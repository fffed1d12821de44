"""The operator's view of the outbox (``causerie mails``): e-mails with their real links.

Only the command line reaches this module: it reads the database directly, so tenant
staff, who only ever go through the API, can never read a secret link with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.models import OutboxMessage, OutboxStatus
from causerie.outbox.service import revealed_bodies

# Sent and failed e-mails no longer have their links; these still do.
WITH_LINKS = (OutboxStatus.kept, OutboxStatus.pending, OutboxStatus.sending)


@dataclass(frozen=True)
class OperatorEmail:
    created_at: datetime
    status: OutboxStatus
    category: str
    recipient: str
    subject: str
    links: list[str]
    text: str


async def kept_emails(
    session: AsyncSession, *, recipient: str | None = None, limit: int = 10
) -> list[OperatorEmail]:
    """Kept and pending e-mails, newest first, as their recipients get them."""
    stmt = select(OutboxMessage).where(
        OutboxMessage.kind == "email", OutboxMessage.status.in_(WITH_LINKS)
    )
    if recipient is not None:
        stmt = stmt.where(func.lower(OutboxMessage.recipient) == recipient.strip().lower())
    stmt = stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
    emails: list[OperatorEmail] = []
    for message in (await session.scalars(stmt)).all():
        text, _html = revealed_bodies(message)
        emails.append(
            OperatorEmail(
                created_at=message.created_at,
                status=message.status,
                category=message.category,
                recipient=message.recipient,
                subject=message.subject,
                links=list(message.secret_links or []),
                text=text,
            )
        )
    return emails


def describe(email: OperatorEmail, *, links_only: bool) -> str:
    """One e-mail for the terminal: a header, its links, and (unless ``links_only``) its text."""
    moment = email.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    if links_only:
        lines = [f"{email.recipient} | {email.subject}"]
        lines += [f"  {link}" for link in email.links] or ["  (no links)"]
        return "\n".join(lines)
    lines = [
        f"=== {moment} | {email.status.value} | {email.category}",
        f"To: {email.recipient}",
        f"Subject: {email.subject}",
    ]
    lines += [f"Link: {link}" for link in email.links]
    return "\n".join([*lines, "", email.text.rstrip()])
