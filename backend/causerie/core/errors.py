"""Errors as RFC 9457 ``application/problem+json``, rendered in one place."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi import routing as fastapi_routing
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("causerie.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://causerie.example.com/problems/"


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


def _optional_array(schema: dict[str, Any]) -> None:
    """``errors`` is absent rather than null: document it as an optional array."""
    schema.pop("default", None)
    schema.update(next(option for option in schema.pop("anyOf") if option.get("type") == "array"))


class Problem(BaseModel):
    """An error response (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ValidationIssue] | None = Field(
        default=None,
        description="Present on 422: one entry per invalid field",
        json_schema_extra=_optional_array,
    )


class AppError(Exception):
    """Base of every error a service raises; subclasses fix status, code and title."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"
    # When true, the unit of work commits what was flushed before the error is sent
    # (e.g. revoking a token family when a replay is detected).
    persist_changes: ClassVar[bool] = False

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}


class NotAuthenticated(AppError):
    status = 401
    code = "auth.not_authenticated"
    title = "Authentication required"


class InvalidToken(AppError):
    status = 401
    code = "auth.invalid_token"
    title = "Invalid or expired credentials"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class InvalidInput(AppError):
    status = 422
    code = "validation_error"
    title = "Invalid input"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    title = "Payload too large"


class RateLimited(AppError):
    status = 429
    code = "auth.rate_limited"
    title = "Too many attempts"

    def __init__(self, retry_after: int):
        super().__init__(
            f"Too many attempts; try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class ServiceBusy(AppError):
    """Every database connection stayed taken (or, on SQLite, the writers' queue stayed
    long) for the whole wait: the client should try again shortly."""

    status = 503
    code = "service.busy"
    title = "Service busy"


class DatabaseUnavailable(AppError):
    """The database dropped the connection this request was using (restart, failover);
    the pool reconnects on the next checkout."""

    status = 503
    code = "service.unavailable"
    title = "Service temporarily unavailable"


RETRY_AFTER_SECONDS = 1


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def problem_bytes(status: int, code: str, title: str, detail: str) -> bytes:
    return bytes(problem_response(status=status, code=code, title=title, detail=detail).body)


def responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for a route, so the contract shows its errors."""
    out: dict[int | str, dict[str, Any]] = {}
    for error in errors:
        entry = out.setdefault(error.status, {"description": ""})
        entry["description"] = "; ".join(filter(None, [entry["description"], error.title]))
    return out


async def _app_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, headers=exc.headers
    )


_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}
BODY_PARSE_ERROR = "There was an error parsing the body"  # FastAPI's words for undecodable bodies


def _is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/")


def _routes(app: FastAPI) -> list[Any]:
    """Every route of the app, included routers flattened (FastAPI ≥ 0.160 nests them)."""
    flatten = getattr(fastapi_routing, "iter_route_contexts", None)
    return list(flatten(app.router.routes)) if flatten else list(app.router.routes)


def allowed_methods(request: Request) -> str:
    """Every method of every route at this path (the router names only the first route's)."""
    methods: set[str] = set()
    for route in _routes(request.app):
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(request.scope)[0] is not Match.NONE:
            methods |= set(route_methods)
    return ", ".join(sorted(methods))


async def _http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) else phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 400 and _is_multipart(request):
        # Starlette's "Missing boundary", "Invalid multipart data", or FastAPI's parse error.
        return problem_response(
            status=422,
            code="request.malformed_body",
            title="Malformed request body",
            detail="The multipart/form-data body could not be read; send the file again.",
        )
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    if exc.status_code == 400 and detail == BODY_PARSE_ERROR:
        return problem_response(
            status=422,
            code="malformed_json",
            title="Malformed JSON",
            detail="The request body could not be read as UTF-8 JSON.",
        )
    if exc.status_code == 404 and detail == phrase:
        detail = "No resource at this address."
    return problem_response(
        status=exc.status_code,
        code=_HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}"),
        title=phrase,
        detail=detail,
        headers=headers,
    )


async def _validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in exc.errors()
    ]
    malformed = any(issue["type"] == "json_invalid" for issue in issues)
    return problem_response(
        status=422,
        code="malformed_json" if malformed else "validation_error",
        title="Malformed JSON" if malformed else "Invalid input",
        detail="The request body is not valid JSON."
        if malformed
        else "Some fields are missing or invalid; see errors.",
        errors=jsonable_encoder(issues),
    )


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def install_problem_openapi(app: FastAPI) -> None:
    """Declare every error response (422 included) as ``application/problem+json``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status.isdigit() and int(status) >= 400:
                        response["content"] = _problem_content()
                        if status == "422":
                            response["description"] = "Invalid input"
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _is_sqlite_locked(exc: sa_exc.DBAPIError) -> bool:
    return isinstance(exc, sa_exc.OperationalError) and "database is locked" in str(exc.orig)


def _temporary(error: type[AppError], detail: str) -> JSONResponse:
    return problem_response(
        status=error.status,
        code=error.code,
        title=error.title,
        detail=detail,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _pool_timeout_handler(request: Request, exc: Exception) -> JSONResponse:
    """No connection (or SQLite write turn) within the pool timeout: 503, never a 500."""
    logger.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
    return _temporary(ServiceBusy, "The service is busy; try again in a moment.")


async def _database_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A dropped connection or another process holding SQLite's write lock is temporary
    (503 with Retry-After); any other database error is a bug, left to the 500 handler."""
    assert isinstance(exc, sa_exc.DBAPIError)
    if exc.connection_invalidated:
        logger.warning("database connection lost on %s %s", request.method, request.url.path)
        return _temporary(
            DatabaseUnavailable, "The database connection was lost; try again in a moment."
        )
    if _is_sqlite_locked(exc):
        logger.warning("SQLite write lock busy on %s %s", request.method, request.url.path)
        return _temporary(ServiceBusy, "The service is busy; try again in a moment.")
    raise exc


def install_error_handlers(app: FastAPI) -> None:
    install_problem_openapi(app)
    app.add_exception_handler(AppError, _app_error_handler)
    app.add_exception_handler(sa_exc.TimeoutError, _pool_timeout_handler)
    app.add_exception_handler(sa_exc.DBAPIError, _database_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)


class CatchAllMiddleware:
    """Turns any unhandled exception into a problem+json 500 without leaking details."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = problem_response(
                status=500,
                code="internal_error",
                title="Internal Server Error",
                detail="Something went wrong on our side; it has been logged.",
            )
            await response(scope, receive, send)


class _BodyTooLarge(StarletteHTTPException):
    """Raised while reading a streamed body; FastAPI lets HTTP exceptions through."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body exceeds {max_bytes} bytes.")


class BodySizeLimitMiddleware:
    """Refuses request bodies above ``max_bytes`` with a 413 problem, declared or streamed."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        upload_max_bytes: int | None = None,
        upload_suffixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes or max_bytes
        self.upload_suffixes = upload_suffixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        max_bytes = (
            self.upload_max_bytes
            if self.upload_suffixes and path.endswith(self.upload_suffixes)
            else self.default_max_bytes
        )
        too_large = problem_response(
            status=413,
            code="payload_too_large",
            title="Payload too large",
            detail=f"The request body exceeds {max_bytes} bytes.",
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > max_bytes:
                    await too_large(scope, receive, send)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _BodyTooLarge(max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await too_large(scope, receive, send)
