"""Sign-in, token rotation, replay detection and sign-out."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from datetime import timedelta

import httpx
import pytest
from jose import jwt
from sqlalchemy import func, select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.core.tokens import ALGORITHM
from causerie.models import RefreshToken
from tests.support.factories import PASSWORD, UserInfo, auth_headers, create_user

REFRESH_COOKIE = "causerie_refresh"


async def _login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


@pytest.fixture
async def user(db: Database) -> UserInfo:
    return await create_user(db, email="camille@example.com", display_name="Camille")


async def test_login_with_right_password_returns_access_token_and_httponly_cookie(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    response = await _login(client, "Camille@Example.com")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{REFRESH_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()
    assert "Path=/api/v1/auth" in cookie
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "camille@example.com"
    assert me.json()["display_name"] == "Camille"


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    wrong_password = await _login(client, user.email, "not the password")
    unknown_email = await _login(client, "nobody@example.com", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.headers["content-type"] == "application/problem+json"
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["code"] == "auth.invalid_credentials"
    assert "set-cookie" not in wrong_password.headers


async def test_unknown_email_still_spends_a_password_verification(
    client: httpx.AsyncClient, user: UserInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from causerie.core import passwords

    verified: list[str] = []
    real = passwords._hasher

    class SpyHasher:
        def verify(self, password_hash: str, password: str) -> bool:
            verified.append(password_hash)
            return real.verify(password_hash, password)

    monkeypatch.setattr(passwords, "_hasher", SpyHasher())
    assert (await _login(client, "nobody@example.com", "guess")).status_code == 401
    assert verified == [passwords._DUMMY_HASH], "equal work whether or not the account exists"


async def test_successful_logins_do_not_use_up_the_account_limit(
    client: httpx.AsyncClient, user: UserInfo, settings: Settings
) -> None:
    for _ in range(settings.login_attempts_per_account + 2):
        assert (await _login(client, user.email)).status_code == 200


async def test_account_without_password_cannot_sign_in(
    client: httpx.AsyncClient, db: Database
) -> None:
    invited = await create_user(db, with_password=False)
    response = await _login(client, invited.email, "")
    assert response.status_code == 422  # empty password is malformed input
    response = await _login(client, invited.email, "anything")
    assert response.status_code == 401


async def test_login_is_rate_limited_per_account_before_hashing(
    client: httpx.AsyncClient, user: UserInfo, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(settings.login_attempts_per_account):
        assert (await _login(client, user.email, "wrong")).status_code == 401

    calls: list[object] = []

    async def spy(*args: object) -> bool:
        calls.append(args)
        return True

    monkeypatch.setattr("causerie.accounts.service.verify_password", spy)
    limited = await _login(client, user.email, PASSWORD)
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert limited.json()["code"] == "auth.rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= settings.login_window_seconds
    assert calls == [], "the limiter must answer before any password hashing"


async def test_login_is_rate_limited_per_ip_across_accounts(
    db: Database, settings: Settings
) -> None:
    from causerie.main import create_app

    strict = settings.model_copy(update={"login_attempts_per_ip": 3})
    app = create_app(strict)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    ) as client:
        for index in range(3):
            response = await _login(client, f"someone{index}@example.com", "x")
            assert response.status_code == 401
        limited = await _login(client, "another@example.com", "x")
    assert limited.status_code == 429
    await app.state.database.dispose()


async def test_refresh_rotates_the_token(
    client: httpx.AsyncClient, user: UserInfo, db: Database
) -> None:
    login = await _login(client, user.email)
    first_cookie = login.cookies[REFRESH_COOKIE]
    refreshed = await client.post("/api/v1/auth/refresh")
    assert refreshed.status_code == 200, refreshed.text
    second_cookie = refreshed.cookies[REFRESH_COOKIE]
    assert second_cookie != first_cookie
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    )
    assert me.status_code == 200
    async with db.reader() as session:
        stored = (await session.scalars(select(RefreshToken.token_hash))).all()
    assert first_cookie not in stored and second_cookie not in stored, "stored hashed only"


async def _age_used_refresh_tokens(db: Database, settings: Settings) -> None:
    """Move every rotation out of the grace window, as if the replay came later."""
    async with db.writer() as session, session.begin():
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.used_at.is_not(None))
            .values(used_at=utcnow() - timedelta(seconds=settings.refresh_reuse_grace_seconds + 1))
        )


async def test_replayed_refresh_token_revokes_the_whole_family(
    client: httpx.AsyncClient, user: UserInfo, db: Database, settings: Settings
) -> None:
    await _login(client, user.email)
    stolen = client.cookies[REFRESH_COOKIE]
    rotated = await client.post("/api/v1/auth/refresh")
    assert rotated.status_code == 200
    legit_successor = client.cookies[REFRESH_COOKIE]
    await _age_used_refresh_tokens(db, settings)

    client.cookies.set(REFRESH_COOKIE, stolen, domain="testserver.local", path="/api/v1/auth")
    replay = await client.post("/api/v1/auth/refresh")
    assert replay.status_code == 401
    assert replay.headers["content-type"] == "application/problem+json"

    client.cookies.set(
        REFRESH_COOKIE, legit_successor, domain="testserver.local", path="/api/v1/auth"
    )
    after = await client.post("/api/v1/auth/refresh")
    assert after.status_code == 401, "the successor must be revoked along with the family"
    async with db.reader() as session:
        live = await session.scalar(
            select(func.count()).select_from(RefreshToken).where(RefreshToken.revoked_at.is_(None))
        )
    assert live == 0


async def test_concurrent_refreshes_of_one_token_keep_the_session_within_the_grace_window(
    client: httpx.AsyncClient, user: UserInfo, db: Database
) -> None:
    await _login(client, user.email)
    token = client.cookies[REFRESH_COOKIE]
    client.cookies.clear()
    cookie = {"Cookie": f"{REFRESH_COOKIE}={token}"}
    results = await asyncio.gather(
        *(client.post("/api/v1/auth/refresh", headers=cookie) for _ in range(3))
    )
    assert [r.status_code for r in results] == [200, 200, 200]
    for result in results:
        headers = {"Authorization": f"Bearer {result.json()['access_token']}"}
        assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    async with db.reader() as session:
        sessions = (await session.scalars(select(RefreshToken.session_id).distinct())).all()
        revoked = await session.scalar(
            select(func.count())
            .select_from(RefreshToken)
            .where(RefreshToken.revoked_at.is_not(None))
        )
    assert len(sessions) == 1, "every tab stays in the one session"
    assert revoked == 0


async def test_concurrent_refreshes_without_grace_let_exactly_one_through(
    db: Database, settings: Settings, user: UserInfo
) -> None:
    from causerie.main import create_app

    app = create_app(settings.model_copy(update={"refresh_reuse_grace_seconds": 0}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    ) as client:
        await _login(client, user.email)
        token = client.cookies[REFRESH_COOKIE]
        client.cookies.clear()
        cookie = {"Cookie": f"{REFRESH_COOKIE}={token}"}
        results = await asyncio.gather(
            *(client.post("/api/v1/auth/refresh", headers=cookie) for _ in range(3))
        )
    assert sorted(r.status_code for r in results) == [200, 401, 401]
    await app.state.database.dispose()


async def test_expired_refresh_token_is_refused(
    client: httpx.AsyncClient, user: UserInfo, db: Database
) -> None:
    await _login(client, user.email)
    async with db.writer() as session, session.begin():
        await session.execute(
            update(RefreshToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    response = await client.post("/api/v1/auth/refresh")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_token"


async def test_refresh_token_of_a_deleted_user_is_refused(
    client: httpx.AsyncClient, user: UserInfo, db: Database
) -> None:
    from causerie.models import User

    await _login(client, user.email)
    async with db.writer() as session, session.begin():
        (await session.get_one(User, user.id)).deleted_at = utcnow()
    assert (await client.post("/api/v1/auth/refresh")).status_code == 401


async def test_refresh_without_cookie_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/refresh")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_token"


async def test_logout_revokes_the_session_and_clears_the_cookie(
    client: httpx.AsyncClient, user: UserInfo
) -> None:
    login = await _login(client, user.email)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    cookie = client.cookies[REFRESH_COOKIE]
    response = await client.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert (
        f'{REFRESH_COOKIE}=""' in response.headers["set-cookie"]
        or "Max-Age=0" in (response.headers["set-cookie"])
    )
    client.cookies.set(REFRESH_COOKIE, cookie, domain="testserver.local", path="/api/v1/auth")
    assert (await client.post("/api/v1/auth/refresh")).status_code == 401
    reused = await client.get("/api/v1/me", headers=headers)
    assert reused.status_code == 401, "the access token dies with its session"
    assert reused.json()["code"] == "auth.invalid_token"


async def test_me_requires_authentication(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "auth.not_authenticated"


def _claims(settings: Settings, user: UserInfo, **overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": str(user.id),
        "sid": str(user.session_id),
        "iat": now,
        "exp": now + 300,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": "abc",
        "typ": "access",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "case",
    [
        "expired",
        "wrong_key",
        "tampered",
        "alg_none",
        "wrong_audience",
        "wrong_issuer",
        "no_jti",
        "no_sid",
        "sid_of_another_person",
        "unknown_sid",
        "garbage",
    ],
)
async def test_bad_access_tokens_are_refused(
    client: httpx.AsyncClient, user: UserInfo, settings: Settings, db: Database, case: str
) -> None:
    key = settings.secret_key
    good = jwt.encode(_claims(settings, user), key, ALGORITHM)
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"})
    assert me.status_code == 200, "the well-formed token is accepted"
    if case == "expired":
        past = int(time.time()) - int(timedelta(hours=1).total_seconds())
        token = jwt.encode(_claims(settings, user, iat=past - 60, exp=past), key, ALGORITHM)
    elif case == "wrong_key":
        token = jwt.encode(_claims(settings, user), "another-secret-" + "x" * 40, ALGORITHM)
    elif case == "tampered":
        good = jwt.encode(_claims(settings, user), key, ALGORITHM)
        header, _payload, signature = good.split(".")
        token = ".".join(
            [header, _b64(_claims(settings, user, sub=str(user.id)[:-1] + "0")), signature]
        )
    elif case == "alg_none":
        token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(settings, user))}."
    elif case == "hs512_same_key":
        token = jwt.encode(_claims(settings, user), key, "HS512")
    elif case == "not_an_access_token":
        token = jwt.encode(_claims(settings, user, typ="refresh"), key, ALGORITHM)
    elif case == "wrong_audience":
        token = jwt.encode(_claims(settings, user, aud="someone-else"), key, ALGORITHM)
    elif case == "wrong_issuer":
        token = jwt.encode(_claims(settings, user, iss="someone-else"), key, ALGORITHM)
    elif case == "no_jti":
        token = jwt.encode(_claims(settings, user, jti=None), key, ALGORITHM)
    elif case == "no_sid":
        token = jwt.encode(_claims(settings, user, sid=None), key, ALGORITHM)
    elif case == "sid_of_another_person":
        other = await create_user(db)
        token = jwt.encode(_claims(settings, user, sid=str(other.session_id)), key, ALGORITHM)
    elif case == "unknown_sid":
        token = jwt.encode(_claims(settings, user, sid=str(uuid.uuid4())), key, ALGORITHM)
    else:
        token = "not-a-token"
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, case
    assert response.json()["code"] == "auth.invalid_token"


async def test_valid_token_of_deleted_user_is_refused(
    client: httpx.AsyncClient, user: UserInfo, settings: Settings, db: Database
) -> None:
    from causerie.core.clock import utcnow
    from causerie.models import User

    headers = auth_headers(settings, user)
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    async with db.writer() as session, session.begin():
        (await session.get_one(User, user.id)).deleted_at = utcnow()
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
