"""Server-side sessions: access tokens die with their session; the refresh grace window."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import AuthSession, RefreshToken
from tests.support.factories import PASSWORD, UserInfo, create_user

REFRESH_COOKIE = "causerie_refresh"


@pytest.fixture
async def user(db: Database) -> UserInfo:
    return await create_user(db, email="sacha@example.com")


def _bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _use_cookie(client: httpx.AsyncClient, token: str) -> None:
    client.cookies.set(REFRESH_COOKIE, token, domain="testserver.local", path="/api/v1/auth")


async def _login(client: httpx.AsyncClient, user: UserInfo) -> httpx.Response:
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response


async def _refresh_with(client: httpx.AsyncClient, token: str) -> httpx.Response:
    _use_cookie(client, token)
    return await client.post("/api/v1/auth/refresh")


async def test_access_token_is_refused_right_after_logout(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    login = await _login(client, user)
    assert (await client.get("/api/v1/me", headers=_bearer(login))).status_code == 200
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    after = await client.get("/api/v1/me", headers=_bearer(login))
    assert after.status_code == 401
    assert after.json()["code"] == "auth.invalid_token"


async def test_logout_ends_only_its_own_session(client: httpx.AsyncClient, user: UserInfo) -> None:
    phone = await _login(client, user)
    phone_cookie = client.cookies[REFRESH_COOKIE]
    laptop = await _login(client, user)
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    assert (await client.get("/api/v1/me", headers=_bearer(laptop))).status_code == 401
    assert (await client.get("/api/v1/me", headers=_bearer(phone))).status_code == 200
    assert (await _refresh_with(client, phone_cookie)).status_code == 200


async def test_live_stream_cannot_open_after_logout(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    login = await _login(client, user)
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    stream = await client.get("/api/v1/me/events", headers=_bearer(login))
    assert stream.status_code == 401
    assert stream.json()["code"] == "auth.invalid_token"


async def test_refreshed_access_token_belongs_to_the_same_session(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    await _login(client, user)
    refreshed = await client.post("/api/v1/auth/refresh")
    assert refreshed.status_code == 200
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    assert (await client.get("/api/v1/me", headers=_bearer(refreshed))).status_code == 401


async def test_same_token_twice_within_grace_keeps_the_session_alive(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    await _login(client, user)
    first = client.cookies[REFRESH_COOKIE]
    tab_a = await _refresh_with(client, first)
    tab_a_cookie = client.cookies[REFRESH_COOKIE]
    tab_b = await _refresh_with(client, first)
    tab_b_cookie = client.cookies[REFRESH_COOKIE]
    assert tab_a.status_code == tab_b.status_code == 200
    assert tab_a_cookie != tab_b_cookie
    for tab in (tab_a, tab_b):
        assert (await client.get("/api/v1/me", headers=_bearer(tab))).status_code == 200
    # Both tabs keep refreshing on their own.
    assert (await _refresh_with(client, tab_a_cookie)).status_code == 200
    assert (await _refresh_with(client, tab_b_cookie)).status_code == 200


async def _session_revoked(db: Database, user: UserInfo) -> bool:
    async with db.reader() as session:
        revoked = (
            await session.scalars(
                select(AuthSession.revoked_at).where(
                    AuthSession.user_id == user.id, AuthSession.id != user.session_id
                )
            )
        ).all()
    assert len(revoked) == 1
    return revoked[0] is not None


async def test_replay_after_the_grace_window_revokes_the_session(
    client: httpx.AsyncClient, user: UserInfo, db: Database, settings: Settings
) -> None:
    await _login(client, user)
    first = client.cookies[REFRESH_COOKIE]
    rotated = await _refresh_with(client, first)
    successor = client.cookies[REFRESH_COOKIE]
    async with db.writer() as session, session.begin():
        grace = timedelta(seconds=settings.refresh_reuse_grace_seconds)
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.used_at.is_not(None))
            .values(used_at=utcnow() - grace - timedelta(seconds=1))
        )
    replay = await _refresh_with(client, first)
    assert replay.status_code == 401
    assert await _session_revoked(db, user)
    assert (await _refresh_with(client, successor)).status_code == 401
    assert (await client.get("/api/v1/me", headers=_bearer(rotated))).status_code == 401


async def test_replay_of_an_older_token_within_grace_revokes_the_session(
    client: httpx.AsyncClient, user: UserInfo, db: Database
) -> None:
    await _login(client, user)
    first = client.cookies[REFRESH_COOKIE]
    await _refresh_with(client, first)
    second = client.cookies[REFRESH_COOKIE]
    latest = await _refresh_with(client, second)  # the successor of `first` was used
    assert latest.status_code == 200
    replay = await _refresh_with(client, first)
    assert replay.status_code == 401
    assert replay.json()["code"] == "auth.invalid_token"
    assert await _session_revoked(db, user)
    assert (await client.get("/api/v1/me", headers=_bearer(latest))).status_code == 401


async def test_grace_ends_once_a_successor_was_used(
    client: httpx.AsyncClient, user: UserInfo, db: Database
) -> None:
    await _login(client, user)
    first = client.cookies[REFRESH_COOKIE]
    assert (await _refresh_with(client, first)).status_code == 200
    tab_b = await _refresh_with(client, first)
    assert tab_b.status_code == 200
    assert (await _refresh_with(client, client.cookies[REFRESH_COOKIE])).status_code == 200
    assert (await _refresh_with(client, first)).status_code == 401
    assert await _session_revoked(db, user)
