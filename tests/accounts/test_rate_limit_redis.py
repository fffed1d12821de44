"""With Redis configured, API processes share the sign-in rate limits."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.main import create_app

REDIS_URL = os.environ.get("CAUSERIE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def _redis_reason() -> str | None:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except Exception as error:
        return f"Redis at {REDIS_URL} is unreachable: {error}"
    finally:
        await redis.aclose()
    return None


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    reason = await _redis_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (required when CI=true)")
        pytest.skip(reason)
    prefix = f"causerie-test-{uuid.uuid4().hex}"
    yield prefix
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


async def _login(client: httpx.AsyncClient, email: str) -> int:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": "x"})
    return response.status_code


async def test_two_api_processes_share_the_per_ip_limit(
    db: Database, settings: Settings, redis_prefix: str
) -> None:
    shared = settings.model_copy(
        update={
            "redis_url": REDIS_URL,
            "redis_key_prefix": redis_prefix,
            "login_attempts_per_ip": 3,
        }
    )
    first, second = create_app(shared), create_app(shared)
    try:
        async with (
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=first), base_url="http://testserver.local"
            ) as on_first,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=second), base_url="http://testserver.local"
            ) as on_second,
        ):
            assert await _login(on_first, "a@example.com") == 401
            assert await _login(on_second, "b@example.com") == 401
            assert await _login(on_first, "c@example.com") == 401
            # The second process saw one attempt only; the shared count says three.
            assert await _login(on_second, "d@example.com") == 429
    finally:
        for app in (first, second):
            await app.state.login_limiters.aclose()
            await app.state.database.dispose()


async def test_failed_attempts_per_account_are_shared(
    db: Database, settings: Settings, redis_prefix: str
) -> None:
    shared = settings.model_copy(
        update={
            "redis_url": REDIS_URL,
            "redis_key_prefix": redis_prefix,
            "login_attempts_per_account": 2,
        }
    )
    first, second = create_app(shared), create_app(shared)
    try:
        async with (
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=first), base_url="http://testserver.local"
            ) as on_first,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=second), base_url="http://testserver.local"
            ) as on_second,
        ):
            assert await _login(on_first, "target@example.com") == 401
            assert await _login(on_second, "target@example.com") == 401
            assert await _login(on_first, "target@example.com") == 429
            assert await _login(on_second, "target@example.com") == 429
    finally:
        for app in (first, second):
            await app.state.login_limiters.aclose()
            await app.state.database.dispose()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_unreachable_redis_falls_back_to_the_process_limit(
    db: Database, settings: Settings
) -> None:
    broken = settings.model_copy(
        update={
            "redis_url": f"redis://127.0.0.1:{_closed_port()}/0",
            "login_attempts_per_ip": 2,
        }
    )
    app = create_app(broken)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
        ) as client:
            codes = [await _login(client, f"p{index}@example.com") for index in range(3)]
    finally:
        await app.state.login_limiters.aclose()
        await app.state.database.dispose()
    assert codes == [401, 401, 429]
