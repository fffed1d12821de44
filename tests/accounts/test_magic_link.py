"""Password-less sign-in by a one-time e-mail link."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import MagicLinkToken, OutboxMessage
from tests.support.factories import UserInfo, create_user
from tests.support.smtp import SmtpServer, deliver_outbox

LINK = re.compile(r"/sign-in/link#token=([A-Za-z0-9_-]+)")


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return smtp_server.configure(settings)


@pytest.fixture
async def person(db: Database) -> UserInfo:
    return await create_user(db, email="rose@example.com", with_password=False)


async def _request(client: httpx.AsyncClient, email: str, language: str = "en") -> httpx.Response:
    return await client.post("/api/v1/auth/magic-link", json={"email": email, "language": language})


async def _token(db: Database, settings: Settings, smtp_server: SmtpServer) -> str:
    await deliver_outbox(db, settings)
    match = LINK.search(smtp_server.received[-1].part("text/plain"))
    assert match
    return match.group(1)


async def test_link_signs_in_once(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    response = await _request(client, "Rose@Example.com", "fr")
    assert response.status_code == 202
    token = await _token(db, settings, smtp_server)
    assert smtp_server.received[-1].message["Subject"] == "Votre lien de connexion à Causerie"
    consumed = await client.post("/api/v1/auth/magic-link/consume", json={"token": token})
    assert consumed.status_code == 200, consumed.text
    assert "causerie_refresh=" in consumed.headers["set-cookie"]
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {consumed.json()['access_token']}"}
    )
    assert me.json()["email"] == "rose@example.com"
    reused = await client.post("/api/v1/auth/magic-link/consume", json={"token": token})
    assert reused.status_code == 410
    assert reused.json()["code"] == "auth.link_expired"


async def test_unknown_address_gets_the_same_answer_and_no_email(
    client: httpx.AsyncClient, person: UserInfo, db: Database
) -> None:
    known = await _request(client, person.email)
    unknown = await _request(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    async with db.reader() as session:
        recipients = (await session.scalars(select(OutboxMessage.recipient))).all()
    assert recipients == [person.email]


async def test_expired_link_is_refused(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    await _request(client, person.email)
    token = await _token(db, settings, smtp_server)
    async with db.writer() as session, session.begin():
        await session.execute(
            update(MagicLinkToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    response = await client.post("/api/v1/auth/magic-link/consume", json={"token": token})
    assert response.status_code == 410


async def test_links_are_rate_limited_per_address(
    client: httpx.AsyncClient, person: UserInfo, db: Database
) -> None:
    codes = [(await _request(client, person.email)).status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(MagicLinkToken)) == 3


async def test_forged_token_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/magic-link/consume", json={"token": "x" * 43})
    assert response.status_code == 410


async def test_link_carries_a_same_site_return_path_in_its_fragment(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    response = await client.post(
        "/api/v1/auth/magic-link",
        json={"email": person.email, "next": "/invitations/abc-123?step=join"},
    )
    assert response.status_code == 202
    await deliver_outbox(db, settings)
    text = smtp_server.received[-1].part("text/plain")
    assert re.search(
        r"/sign-in/link#token=[A-Za-z0-9_-]+&next=%2Finvitations%2Fabc-123%3Fstep%3Djoin", text
    )


@pytest.mark.parametrize(
    "next_path",
    [
        "//evil.example.com/path",
        "/\\evil.example.com",
        "https://evil.example.com/",
        "invitations/abc",
        "",
        "/a//b",
        "/line\nbreak",
        "/tab\there",
        "/nul\x00",
        "/" + "a" * 500,
    ],
)
async def test_return_path_off_this_site_is_refused_and_sends_nothing(
    client: httpx.AsyncClient, person: UserInfo, db: Database, next_path: str
) -> None:
    response = await client.post(
        "/api/v1/auth/magic-link", json={"email": person.email, "next": next_path}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(MagicLinkToken)) == 0


@pytest.mark.parametrize("next_path", ["/", "/me/spaces", "/invitations/x/", "/a" * 250])
async def test_return_paths_on_this_site_are_accepted(
    client: httpx.AsyncClient, person: UserInfo, next_path: str
) -> None:
    response = await client.post(
        "/api/v1/auth/magic-link", json={"email": person.email, "next": next_path}
    )
    assert response.status_code == 202, response.text
