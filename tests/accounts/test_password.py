"""Changing one's password (or setting a first one) ends every other session."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import User
from tests.support.factories import PASSWORD, UserInfo, auth_headers, create_user

REFRESH_COOKIE = "causerie_refresh"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
async def user(db: Database) -> UserInfo:
    return await create_user(db, email="noor@example.com")


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


def _bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _change(
    client: httpx.AsyncClient, headers: dict[str, str], **body: object
) -> httpx.Response:
    return await client.post("/api/v1/me/password", json=body, headers=headers)


async def test_change_ends_other_sessions_and_keeps_the_callers(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    other = await _login(client, user.email, PASSWORD)
    other_cookie = client.cookies[REFRESH_COOKIE]
    mine = await _login(client, user.email, PASSWORD)
    my_cookie = client.cookies[REFRESH_COOKIE]

    changed = await _change(
        client, _bearer(mine), current_password=PASSWORD, new_password=NEW_PASSWORD
    )
    assert changed.status_code == 204, changed.text
    assert "set-cookie" not in changed.headers

    assert (await client.get("/api/v1/me", headers=_bearer(other))).status_code == 401
    client.cookies.set(REFRESH_COOKIE, other_cookie, domain="testserver.local", path="/api/v1/auth")
    assert (await client.post("/api/v1/auth/refresh")).status_code == 401

    assert (await client.get("/api/v1/me", headers=_bearer(mine))).status_code == 200
    client.cookies.set(REFRESH_COOKIE, my_cookie, domain="testserver.local", path="/api/v1/auth")
    assert (await client.post("/api/v1/auth/refresh")).status_code == 200

    assert (await _login(client, user.email, PASSWORD)).status_code == 401
    assert (await _login(client, user.email, NEW_PASSWORD)).status_code == 200


async def test_wrong_current_password_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, user: UserInfo, settings: Settings, db: Database
) -> None:
    headers = auth_headers(settings, user)
    wrong = await _change(
        client, headers, current_password="not my password", new_password=NEW_PASSWORD
    )
    assert wrong.status_code == 422
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["code"] == "auth.wrong_password"
    missing = await _change(client, headers, new_password=NEW_PASSWORD)
    assert missing.status_code == 422
    assert missing.json()["code"] == "auth.current_password_required"
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    assert (await _login(client, user.email, PASSWORD)).status_code == 200


async def test_wrong_current_passwords_are_rate_limited_before_hashing(
    client: httpx.AsyncClient, user: UserInfo, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = auth_headers(settings, user)
    for _ in range(settings.login_attempts_per_account):
        response = await _change(
            client, headers, current_password="guess", new_password=NEW_PASSWORD
        )
        assert response.status_code == 422

    calls: list[object] = []

    async def spy(*args: object) -> bool:
        calls.append(args)
        return True

    monkeypatch.setattr("causerie.accounts.credentials.verify_password", spy)
    limited = await _change(client, headers, current_password=PASSWORD, new_password=NEW_PASSWORD)
    assert limited.status_code == 429
    assert limited.json()["code"] == "auth.rate_limited"
    assert calls == [], "the limiter answers before any password hashing"
    # The same count guards sign-in with that address.
    assert (await _login(client, user.email, PASSWORD)).status_code == 429


async def test_account_without_password_can_set_a_first_one(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    person = await create_user(db, with_password=False)
    headers = auth_headers(settings, person)
    response = await _change(client, headers, new_password=NEW_PASSWORD)
    assert response.status_code == 204, response.text
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    assert (await _login(client, person.email, NEW_PASSWORD)).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"current_password": PASSWORD, "new_password": "short"},
        {"current_password": PASSWORD, "new_password": "x" * 1025},
        {"current_password": PASSWORD},
        {"current_password": "", "new_password": NEW_PASSWORD},
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "extra": 1},
    ],
)
async def test_malformed_change_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
    user: UserInfo,
    settings: Settings,
    db: Database,
    body: dict[str, object],
) -> None:
    async with db.reader() as session:
        before = await session.scalar(select(User.password_hash).where(User.id == user.id))
    response = await client.post(
        "/api/v1/me/password", json=body, headers=auth_headers(settings, user)
    )
    assert response.status_code == 422
    async with db.reader() as session:
        after = await session.scalar(select(User.password_hash).where(User.id == user.id))
    assert after == before


async def test_change_requires_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "auth.not_authenticated"
