"""The application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from causerie import __version__
from causerie.accounts import service as accounts_service
from causerie.accounts.router import router as accounts_router
from causerie.conversations.router import router as conversations_router
from causerie.conversations.templates import router as probe_templates_router
from causerie.core.database import Database
from causerie.core.docs import docs_router
from causerie.core.errors import BodySizeLimitMiddleware, CatchAllMiddleware, install_error_handlers
from causerie.core.events import Waker
from causerie.core.files import router as files_router
from causerie.core.settings import Settings, get_settings
from causerie.core.storage import LocalStorage
from causerie.home.router import router as home_router
from causerie.invitations.router import router as invitations_router
from causerie.notifications.router import public_router as unsubscribe_router
from causerie.notifications.router import router as notifications_router
from causerie.notifications.router import staff_router as nudge_router
from causerie.organizations.emails_router import router as emails_router
from causerie.organizations.router import router as organizations_router
from causerie.outbox import service as outbox_service
from causerie.outbox.dispatcher import Dispatcher
from causerie.participants.router import router as participants_router
from causerie.realtime import service as realtime_service
from causerie.realtime.broker import broker_from_url
from causerie.realtime.router import router as realtime_router
from causerie.script.router import router as script_router
from causerie.spa import spa_route
from causerie.spaces.router import public_router as space_welcome_router
from causerie.spaces.router import router as spaces_router
from causerie.system.router import router as system_router
from causerie.wiring import install_subscribers
from causerie.worker import build_dispatcher

API_PREFIX = "/api/v1"
logger = logging.getLogger("causerie")


def _operation_id(route: APIRoute) -> str:
    """Stable operation ids for the generated client: ``<tag>-<function name>``."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


# Every response without a policy of its own (the API's JSON, problem+json errors, server-sent
# events) gets one that lets nothing load or frame it: harmless for fetch() callers, and a JSON
# body opened in a tab can never run as a page. The SPA (spa.py), the API docs (core/docs.py)
# and stored files (core/files.py) send their own policies, which are kept.
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not any(name.lower() == b"content-security-policy" for name, _ in headers):
                    headers.append((b"content-security-policy", API_CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def after_commit_wakers(application: FastAPI) -> dict[str, Waker]:
    """What a committed unit of work wakes: the outbox dispatcher and the live streams."""

    async def wake_outbox(_items: set[object]) -> None:
        dispatcher: Dispatcher | None = application.state.dispatcher
        if dispatcher is not None:
            dispatcher.wake()

    return {
        outbox_service.CHANNEL: wake_outbox,
        realtime_service.CHANNEL: application.state.broker.publish,
    }


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    install_subscribers(settings)
    database = Database.from_settings(settings)
    broker = broker_from_url(settings.redis_url or None, settings.sse_heartbeat_seconds)

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        dispatcher: Dispatcher | None = None
        if settings.inprocess_worker:
            dispatcher = build_dispatcher(database, settings)
            dispatcher.start()
        application.state.dispatcher = dispatcher
        await broker.start()
        yield
        await broker.stop()
        await application.state.login_limiters.aclose()
        application.state.dispatcher = None
        if dispatcher is not None:
            await dispatcher.stop()
        await database.dispose()

    app = FastAPI(
        title="Causerie API",
        version=__version__,
        summary="Private feedback communities for brands.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served from the app's own assets below (core/docs.py)
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.storage = LocalStorage(settings.data_dir / "uploads")
    app.state.dispatcher = None
    app.state.broker = broker
    app.state.wakers = after_commit_wakers(app)
    app.state.login_limiters = accounts_service.LoginLimiters.from_settings(settings)

    install_error_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(system_router)
    api.include_router(accounts_router)
    api.include_router(organizations_router)
    api.include_router(emails_router)
    api.include_router(space_welcome_router)
    api.include_router(spaces_router)
    api.include_router(participants_router)
    api.include_router(home_router)
    api.include_router(invitations_router)
    api.include_router(script_router)
    api.include_router(notifications_router)
    api.include_router(unsubscribe_router)
    api.include_router(conversations_router)
    api.include_router(nudge_router)
    api.include_router(probe_templates_router)
    api.include_router(realtime_router)
    api.include_router(files_router)
    app.include_router(api)
    app.include_router(docs_router(openapi_url=f"{API_PREFIX}/openapi.json", title=app.title))

    index = settings.spa_dir / "index.html"
    if index.is_file():
        app.router.routes.append(spa_route(settings.spa_dir))
    else:
        logger.warning("no built SPA at %s; serving the API only", settings.spa_dir)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        )
    # Outermost last: security headers wrap everything, including the 500s.
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_max_bytes=settings.max_upload_bytes,
        upload_suffixes=("/logo", "/image", "/invitations/import"),
    )
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
