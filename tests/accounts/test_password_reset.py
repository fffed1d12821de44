"""Password reset by e-mail: no enumeration, single use, ends every session, signs no one in."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import AccountToken, OutboxMessage
from tests.support.factories import PASSWORD, UserInfo, auth_headers, create_user
from tests.support.smtp import SmtpServer, deliver_outbox

LINK = re.compile(r"/reset-password#token=([A-Za-z0-9_-]+)")
REFRESH_COOKIE = "causerie_refresh"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return smtp_server.configure(settings)


@pytest.fixture
async def person(db: Database) -> UserInfo:
    return await create_user(db, email="ines@example.com")


async def _request(client: httpx.AsyncClient, email: str, language: str = "en") -> httpx.Response:
    return await client.post(
        "/api/v1/auth/password-reset", json={"email": email, "language": language}
    )


async def _token(db: Database, settings: Settings, smtp_server: SmtpServer) -> str:
    await deliver_outbox(db, settings)
    match = LINK.search(smtp_server.received[-1].part("text/plain"))
    assert match
    return match.group(1)


async def _confirm(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_unknown_address_gets_the_same_answer_and_no_email(
    client: httpx.AsyncClient, person: UserInfo, db: Database
) -> None:
    known = await _request(client, "Ines@Example.com")
    unknown = await _request(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    async with db.reader() as session:
        recipients = (await session.scalars(select(OutboxMessage.recipient))).all()
    assert recipients == [person.email]


async def test_link_sets_the_password_once_without_signing_in(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    assert (await _request(client, person.email, "fr")).status_code == 202
    token = await _token(db, settings, smtp_server)
    assert smtp_server.received[-1].message["Subject"] == (
        "Réinitialiser votre mot de passe Causerie"
    )
    confirmed = await _confirm(client, token)
    assert confirmed.status_code == 204, confirmed.text
    assert confirmed.content == b"", "no token in the answer"
    assert "set-cookie" not in confirmed.headers, "a link never signs anyone in"
    assert (await _login(client, person.email, PASSWORD)).status_code == 401
    assert (await _login(client, person.email, NEW_PASSWORD)).status_code == 200

    again = await client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "yet another passphrase"},
    )
    assert again.status_code == 410
    assert again.json()["code"] == "auth.link_expired"
    assert (await _login(client, person.email, NEW_PASSWORD)).status_code == 200


async def test_reset_ends_every_session_of_the_account(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    factory_headers = auth_headers(settings, person)
    login = await _login(client, person.email, PASSWORD)
    cookie = client.cookies[REFRESH_COOKIE]
    await _request(client, person.email)
    token = await _token(db, settings, smtp_server)
    assert (await _confirm(client, token)).status_code == 204

    for headers in (factory_headers, {"Authorization": f"Bearer {login.json()['access_token']}"}):
        response = await client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "auth.invalid_token"
    client.cookies.set(REFRESH_COOKIE, cookie, domain="testserver.local", path="/api/v1/auth")
    assert (await client.post("/api/v1/auth/refresh")).status_code == 401


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
            update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    response = await _confirm(client, token)
    assert response.status_code == 410
    assert response.json()["code"] == "auth.link_expired"
    assert (await _login(client, person.email, PASSWORD)).status_code == 200


async def test_forged_token_is_refused(client: httpx.AsyncClient) -> None:
    response = await _confirm(client, "x" * 43)
    assert response.status_code == 410


async def test_short_new_password_is_refused_and_keeps_the_link(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    await _request(client, person.email)
    token = await _token(db, settings, smtp_server)
    short = await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "short"}
    )
    assert short.status_code == 422
    assert (await _confirm(client, token)).status_code == 204


async def test_requests_are_rate_limited_per_address(
    client: httpx.AsyncClient, person: UserInfo, db: Database
) -> None:
    codes = [(await _request(client, person.email)).status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(AccountToken)) == 3


async def test_only_the_hash_of_the_token_is_stored(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    await _request(client, person.email)
    token = await _token(db, settings, smtp_server)
    assert len(token) >= 43, "256 random bits"
    async with db.reader() as session:
        stored = (await session.scalars(select(AccountToken.token_hash))).all()
        bodies = (await session.scalars(select(OutboxMessage.body_text))).all()
    assert token not in stored
    assert all(token not in body for body in bodies), "the kept e-mail masks the link"
