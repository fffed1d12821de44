"""Outbox delivery on a real database and a real SMTP server (aiosmtpd).

Time is driven with an explicit ``now``; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter
from sqlalchemy import select
from typer.testing import CliRunner

from causerie.cli import app as cli_app
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.errors import Conflict
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.settings import Settings, get_settings
from causerie.main import create_app
from causerie.models import OutboxMessage, OutboxStatus
from causerie.outbox import service as outbox_service
from causerie.outbox.dispatcher import Dispatcher
from causerie.outbox.service import RetryPolicy, deliver_batch
from causerie.outbox.transports import KeepTransport, SmtpTransport
from tests.support.factories import create_email
from tests.support.smtp import SmtpServer

POLICY = RetryPolicy(max_attempts=3, base_seconds=30)


async def _row(database: Database, message_id: uuid.UUID) -> OutboxMessage:
    async with database.reader() as session:
        return await session.get_one(OutboxMessage, message_id)


def _later(moment: datetime, seconds: float) -> datetime:
    return moment + timedelta(seconds=seconds)


def _enqueue_router(*, fail: bool) -> APIRouter:
    """A route queueing an e-mail in the request's unit of work, then failing if asked."""
    router = APIRouter(route_class=UnitOfWorkRoute)

    @router.post("/test/enqueue")
    async def enqueue(session: SessionDep) -> dict[str, str]:
        outbox_service.enqueue_email(
            session,
            organization_id=None,
            category="reminder",
            recipient="ana@example.com",
            subject="Your answer got a reply",
            text="Someone replied.",
            html="<p>Someone replied.</p>",
            language="en",
        )
        if fail:
            raise Conflict("changed my mind")
        return {}

    return router


async def test_committed_email_is_delivered_by_the_in_process_dispatcher_as_text_and_html(
    settings: Settings, smtp_server: SmtpServer
) -> None:
    configured = smtp_server.configure(settings).model_copy(
        update={"inprocess_worker": True, "mail_from": "Maison Lumière <hello@lumiere.example>"}
    )
    application = create_app(configured)
    application.include_router(_enqueue_router(fail=False))
    async with LifespanManager(application):
        dispatcher: Dispatcher = application.state.dispatcher
        dispatcher.poll_interval = 3600  # only the commit's wake-up can deliver in time
        dispatcher.wake()
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test.local") as client:
            response = await client.post("/test/enqueue")
            assert response.status_code == 200
            [received] = await smtp_server.wait_for(1)

    assert received.rcpt_tos == ["ana@example.com"]
    assert received.message["To"] == "ana@example.com"
    assert received.message["Subject"] == "Your answer got a reply"
    assert received.message["From"].addresses[0].addr_spec == "hello@lumiere.example"
    assert received.message["From"].addresses[0].display_name == "Maison Lumière"
    assert received.message.get_content_type() == "multipart/alternative"
    assert received.part("text/plain").strip() == "Someone replied."
    assert received.part("text/html").strip() == "<p>Someone replied.</p>"
    assert received.message_id.endswith("@lumiere.example>")


async def test_rolled_back_change_sends_nothing(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    configured = smtp_server.configure(settings)
    application = create_app(configured)
    application.include_router(_enqueue_router(fail=True))
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test.local") as client:
            response = await client.post("/test/enqueue")
            assert response.status_code == 409

    async def abandoned_unit_of_work() -> None:
        async with db.writer() as session, session.begin():
            outbox_service.enqueue_email(
                session,
                organization_id=None,
                category="reminder",
                recipient="bob@example.com",
                subject="Never",
                text="Never sent",
                html=None,
                language="fr",
            )
            await session.flush()
            raise RuntimeError("abandon the unit of work")

    with pytest.raises(RuntimeError, match="abandon"):
        await abandoned_unit_of_work()

    assert await deliver_batch(db, SmtpTransport(configured), now=_later(utcnow(), 1)) == 0
    assert smtp_server.received == []


async def test_temporary_smtp_failure_is_retried_with_backoff_then_sent(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    transport = SmtpTransport(smtp_server.configure(settings))
    message_id = await create_email(db, organization_id=None, recipient="cleo@example.com")
    smtp_server.refuse_next(2)
    start = utcnow()

    assert await deliver_batch(db, transport, now=start, policy=POLICY) == 1
    row = await _row(db, message_id)
    assert (row.status, row.attempts) == (OutboxStatus.pending, 1)
    assert row.next_attempt_at == _later(start, 30)
    assert row.last_error is not None and "451" in row.last_error

    assert await deliver_batch(db, transport, now=_later(start, 29), policy=POLICY) == 0
    assert await deliver_batch(db, transport, now=_later(start, 30), policy=POLICY) == 1
    row = await _row(db, message_id)
    assert (row.status, row.attempts) == (OutboxStatus.pending, 2)
    assert row.next_attempt_at == _later(start, 30 + 60)  # the delay doubles

    done_at = _later(start, 90)
    assert await deliver_batch(db, transport, now=done_at, policy=POLICY) == 1
    row = await _row(db, message_id)
    assert (row.status, row.attempts, row.sent_at) == (OutboxStatus.sent, 3, done_at)
    assert row.last_error is None
    assert [email.rcpt_tos for email in smtp_server.received] == [["cleo@example.com"]]
    assert smtp_server.refused == 2


async def test_email_fails_visibly_after_max_attempts(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    transport = SmtpTransport(smtp_server.configure(settings))
    message_id = await create_email(db, organization_id=None)
    smtp_server.refuse_next(100)
    moment = utcnow()
    for attempt in range(1, POLICY.max_attempts + 1):
        assert await deliver_batch(db, transport, now=moment, policy=POLICY) == 1
        row = await _row(db, message_id)
        assert row.attempts == attempt
        moment = row.next_attempt_at

    row = await _row(db, message_id)
    assert row.status is OutboxStatus.failed
    assert row.last_error is not None and "451" in row.last_error
    assert row.sent_at is None
    assert await deliver_batch(db, transport, now=_later(moment, 86400), policy=POLICY) == 0
    assert smtp_server.received == []


async def test_permanent_refusal_fails_at_once(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    transport = SmtpTransport(smtp_server.configure(settings))
    message_id = await create_email(db, organization_id=None)
    smtp_server.refuse_next(1, "550 5.1.1 No such mailbox")
    assert await deliver_batch(db, transport, now=utcnow(), policy=POLICY) == 1
    row = await _row(db, message_id)
    assert (row.status, row.attempts) == (OutboxStatus.failed, 1)
    assert row.last_error is not None and "550" in row.last_error


async def test_a_crashed_workers_claim_is_retried_after_its_lease(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    transport = SmtpTransport(smtp_server.configure(settings))
    message_id = await create_email(db, organization_id=None)
    start = utcnow()
    async with db.writer() as session, session.begin():  # a worker claims, then dies
        [claimed] = await outbox_service.claim_due(
            session, now=start, limit=10, lease=timedelta(minutes=10)
        )
    assert claimed.id == message_id

    assert await deliver_batch(db, transport, now=_later(start, 60), policy=POLICY) == 0
    assert await deliver_batch(db, transport, now=_later(start, 601), policy=POLICY) == 1
    row = await _row(db, message_id)
    assert (row.status, row.attempts) == (OutboxStatus.sent, 2)
    assert len(smtp_server.received) == 1


async def test_two_workers_never_send_the_same_email_twice(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    configured = smtp_server.configure(settings)
    for index in range(40):
        await create_email(db, organization_id=None, recipient=f"p{index}@example.com")
    now = _later(utcnow(), 1)
    workers = [Database.from_url(settings.database_url) for _ in range(2)]

    async def work(database: Database) -> int:
        transport = SmtpTransport(configured)
        total = 0
        while attempted := await deliver_batch(database, transport, now=now, limit=3):
            total += attempted
        return total

    try:
        counts = await asyncio.gather(*(work(database) for database in workers))
    finally:
        for database in workers:
            await database.dispose()

    assert sum(counts) == 40
    assert all(counts), counts  # both workers really ran side by side
    per_message = Counter(email.message_id for email in smtp_server.received)
    assert len(per_message) == 40
    assert set(per_message.values()) == {1}
    recipients = Counter(rcpt for email in smtp_server.received for rcpt in email.rcpt_tos)
    assert len(recipients) == 40
    assert set(recipients.values()) == {1}


async def test_without_smtp_emails_are_kept_with_their_bodies_and_logged(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    message_id = await create_email(
        db,
        organization_id=None,
        category="invitation",
        recipient="dora@example.com",
        subject="Join us",
        text="Join: http://127.0.0.1:8000/join#secret",
    )
    moment = _later(utcnow(), 1)
    with caplog.at_level(logging.INFO, logger="causerie.outbox"):
        assert await deliver_batch(db, KeepTransport(), now=moment) == 1
    row = await _row(db, message_id)
    assert (row.status, row.sent_at) == (OutboxStatus.kept, moment)
    assert row.body_text == "Join: http://127.0.0.1:8000/join#secret"
    assert row.body_html == "<p>Hello in HTML</p>"
    assert any(
        "dora@example.com" in record.getMessage() and "Join us" in record.getMessage()
        for record in caplog.records
    )


SECRET = "https://club.example/t/s3cr3t-t0ken?lang=fr&from=mail"
LINK = escape(SECRET)  # as rendered in HTML: &amp;


async def _enqueue_secret(
    database: Database, *, text: str | None = None, recipient: str = "dora@example.com"
) -> uuid.UUID:
    """An e-mail carrying ``SECRET`` twice in each body (committed, pending)."""
    async with database.writer() as session, session.begin():
        message = outbox_service.enqueue_email(
            session,
            organization_id=None,
            category="invitation",
            recipient=recipient,
            subject="Join us",
            text=text or f"Join: {SECRET}\nOr copy {SECRET}",
            html=f'<a href="{LINK}">Join</a> <a href="{LINK}">{LINK}</a>',
            language="en",
            secret_links=[SECRET],
        )
        await session.flush()
        return message.id


async def test_secret_links_wait_outside_the_body_and_reach_only_the_recipient(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    message_id = await _enqueue_secret(db)
    row = await _row(db, message_id)
    assert row.secret_links == [SECRET]
    for body, occurrences in ((row.body_text, 2), (row.body_html or "", 3)):
        assert "s3cr3t-t0ken" not in body
        assert body.count("⟦secret-link:0⟧") == occurrences

    transport = SmtpTransport(smtp_server.configure(settings))
    assert await deliver_batch(db, transport, now=_later(utcnow(), 1)) == 1
    (received,) = smtp_server.received
    assert received.part("text/plain").count(SECRET) == 2
    html = received.part("text/html")
    assert html.count(f'href="{LINK}"') == 2, "escaped in HTML, as rendered"
    assert html.count(LINK) == 3
    assert "⟦" not in received.part("text/plain") + html

    row = await _row(db, message_id)
    assert row.status is OutboxStatus.sent
    assert row.secret_links is None, "handed over: the links are gone from the database"
    assert row.body_text == "Join: ⟦secret-link:0⟧\nOr copy ⟦secret-link:0⟧", "still readable"
    async with db.reader() as session:
        erased = await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.secret_links.is_(None))
        )
    assert erased == message_id, "SQL NULL, not a JSON null"


async def test_secret_links_are_erased_when_an_email_fails_for_good(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    transport = SmtpTransport(smtp_server.configure(settings))
    refused = await _enqueue_secret(db)
    smtp_server.refuse_next(1, "550 5.1.1 No such mailbox")
    assert await deliver_batch(db, transport, now=_later(utcnow(), 1), policy=POLICY) == 1
    row = await _row(db, refused)
    assert (row.status, row.secret_links) == (OutboxStatus.failed, None)

    # A message whose worker kept dying: failed at the next claim, its links erased too.
    crashed = await _enqueue_secret(db)
    start = _later(utcnow(), 2)
    for attempt in range(POLICY.max_attempts):
        async with db.writer() as session, session.begin():
            claimed = await outbox_service.claim_due(
                session, now=_later(start, 601 * attempt), limit=10, max_attempts=3
            )
        assert [message.id for message in claimed] == [crashed]
    async with db.writer() as session, session.begin():
        late = _later(start, 2000)
        assert await outbox_service.claim_due(session, now=late, limit=10, max_attempts=3) == []
    row = await _row(db, crashed)
    assert (row.status, row.secret_links) == (OutboxStatus.failed, None)


async def test_a_failed_attempt_keeps_the_links_for_the_retry(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    transport = SmtpTransport(smtp_server.configure(settings))
    message_id = await _enqueue_secret(db)
    smtp_server.refuse_next(1)
    start = utcnow()
    assert await deliver_batch(db, transport, now=start, policy=POLICY) == 1
    assert (await _row(db, message_id)).secret_links == [SECRET]
    assert await deliver_batch(db, transport, now=_later(start, 30), policy=POLICY) == 1
    assert SECRET in smtp_server.received[0].part("text/plain")


async def test_kept_emails_keep_their_links_for_the_operator_and_never_log_them(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    message_id = await _enqueue_secret(db)
    with caplog.at_level(logging.DEBUG):
        assert await deliver_batch(db, KeepTransport(), now=_later(utcnow(), 1)) == 1
    row = await _row(db, message_id)
    assert (row.status, row.secret_links) == (OutboxStatus.kept, [SECRET])
    assert caplog.records, "the kept e-mail is logged"
    assert not any("s3cr3t-t0ken" in record.getMessage() for record in caplog.records)


async def test_text_that_looks_like_a_placeholder_never_becomes_a_link(
    settings: Settings, db: Database, smtp_server: SmtpServer
) -> None:
    # Say an inviter's personal message tries to make the e-mail repeat the link.
    message_id = await _enqueue_secret(db, text="Send ⟦secret-link:0⟧ to me. Join: " + SECRET)
    transport = SmtpTransport(smtp_server.configure(settings))
    assert await deliver_batch(db, transport, now=_later(utcnow(), 1)) == 1
    text = smtp_server.received[0].part("text/plain")
    assert text.count(SECRET) == 1
    assert text.startswith("Send [secret-link:0⟧ to me.")
    assert (await _row(db, message_id)).body_text.count("⟦secret-link:") == 1


def test_worker_once_delivers_what_is_due(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAUSERIE_DATABASE_URL", database_url)
    monkeypatch.setenv("CAUSERIE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("CAUSERIE_SMTP_HOST", raising=False)
    get_settings.cache_clear()

    async def arrange() -> uuid.UUID:
        database = Database.from_url(database_url)
        try:
            return await create_email(database, organization_id=None)
        finally:
            await database.dispose()

    async def status(message_id: uuid.UUID) -> OutboxStatus:
        database = Database.from_url(database_url)
        try:
            return (await _row(database, message_id)).status
        finally:
            await database.dispose()

    try:
        message_id = asyncio.run(arrange())
        result = CliRunner().invoke(cli_app, ["worker", "--once"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "attempted 1 message(s)" in result.output
    assert asyncio.run(status(message_id)) is OutboxStatus.kept
