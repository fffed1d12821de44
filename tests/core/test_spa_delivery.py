"""How the built SPA travels: the precompressed copy the browser accepts (Brotli before gzip),
caching by kind of file, and nothing served that is not part of the app (source maps,
chunks of another build, the build manifest)."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from causerie.core.settings import Settings
from causerie.main import create_app
from causerie.spa import choose_encoding

INDEX = b"<!doctype html><title>Causerie</title>" + b"<!-- padding -->" * 40
SCRIPT = b"console.log('the participant screen');" * 20
STYLE = b"body { margin: 0 }"
IMMUTABLE = "public, max-age=31536000, immutable"
CHROME = "gzip, deflate, br, zstd"


def _with_copies(path: Path, data: bytes) -> None:
    """A file as the build leaves it: itself, a gzip copy and a Brotli copy (marked, since
    the standard library cannot make Brotli: the server sends the copy as it is)."""
    path.write_bytes(data)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data))
    path.with_name(path.name + ".br").write_bytes(b"brotli:" + path.name.encode())


@pytest.fixture
async def spa(settings: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / ".vite").mkdir()
    _with_copies(dist / "index.html", INDEX)
    _with_copies(dist / "assets" / "vendor-3f2a.js", SCRIPT)
    (dist / "assets" / "vendor-3f2a.js.map").write_text('{"version": 3}')
    (dist / "assets" / "index-9c1d.css").write_bytes(STYLE)  # too small to be compressed
    (dist / ".vite" / "manifest.json").write_text("{}")
    (dist / "favicon.ico").write_bytes(b"\x00\x01")
    app = create_app(settings.model_copy(update={"spa_dir": dist}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    ) as client:
        yield client
    await app.state.database.dispose()


async def _raw(client: httpx.AsyncClient, path: str, accept: str | None) -> httpx.Response:
    """The response with its body as sent (httpx would otherwise decode it)."""
    request = client.build_request("GET", path)
    if accept is None:
        del request.headers["Accept-Encoding"]  # httpx sends one of its own
    else:
        request.headers["Accept-Encoding"] = accept
    response = await client.send(request, stream=True)
    response._content = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response


async def test_brotli_is_sent_when_the_browser_accepts_it_and_gzip(
    spa: httpx.AsyncClient,
) -> None:
    response = await _raw(spa, "/assets/vendor-3f2a.js", CHROME)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.content == b"brotli:vendor-3f2a.js"
    assert response.headers["content-length"] == str(len(b"brotli:vendor-3f2a.js"))
    assert response.headers["content-type"].split(";")[0] in {
        "text/javascript",
        "application/javascript",
    }
    assert response.headers["vary"] == "Accept-Encoding"


async def test_gzip_is_sent_to_a_browser_without_brotli(spa: httpx.AsyncClient) -> None:
    response = await _raw(spa, "/assets/vendor-3f2a.js", "gzip, deflate")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(response.content) == SCRIPT
    assert response.headers["vary"] == "Accept-Encoding"
    assert "javascript" in response.headers["content-type"]


@pytest.mark.parametrize("accept", [None, "", "identity", "deflate", "br;q=0, gzip;q=0"])
async def test_the_file_itself_is_sent_when_no_copy_is_accepted(
    spa: httpx.AsyncClient, accept: str | None
) -> None:
    response = await _raw(spa, "/assets/vendor-3f2a.js", accept)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.content == SCRIPT
    # Caches must still keep the encodings apart.
    assert response.headers["vary"] == "Accept-Encoding"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("br", "br"),
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("GZIP;Q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.4, gzip;q=0.8", "gzip"),
        ("br;q=0.8, gzip;q=0.8", "br"),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        ("gzip;q=0, *", "br"),
        ("identity", None),
        ("*;q=0", None),
        ("br;q=abc, gzip;q=0", None),
        ("br;q=-1, gzip;q=2", "gzip"),
        (" , ;q=1, br ; q = 1 ", "br"),
        ("", None),
        (None, None),
    ],
)
def test_the_encoding_follows_the_browsers_weights_then_brotli_first(
    accept: str | None, expected: str | None
) -> None:
    assert choose_encoding(accept, ["br", "gzip"]) == expected


def test_only_an_encoding_that_has_a_copy_is_chosen() -> None:
    assert choose_encoding("br, gzip", ["gzip"]) == "gzip"
    assert choose_encoding("br", ["gzip"]) is None
    assert choose_encoding("br, gzip", []) is None


async def test_hashed_assets_are_cached_for_a_year(spa: httpx.AsyncClient) -> None:
    for path in ["/assets/vendor-3f2a.js", "/assets/index-9c1d.css"]:
        response = await _raw(spa, path, CHROME)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == IMMUTABLE, path


async def test_a_file_without_copies_is_sent_as_it_is(spa: httpx.AsyncClient) -> None:
    response = await _raw(spa, "/assets/index-9c1d.css", CHROME)
    assert response.content == STYLE
    assert "content-encoding" not in response.headers
    assert "vary" not in response.headers
    assert response.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/", "/index.html", "/login", "/me/spaces/0197-abc/prompts/x"])
async def test_every_screen_gets_index_html_compressed_and_revalidated(
    spa: httpx.AsyncClient, path: str
) -> None:
    response = await _raw(spa, path, CHROME)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.content == b"brotli:index.html"
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["vary"] == "Accept-Encoding"
    assert "script-src 'self'" in response.headers["content-security-policy"]

    plain = await spa.get(path, headers={"Accept-Encoding": "gzip"})
    assert plain.content == INDEX  # httpx decoded the gzip copy


async def test_root_files_are_revalidated(spa: httpx.AsyncClient) -> None:
    response = await spa.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


async def test_head_names_the_encoding_without_a_body(spa: httpx.AsyncClient) -> None:
    response = await spa.head("/assets/vendor-3f2a.js", headers={"Accept-Encoding": CHROME})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/assets/vendor-3f2a.js.map",  # exists: source maps are never public
        "/assets/index-9c1d.css.map",
        "/login.map",
        "/assets/vendor-3f2a.js.br",  # the copies go out only as an encoding of their file
        "/assets/vendor-3f2a.js.gz",
        "/index.html.br",
        "/.vite/manifest.json",
        "/assets/vendor-0000.js",  # a chunk of another build: a 404, never index.html
        "/assets/",
        "/assets/nested/missing.css",
    ],
)
async def test_what_is_not_part_of_the_app_is_a_404(spa: httpx.AsyncClient, path: str) -> None:
    response = await spa.get(path, headers={"Accept-Encoding": CHROME})
    assert response.status_code == 404, path
    assert response.headers["content-type"] == "application/problem+json"
    assert b"sourceMappingURL" not in response.content
    assert b"<title>Causerie</title>" not in response.content
