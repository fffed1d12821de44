"""Every error is problem+json; no input gives a 500 with a traceback."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from causerie.core.database import Database
from causerie.core.settings import Settings
from tests.spaces.conftest import build_brand
from tests.support.factories import auth_headers, create_user

PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def _assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert str(body["type"]).endswith(code)
    return body


async def test_unknown_api_route_is_a_problem_404(client: httpx.AsyncClient) -> None:
    _assert_problem(await client.get("/api/v1/does-not-exist"), 404, "not_found")
    _assert_problem(await client.post("/api/v1/does-not-exist", json={}), 404, "not_found")


async def test_wrong_method_is_a_problem_405(client: httpx.AsyncClient) -> None:
    _assert_problem(await client.delete("/api/v1/health"), 405, "method_not_allowed")


async def test_malformed_json_is_a_problem_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login",
        content=b'{"email": "a@example.com", "password": ',
        headers={"content-type": "application/json"},
    )
    body = _assert_problem(response, 422, "malformed_json")
    assert isinstance(body["errors"], list) and body["errors"]


async def test_body_that_is_not_utf8_is_a_problem_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login", content=b"\xff\xfe\x00{", headers={"content-type": "application/json"}
    )
    _assert_problem(response, 422, "malformed_json")


async def test_invalid_fields_are_listed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": "not-an-email", "unexpected": 1}
    )
    body = _assert_problem(response, 422, "validation_error")
    locations = {tuple(error["loc"]) for error in body["errors"]}  # type: ignore[attr-defined]
    assert ("body", "email") in locations
    assert ("body", "password") in locations
    assert ("body", "unexpected") in locations


async def test_oversized_body_is_a_problem_413(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    big = b'{"email": "' + b"a" * (settings.max_body_bytes + 10) + b'"}'
    response = await client.post(
        "/api/v1/auth/login", content=big, headers={"content-type": "application/json"}
    )
    _assert_problem(response, 413, "payload_too_large")


async def test_oversized_streamed_body_without_length_is_a_problem_413(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"a" * 65536

    response = await client.post(
        "/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    _assert_problem(response, 413, "payload_too_large")


async def test_bad_path_parameter_is_a_problem_422(
    client: httpx.AsyncClient, settings: Settings, db: object
) -> None:
    from causerie.core.database import Database

    assert isinstance(db, Database)
    user = await create_user(db)
    response = await client.get(
        "/api/v1/organizations/not-a-uuid", headers=auth_headers(settings, user)
    )
    _assert_problem(response, 422, "validation_error")


async def test_unexpected_exception_is_a_500_problem_without_traceback(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    @app.get("/api/v1/_boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    response = await client.get("/api/v1/_boom")
    body = _assert_problem(response, 500, "internal_error")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert body["title"] == "Internal Server Error"


async def test_405_lists_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    """Starlette names only the first matching route's methods; the path may have several."""
    any_id = "00000000-0000-0000-0000-000000000001"
    for method, url, expected in [
        ("DELETE", f"/api/v1/spaces/{any_id}/prompts", {"GET", "POST"}),
        ("POST", f"/api/v1/prompts/{any_id}", {"GET", "PUT", "DELETE"}),
        ("GET", f"/api/v1/prompts/{any_id}/image", {"PUT", "DELETE"}),
        ("DELETE", "/api/v1/health", {"GET"}),
    ]:
        response = await client.request(method, url)
        _assert_problem(response, 405, "method_not_allowed")
        allowed = {part.strip() for part in response.headers["allow"].split(",")}
        assert allowed - {"HEAD"} == expected, (method, url, response.headers["allow"])


# A body whose part never ends: the closing boundary and the file's end are cut off.
_TRUNCATED = (
    b'--cut\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
    b"Content-Type: image/png\r\n\r\n\x89PNG\r\n"
)
_BROKEN_BODIES = [
    pytest.param("multipart/form-data", b"--x\r\n\r\nno boundary declared", id="no-boundary"),
    pytest.param(
        "multipart/form-data; boundary=declared",
        b'--other\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nx\r\n',
        id="wrong-boundary",
    ),
    pytest.param(
        "multipart/form-data; boundary=b",
        b"--b\r\nthis is no header line\r\n\r\nx\r\n--b--\r\n",
        id="broken-part-header",
    ),
]


@pytest.fixture
async def uploads(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The three multipart endpoints (method, url) on a real space and prompt, and an
    owner's headers."""
    brand = await build_brand(db)
    owner = brand.headers(settings, "owner")
    prompt = await client.post(
        f"/api/v1/spaces/{brand.space_id}/prompts",
        json={"kind": "discussion", "title": "Hello"},
        headers=owner,
    )
    assert prompt.status_code == 201, prompt.text
    endpoints = [
        ("PUT", f"/api/v1/spaces/{brand.space_id}/logo"),
        ("PUT", f"/api/v1/prompts/{prompt.json()['id']}/image"),
        ("POST", f"/api/v1/spaces/{brand.space_id}/invitations/import"),
    ]
    return endpoints, owner


@pytest.mark.parametrize(("content_type", "body"), _BROKEN_BODIES)
async def test_malformed_multipart_bodies_are_a_problem_422(
    client: httpx.AsyncClient,
    uploads: tuple[list[tuple[str, str]], dict[str, str]],
    content_type: str,
    body: bytes,
) -> None:
    endpoints, owner = uploads
    for method, url in endpoints:
        response = await client.request(
            method, url, content=body, headers={**owner, "content-type": content_type}
        )
        problem = _assert_problem(response, 422, "request.malformed_body")
        assert problem["title"] == "Malformed request body", url


async def test_a_truncated_multipart_body_is_a_problem_422_naming_the_missing_file(
    client: httpx.AsyncClient, uploads: tuple[list[tuple[str, str]], dict[str, str]]
) -> None:
    endpoints, owner = uploads
    for method, url in endpoints:
        response = await client.request(
            method,
            url,
            content=_TRUNCATED,
            headers={**owner, "content-type": "multipart/form-data; boundary=cut"},
        )
        problem = _assert_problem(response, 422, "validation_error")
        assert problem["errors"] == [
            {"loc": ["body", "file"], "msg": "Field required", "type": "missing"}
        ], url
