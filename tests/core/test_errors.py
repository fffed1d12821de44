"""Every error is problem+json; no input gives a 500 with a traceback."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from causerie.core.settings import Settings
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
