"""A real SMTP server for tests (aiosmtpd on 127.0.0.1), recording what it receives.

Use the ``smtp_server`` fixture, point the app at it with ``smtp_server.configure(settings)``
and assert on ``smtp_server.received``. ``smtp_server.refuse_next(n)`` answers
``451 try again later`` to the next ``n`` messages.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.outbox.dispatcher import Dispatcher


@dataclass(frozen=True)
class ReceivedEmail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, content_type: str) -> str:
        """The body of the text/plain or text/html part."""
        body = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        assert body is not None and body.get_content_type() == content_type, content_type
        return str(body.get_content())  # type: ignore[attr-defined]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        return self.server._accept(envelope)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.hostname = "127.0.0.1"
        self.port = _free_port()
        self.received: list[ReceivedEmail] = []
        self.refused = 0
        self._refusals_left = 0
        self._refusal = "451 4.3.0 Try again later"
        self._changed = threading.Condition()
        self._controller = Controller(_Handler(self), hostname=self.hostname, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def configure(self, settings: Settings) -> Settings:
        """``settings`` delivering to this server (plain SMTP, no login)."""
        return settings.model_copy(
            update={"smtp_host": self.hostname, "smtp_port": self.port, "smtp_security": "none"}
        )

    def refuse_next(self, count: int, reply: str = "451 4.3.0 Try again later") -> None:
        """Answer ``reply`` to the next ``count`` messages instead of accepting them."""
        with self._changed:
            self._refusals_left = count
            self._refusal = reply

    def _accept(self, envelope: Any) -> str:
        with self._changed:
            if self._refusals_left > 0:
                self._refusals_left -= 1
                self.refused += 1
                self._changed.notify_all()
                return self._refusal
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            self.received.append(
                ReceivedEmail(
                    mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos), message=parsed
                )
            )
            self._changed.notify_all()
        return "250 OK"

    async def wait_for(self, count: int, within: float = 10.0) -> list[ReceivedEmail]:
        """Wait (on a condition, not a sleep) until ``count`` messages have been received."""

        def wait() -> bool:
            with self._changed:
                return self._changed.wait_for(lambda: len(self.received) >= count, within)

        if not await asyncio.to_thread(wait):
            raise AssertionError(f"expected {count} e-mails, received {len(self.received)}")
        return list(self.received)


async def deliver_outbox(database: Database, settings: Settings) -> int:
    """Deliver everything due now, as the dispatcher would; returns how many were attempted."""
    return await Dispatcher.from_settings(database, settings).deliver_due()
