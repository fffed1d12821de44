"""How an e-mail leaves: over SMTP, or kept without SMTP.

A kept e-mail is readable by owners in the studio with its secret links masked; the
operator reads it whole with ``causerie mails``. The log names it, never its body.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses
from typing import Protocol

import aiosmtplib

from causerie.core.settings import Settings
from causerie.models import OutboxStatus

logger = logging.getLogger("causerie.outbox")


@dataclass(frozen=True)
class OutgoingEmail:
    """What a transport needs of an outbox row."""

    id: uuid.UUID
    recipient: str
    subject: str
    text: str
    html: str | None
    language: str


class DeliveryError(Exception):
    """The send failed; ``permanent`` failures are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    # The status a successfully handled message ends in: ``sent`` or ``kept``.
    delivered_status: OutboxStatus

    async def send(self, email: OutgoingEmail) -> None:
        """Hand the message over, or raise ``DeliveryError``."""


class KeepTransport:
    """No SMTP configured (the embedded default): log that the message is kept, and keep it.

    ``email`` carries the real secret links: log its id, recipient and subject only.
    """

    delivered_status = OutboxStatus.kept

    async def send(self, email: OutgoingEmail) -> None:
        logger.info(
            "e-mail %s kept, not sent (no SMTP configured): to %s, subject %r; "
            "read it with `causerie mails`",
            email.id,
            email.recipient,
            email.subject,
        )


def _sender_domain(mail_from: str) -> str:
    addresses = getaddresses([mail_from])
    address = addresses[0][1] if addresses else ""
    return address.rpartition("@")[2] or "causerie.localhost"


def build_message(email: OutgoingEmail, *, mail_from: str) -> EmailMessage:
    """A multipart/alternative message (text, then HTML) with a Message-ID from the row id."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = Address(addr_spec=email.recipient)
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = f"<{email.id}@{_sender_domain(mail_from)}>"
    message["Content-Language"] = email.language
    message.set_content(email.text)
    if email.html is not None:
        message.add_alternative(email.html, subtype="html")
    return message


class SmtpTransport:
    """Delivers through an SMTP relay: STARTTLS, implicit TLS or plain, optional login."""

    delivered_status = OutboxStatus.sent

    def __init__(self, settings: Settings) -> None:
        self.hostname = settings.smtp_host
        self.port = settings.smtp_port
        self.username = settings.smtp_username or None
        self.password = settings.smtp_password or None
        self.security = settings.smtp_security
        self.timeout = settings.smtp_timeout
        self.mail_from = settings.mail_from

    async def send(self, email: OutgoingEmail) -> None:
        message = build_message(email, mail_from=self.mail_from)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.hostname,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.security == "tls",
                start_tls=self.security == "starttls",
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refusal.code for refusal in error.recipients]
            raise DeliveryError(
                f"recipient refused: {error}", permanent=all(code >= 500 for code in codes)
            ) from error
        except aiosmtplib.SMTPDataError as error:
            # The server refused this very message; a refused login or sender is a
            # configuration problem instead, retried until the operator fixes it.
            raise DeliveryError(
                f"SMTP {error.code}: {error.message}", permanent=error.code >= 500
            ) from error
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryError(f"SMTP {error.code}: {error.message}") from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error


def transport_from_settings(settings: Settings) -> Transport:
    if settings.smtp_host:
        return SmtpTransport(settings)
    return KeepTransport()
