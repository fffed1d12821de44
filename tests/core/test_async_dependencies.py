"""The dependencies every request resolves (settings, database, session, caller, page
parameters) are coroutines: none of them hops to the thread pool."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.dependencies import utils as dependency_utils

from causerie.core.database import Database
from causerie.core.settings import Settings
from tests.support.factories import auth_headers, create_user


async def test_requests_resolve_their_dependencies_without_the_thread_pool(
    client: httpx.AsyncClient, settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = auth_headers(settings, await create_user(db, is_platform_admin=True))

    async def refuse(function: Any, *_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError(f"{function.__name__} ran in the thread pool")

    monkeypatch.setattr(dependency_utils, "run_in_threadpool", refuse)
    listed = await client.get("/api/v1/me/spaces", params={"limit": 5}, headers=headers)
    assert listed.status_code == 200, listed.text
    created = await client.post("/api/v1/organizations", json={"name": "M"}, headers=headers)
    assert created.status_code == 201, created.text
    assert (await client.get("/api/v1/health")).status_code == 200
