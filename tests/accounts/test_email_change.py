"""Moving an account to another address: confirmed from the new address, signs no one in."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import OutboxMessage, User
from tests.support.factories import PASSWORD, UserInfo, auth_headers, create_user
from tests.support.smtp import SmtpServer, deliver_outbox

LINK = re.compile(r"/change-email#token=([A-Za-z0-9_-]+)")


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return smtp_server.configure(settings)


@pytest.fixture
async def person(db: Database) -> UserInfo:
    return await create_user(db, email="old@example.com")


async def _request(
    client: httpx.AsyncClient, headers: dict[str, str], **body: object
) -> httpx.Response:
    return await client.post("/api/v1/me/email", json=body, headers=headers)


async def _token(db: Database, settings: Settings, smtp_server: SmtpServer) -> str:
    await deliver_outbox(db, settings)
    match = LINK.search(smtp_server.received[-1].part("text/plain"))
    assert match
    return match.group(1)


async def _email_of(db: Database, person: UserInfo) -> str | None:
    async with db.reader() as session:
        return await session.scalar(select(User.email).where(User.id == person.id))


async def test_confirmed_change_moves_the_account_and_ends_every_session(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    headers = auth_headers(settings, person)
    sent = await _request(client, headers, new_email="New@Example.com", password=PASSWORD)
    assert sent.status_code == 202, sent.text
    token = await _token(db, settings, smtp_server)
    assert smtp_server.received[-1].rcpt_tos == ["new@example.com"]
    assert await _email_of(db, person) == "old@example.com", "nothing changes before confirming"

    confirmed = await client.post("/api/v1/auth/email-change/confirm", json={"token": token})
    assert confirmed.status_code == 204, confirmed.text
    assert "set-cookie" not in confirmed.headers, "a link never signs anyone in"
    assert await _email_of(db, person) == "new@example.com"
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    await deliver_outbox(db, settings)
    assert smtp_server.received[-1].rcpt_tos == ["old@example.com"]

    login = await client.post(
        "/api/v1/auth/login", json={"email": "new@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200
    again = await client.post("/api/v1/auth/email-change/confirm", json={"token": token})
    assert again.status_code == 410


async def test_wrong_password_is_refused_and_sends_nothing(
    client: httpx.AsyncClient, person: UserInfo, db: Database, settings: Settings
) -> None:
    response = await _request(
        client, auth_headers(settings, person), new_email="new@example.com", password="guess"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "auth.wrong_password"
    async with db.reader() as session:
        assert (await session.scalars(select(OutboxMessage.id))).all() == []


async def test_address_of_another_account_is_refused(
    client: httpx.AsyncClient, person: UserInfo, db: Database, settings: Settings
) -> None:
    await create_user(db, email="taken@example.com")
    response = await _request(
        client, auth_headers(settings, person), new_email="taken@example.com", password=PASSWORD
    )
    assert response.status_code == 409
    assert response.json()["code"] == "auth.email_taken"


async def test_address_taken_before_confirming_is_refused(
    client: httpx.AsyncClient,
    person: UserInfo,
    db: Database,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    await _request(
        client, auth_headers(settings, person), new_email="new@example.com", password=PASSWORD
    )
    token = await _token(db, settings, smtp_server)
    await create_user(db, email="new@example.com")
    response = await client.post("/api/v1/auth/email-change/confirm", json={"token": token})
    assert response.status_code == 409
    assert await _email_of(db, person) == "old@example.com"
    assert (await client.get("/api/v1/me", headers=auth_headers(settings, person))).status_code == (
        200
    )
