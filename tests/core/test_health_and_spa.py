"""Health check, OpenAPI location, and the SPA fallback that never swallows /api."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from causerie import __version__
from causerie.core.settings import Settings
from causerie.main import create_app


async def test_health_reports_database_and_version(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}


async def test_health_reports_an_unreachable_database(settings: Settings, tmp_path: Path) -> None:
    broken = settings.model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{tmp_path}/missing-dir/x/db.sqlite"}
    )
    app = create_app(broken)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    ) as client:
        response = await client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


async def test_openapi_and_docs_are_served(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/v1/openapi.json")).json()
    assert "/api/v1/auth/login" in spec["paths"]
    assert "/api/v1/organizations/{organization_id}/members" in spec["paths"]
    assert (await client.get("/api/docs")).status_code == 200


@pytest.fixture
async def spa_client(settings: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Causerie</title>")
    (dist / "assets" / "app-123.js").write_text("console.log('hi')")
    app = create_app(settings.model_copy(update={"spa_dir": dist}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    ) as client:
        yield client
    await app.state.database.dispose()


async def test_spa_serves_index_for_client_routes(spa_client: httpx.AsyncClient) -> None:
    for path in ["/", "/login", "/organizations/123/members"]:
        response = await spa_client.get(path)
        assert response.status_code == 200, path
        assert "<title>Causerie</title>" in response.text
        assert response.headers["content-type"].startswith("text/html")


async def test_spa_serves_assets_with_long_cache(spa_client: httpx.AsyncClient) -> None:
    response = await spa_client.get("/assets/app-123.js")
    assert response.text == "console.log('hi')"
    assert "immutable" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_spa_fallback_never_swallows_api_routes(spa_client: httpx.AsyncClient) -> None:
    for path in ["/api", "/api/v1/unknown", "/api/v2/anything"]:
        response = await spa_client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/%00", "/" + "a" * 5000, "/assets/%2e%2e/%2e%2e/etc/passwd"])
async def test_spa_odd_paths_fall_back_to_index(spa_client: httpx.AsyncClient, path: str) -> None:
    response = await spa_client.get(path)
    assert response.status_code == 200
    assert "<title>Causerie</title>" in response.text


async def test_health_answers_head(client: httpx.AsyncClient) -> None:
    assert (await client.head("/api/v1/health")).status_code == 200


async def test_spa_does_not_serve_files_outside_dist(
    spa_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("top secret")
    response = await spa_client.get("/..%2Fsecret.txt")
    assert "top secret" not in response.text
