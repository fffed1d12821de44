"""Secret links are never readable by tenant staff (issue 9), for each kind of link.

A participant invitation, a staff invitation, a sign-in link and the unsubscribe link of
a notification: the owners' "sent e-mails" API (list and detail) never contains the
link or its token, neither while the e-mail waits nor once it went out, while the e-mail
the real SMTP server received carries the working link; once sent, the database no
longer holds the link. Without SMTP the operator reads it with ``causerie mails``.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from pathlib import Path

import httpx
import pytest
from jose import jwt
from sqlalchemy import select
from typer.testing import CliRunner

from causerie.cli import app as cli_app
from causerie.core import tokens
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings, get_settings
from causerie.models import (
    EmailPreference,
    OutboxMessage,
    OutboxStatus,
    Participant,
    Role,
    Space,
    SpaceLanguage,
    SpaceStatus,
)
from causerie.notifications import service as notifications_service
from causerie.outbox import service as outbox_service
from causerie.outbox.operator import describe, kept_emails
from tests.support.factories import (
    UserInfo,
    add_participant,
    auth_headers,
    create_organization,
    create_space,
    create_user,
)
from tests.support.smtp import ReceivedEmail, SmtpServer, deliver_outbox

INVITATION = re.compile(r"https?://[^\s\"'<>]+/invitations/([A-Za-z0-9_-]+)")
SIGN_IN = re.compile(r"https?://[^\s\"'<>]+/sign-in/link#token=([A-Za-z0-9_-]+)")
UNSUBSCRIBE = re.compile(r"https?://[^\s\"'<>]+/unsubscribe#token=([A-Za-z0-9_.-]+)")
MASK = "[secret link hidden]"


@dataclass(frozen=True)
class Brand:
    """Organization B, whose owner reads its e-mails, and organization A next door."""

    id: uuid.UUID
    space_id: uuid.UUID
    owner: UserInfo
    animator: UserInfo
    other_id: uuid.UUID
    other_owner: UserInfo  # owner of organization A, an existing account


@pytest.fixture
async def brand(db: Database) -> Brand:
    owner = await create_user(db, email="owner@brand-b.example.com")
    animator = await create_user(db, email="animator@brand-b.example.com")
    other_owner = await create_user(db, email="owner@brand-a.example.com")
    org_id = await create_organization(
        db, name="Brand B", members={owner: Role.owner, animator: Role.animator}
    )
    other_id = await create_organization(db, name="Brand A", members={other_owner: Role.owner})
    space_id = await create_space(
        db, org_id, title="B Club", status=SpaceStatus.open, language=SpaceLanguage.en
    )
    return Brand(org_id, space_id, owner, animator, other_id, other_owner)


async def _staff_reads(
    client: httpx.AsyncClient, settings: Settings, organization_id: uuid.UUID, owner: UserInfo
) -> list[httpx.Response]:
    """Every answer of the owners' e-mail API: the list, then each e-mail in it."""
    headers = auth_headers(settings, owner)
    url = f"/api/v1/organizations/{organization_id}/emails"
    listing = await client.get(url, params={"limit": 100}, headers=headers)
    assert listing.status_code == 200, listing.text
    answers = [listing]
    for item in listing.json()["items"]:
        one = await client.get(f"{url}/{item['id']}", headers=headers)
        assert one.status_code == 200, one.text
        answers.append(one)
    return answers


async def _stored_links(db: Database, recipient: str) -> list[str]:
    async with db.reader() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage.secret_links).where(OutboxMessage.recipient == recipient)
            )
        ).all()
    return [link for links in rows for link in links or []]


def _received(smtp_server: SmtpServer, recipient: str) -> ReceivedEmail:
    (found,) = [email for email in smtp_server.received if recipient in email.rcpt_tos]
    return found


async def _prove_secret(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
    *,
    recipient: str,
    pattern: re.Pattern[str],
    organization_id: uuid.UUID,
    owner: UserInfo,
    listed: bool = True,
) -> str:
    """Both rules for the e-mail to ``recipient``; returns the token it delivered."""
    (waiting_link,) = await _stored_links(db, recipient)
    waiting = pattern.fullmatch(waiting_link)
    assert waiting, waiting_link
    answers = await _staff_reads(client, settings, organization_id, owner)
    assert any(recipient in answer.text for answer in answers) is listed
    for answer in answers:
        assert waiting.group(1) not in answer.text, "a waiting e-mail shows no link"

    await deliver_outbox(db, smtp_server.configure(settings))
    received = _received(smtp_server, recipient)
    delivered = pattern.search(received.part("text/plain"))
    assert delivered, received.part("text/plain")
    link, token = delivered.group(0), delivered.group(1)
    assert token == waiting.group(1)
    assert escape(link) in received.part("text/html")

    answers = await _staff_reads(client, settings, organization_id, owner)
    for answer in answers:
        assert token not in answer.text, "a sent e-mail shows no link"
        assert "secret_links" not in answer.text
    async with db.reader() as session:
        row = (
            await session.execute(
                select(
                    OutboxMessage.status,
                    OutboxMessage.secret_links,
                    OutboxMessage.body_text,
                    OutboxMessage.body_html,
                ).where(OutboxMessage.recipient == recipient)
            )
        ).one()
    assert (row.status, row.secret_links) == (OutboxStatus.sent, None)
    assert token not in row.body_text + (row.body_html or "")
    return token


async def test_owner_never_reads_an_invitation_link_sent_to_another_organizations_owner(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    # The takeover scenario: owner B invites owner A's address into B's space.
    invited = await client.post(
        f"/api/v1/spaces/{brand.space_id}/invitations",
        json={"email": brand.other_owner.email},
        headers=auth_headers(settings, brand.owner),
    )
    assert invited.status_code == 201, invited.text
    token = await _prove_secret(
        client,
        db,
        settings,
        smtp_server,
        recipient=brand.other_owner.email,
        pattern=INVITATION,
        organization_id=brand.id,
        owner=brand.owner,
    )
    detail = (await _staff_reads(client, settings, brand.id, brand.owner))[1].json()
    assert MASK in detail["body_text"]
    assert MASK in detail["body_html"]
    assert 'href="#"' in detail["body_html"], "the mask is no working link"
    assert "/invitations/" not in detail["body_html"]
    html = _received(smtp_server, brand.other_owner.email).part("text/html")
    assert f'href="{settings.public_base_url}/invitations/{token}"' in html
    assert (await client.get(f"/api/v1/invitations/{token}")).status_code == 200, "it works"


async def test_owner_never_reads_a_staff_invitation_link(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    invited = await client.post(
        f"/api/v1/organizations/{brand.id}/invitations",
        json={"email": brand.other_owner.email, "role": "animator", "language": "en"},
        headers=auth_headers(settings, brand.owner),
    )
    assert invited.status_code == 201, invited.text
    token = await _prove_secret(
        client,
        db,
        settings,
        smtp_server,
        recipient=brand.other_owner.email,
        pattern=INVITATION,
        organization_id=brand.id,
        owner=brand.owner,
    )
    preview = await client.get(f"/api/v1/invitations/{token}")
    assert preview.status_code == 200
    assert preview.json()["kind"] == "staff"


async def test_no_one_but_the_recipient_reads_a_sign_in_link(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    asked = await client.post(
        "/api/v1/auth/magic-link", json={"email": brand.animator.email, "language": "en"}
    )
    assert asked.status_code == 202
    # Not an organization's e-mail: the owners of the animator's organization never list it.
    token = await _prove_secret(
        client,
        db,
        settings,
        smtp_server,
        recipient=brand.animator.email,
        pattern=SIGN_IN,
        organization_id=brand.id,
        owner=brand.owner,
        listed=False,
    )
    consumed = await client.post("/api/v1/auth/magic-link/consume", json={"token": token})
    assert consumed.status_code == 200, consumed.text


async def _notify(db: Database, settings: Settings, space_id: uuid.UUID, user: UserInfo) -> None:
    """A notification e-mail (with its unsubscribe link) to ``user``, a participant."""
    async with db.writer() as session, session.begin():
        participant = await session.scalar(
            select(Participant).where(
                Participant.space_id == space_id, Participant.user_id == user.id
            )
        )
        assert participant is not None
        space = await session.get_one(Space, space_id)
        created = await notifications_service.notify(
            session,
            settings=settings,
            space=space,
            participants=[participant],
            message=notifications_service.Message(
                kind="reply",
                dedup_key=f"reply:{uuid.uuid4()}",
                title="New reply in B Club",
                body="Someone replied to you.",
                link_path=f"/me/spaces/{space_id}",
            ),
        )
    assert created == 1


async def test_owner_never_reads_the_unsubscribe_link_of_a_notification(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    db: Database,
    smtp_server: SmtpServer,
) -> None:
    rose = await create_user(db, email="rose@example.com")
    participant_id = await add_participant(db, brand.space_id, rose, "Rose")
    await _notify(db, settings, brand.space_id, rose)
    token = await _prove_secret(
        client,
        db,
        settings,
        smtp_server,
        recipient=rose.email,
        pattern=UNSUBSCRIBE,
        organization_id=brand.id,
        owner=brand.owner,
    )
    body = _received(smtp_server, rose.email).part("text/plain")
    assert f"/me/spaces/{brand.space_id}" in body, "ordinary links are no secret"
    done = await client.post("/api/v1/unsubscribe", json={"token": token})
    assert done.status_code == 200, done.text
    async with db.reader() as session:
        participant = await session.get_one(Participant, participant_id)
    assert participant.email_notifications is EmailPreference.off


async def test_an_expired_or_expiry_less_unsubscribe_link_is_refused(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rose = await create_user(db, email="rose@example.com")
    participant_id = await add_participant(db, brand.space_id, rose, "Rose")
    assert settings.unsubscribe_link_ttl_days == 365
    long_ago = utcnow() - timedelta(days=366)
    monkeypatch.setattr(tokens, "utcnow", lambda: long_ago)
    expired = tokens.issue_unsubscribe_token(settings, participant_id)
    monkeypatch.undo()
    # As issued before links expired: signed, but without an expiry.
    no_expiry = jwt.encode(
        {
            "sub": str(participant_id),
            "iat": int(utcnow().timestamp()),
            "iss": settings.jwt_issuer,
            "aud": tokens.UNSUBSCRIBE_AUDIENCE,
            "typ": "unsubscribe",
        },
        settings.secret_key,
        algorithm=tokens.ALGORITHM,
    )
    for token in (expired, no_expiry):
        refused = await client.post("/api/v1/unsubscribe", json={"token": token})
        assert refused.status_code == 401
        assert refused.json()["code"] == "auth.invalid_token"
        assert refused.json()["detail"] == "This unsubscribe link is not valid."
    async with db.reader() as session:
        participant = await session.get_one(Participant, participant_id)
    assert participant.email_notifications is EmailPreference.immediate, "nothing changed"
    fresh = tokens.issue_unsubscribe_token(settings, participant_id)
    assert (await client.post("/api/v1/unsubscribe", json={"token": fresh})).status_code == 200


async def test_owner_reads_secret_links_masked_in_text_and_html(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    link = "https://club.example/go?token=s3cr3t&x=<1>"
    async with db.writer() as session, session.begin():
        for language in ("en", "fr"):
            outbox_service.enqueue_email(
                session,
                organization_id=brand.id,
                category="invitation",
                recipient=f"{language}@example.com",
                subject="Hello",
                text=f"Go: {link}",
                html=f'<a href="{escape(link)}">{escape(link)}</a>',
                language=language,
                secret_links=[link],
            )
    url = f"/api/v1/organizations/{brand.id}/emails"
    headers = auth_headers(settings, brand.owner)
    items = {
        item["recipient"]: item for item in (await client.get(url, headers=headers)).json()["items"]
    }
    assert items["en@example.com"]["body_text"] == f"Go: {MASK}"
    assert items["en@example.com"]["body_html"] == f'<a href="#">{MASK}</a>'
    assert items["fr@example.com"]["body_text"] == "Go: [lien secret masqué]"
    for item in items.values():
        assert "s3cr3t" not in str(item)
        assert "secret_links" not in item


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CAUSERIE_DATABASE_URL", database_url)
    monkeypatch.setenv("CAUSERIE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("CAUSERIE_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _mails(*arguments: str) -> str:
    result = CliRunner().invoke(cli_app, ["mails", *arguments])
    assert result.exit_code == 0, result.output
    return result.output


async def test_without_smtp_only_the_operators_causerie_mails_shows_the_invitation_link(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    db: Database,
    cli_env: None,
) -> None:
    for email in ("rose@example.com", "jules@example.com"):
        invited = await client.post(
            f"/api/v1/spaces/{brand.space_id}/invitations",
            json={"email": email},
            headers=auth_headers(settings, brand.animator),
        )
        assert invited.status_code == 201, invited.text
    assert await deliver_outbox(db, settings) == 2  # no SMTP: kept
    (link,) = await _stored_links(db, "rose@example.com")
    token = INVITATION.fullmatch(link)
    assert token, link
    for answer in await _staff_reads(client, settings, brand.id, brand.owner):
        assert token.group(1) not in answer.text
    assert (await client.get(f"/api/v1/invitations/{token.group(1)}")).status_code == 200

    # The command runs its own event loop: give it a thread.
    links_only = await asyncio.to_thread(_mails, "--links-only", "--to", "Rose@Example.com")
    assert links_only.splitlines() == [
        "rose@example.com | Brand B invites you to B Club",
        f"  {link}",
    ]
    whole = await asyncio.to_thread(_mails)
    assert whole.count("=== ") == 2, "both kept e-mails, newest first"
    assert whole.index("To: jules@example.com") < whole.index("To: rose@example.com")
    assert f"Link: {link}" in whole
    assert f"\n{link}" in whole, "the text body with the real link"
    assert "⟦" not in whole
    limited = await asyncio.to_thread(_mails, "--limit", "1", "--links-only")
    assert "jules@example.com" in limited and "rose@example.com" not in limited
    nobody = await asyncio.to_thread(_mails, "--to", "nobody@example.com")
    assert nobody.strip() == "no kept or pending e-mails to nobody@example.com"

    async with db.reader() as session:
        emails = await kept_emails(session, recipient="rose@example.com")
    assert [email.links for email in emails] == [[link]]
    assert describe(emails[0], links_only=True).endswith(link)
