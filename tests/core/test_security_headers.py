"""Content-Security-Policy on every kind of response, and the API docs served without a CDN."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from causerie.core.settings import Settings
from causerie.main import create_app

REPO = Path(__file__).resolve().parents[2]
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "*"}


def directives(response: httpx.Response) -> dict[str, set[str]]:
    """The response's CSP as {directive: sources}; each directive appears once."""
    policy = response.headers.get("content-security-policy")
    assert policy, f"no Content-Security-Policy on {response.request.url}"
    parsed: dict[str, set[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} appears twice in {policy!r}"
        parsed[name] = set(sources)
    return parsed


def assert_scripts_are_strict(csp: dict[str, set[str]]) -> None:
    assert csp["script-src"] == {"'self'"}
    assert csp.get("object-src", csp["default-src"]) == {"'none'"}
    assert csp["base-uri"] == {"'none'"}
    assert csp["frame-ancestors"] == {"'none'"}
    assert csp["form-action"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}
    for sources in csp.values():
        assert not sources & UNSAFE, csp


class _Markup(HTMLParser):
    """What a page would make the browser run or load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "style":
            self.inline.append("<style>")
        if tag == "script" and not values.get("src"):
            self.inline.append("<script> without src")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"{tag} {name}=")
            if name in {"src", "href"} and value:
                self.urls.append(value)


def markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    return parser


@pytest.fixture
async def spa_client(settings: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Causerie</title>")
    (dist / "assets" / "app-123.js").write_text("console.log('hi')")
    (dist / "favicon.ico").write_bytes(b"\x00")
    app = create_app(settings.model_copy(update={"spa_dir": dist}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    ) as client:
        yield client
    await app.state.database.dispose()


@pytest.mark.parametrize(
    "path", ["/", "/login", "/studio/organizations/123/spaces/456", "/assets/app-123.js"]
)
async def test_spa_pages_and_assets_carry_a_strict_policy(
    spa_client: httpx.AsyncClient, path: str
) -> None:
    response = await spa_client.get(path)
    assert response.status_code == 200
    csp = directives(response)
    assert_scripts_are_strict(csp)
    assert csp["default-src"] == {"'self'"}
    assert csp["object-src"] == {"'none'"}
    assert csp["connect-src"] == {"'self'"}
    assert csp["img-src"] == {"'self'", "data:", "blob:"}


async def test_spa_root_files_carry_the_policy_too(spa_client: httpx.AsyncClient) -> None:
    response = await spa_client.get("/favicon.ico")
    assert response.status_code == 200
    assert "no-cache" in response.headers["cache-control"]
    assert_scripts_are_strict(directives(response))


def test_the_spa_html_has_nothing_inline_the_policy_would_block() -> None:
    pages = [REPO / "frontend" / "index.html"]
    built = REPO / "frontend" / "dist" / "index.html"
    if built.is_file():
        pages.append(built)
    for page in pages:
        found = markup(page.read_text())
        assert found.inline == [], f"{page}: {found.inline}"
        external = [url for url in found.urls if re.match(r"^(https?:)?//", url)]
        assert external == [], f"{page} loads from elsewhere: {external}"


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/no-such-route", "/api/nothing"])
async def test_api_responses_carry_a_policy_that_loads_nothing(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.headers["content-type"] in {"application/json", "application/problem+json"}
    assert directives(response) == {"default-src": {"'none'"}, "frame-ancestors": {"'none'"}}


async def test_stored_files_keep_their_own_policy(app: FastAPI, client: httpx.AsyncClient) -> None:
    name = await app.state.storage.put(b"\x89PNG fake", suffix=".png")
    response = await client.get(f"/api/v1/files/{name}")
    assert response.status_code == 200
    assert response.headers.get_list("content-security-policy") == ["default-src 'none'"]


async def test_docs_page_loads_only_its_own_assets_under_a_strict_policy(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "http" not in response.text
    assert "cdn" not in response.text.lower()
    found = markup(response.text)
    assert found.inline == []
    csp = directives(response)
    assert_scripts_are_strict(csp)
    assert csp["default-src"] == {"'none'"}
    assert csp["connect-src"] == {"'self'"}

    expected = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
    assert sorted(Path(url).suffix for url in found.urls) == [".css", ".js", ".js", ".png"]
    for url in found.urls:
        assert url.startswith("/api/docs/assets/"), url
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].startswith(expected[Path(url).suffix]), url
        assert asset.content


async def test_docs_page_points_at_the_openapi_document(client: httpx.AsyncClient) -> None:
    page = (await client.get("/api/docs")).text
    match = re.search(r'data-openapi-url="([^"]+)"', page)
    assert match is not None
    spec = (await client.get(match.group(1))).json()
    assert "/api/v1/auth/login" in spec["paths"]
    assert not any(path.startswith("/api/docs") for path in spec["paths"])


@pytest.mark.parametrize(
    "name", ["redoc.standalone.js", "index.html", "..%2F..%2Fdocs.py", "swagger-init.js.map"]
)
async def test_docs_serve_only_the_assets_the_page_uses(
    client: httpx.AsyncClient, name: str
) -> None:
    response = await client.get(f"/api/docs/assets/{name}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
