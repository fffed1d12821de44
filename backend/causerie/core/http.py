"""Per-request plumbing: the database session and the one place that commits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.database import Database
from causerie.core.errors import AppError
from causerie.core.events import run_wakers
from causerie.core.settings import Settings

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Dependencies are coroutines: a plain ``def`` dependency runs in the thread pool, a hop
# that costs more than the dependency itself on every request.
async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work. Writing methods use the writer (on SQLite it takes the
    process's write turn, then the write lock, at its first statement).

    Services only flush; ``UnitOfWorkRoute`` commits once the endpoint has returned and
    before the response is sent; a read-only method's unit of work ends without a commit.
    Anything not committed is rolled back on close.
    """
    database = await get_database(request)
    factory = database.reader if request.method in READ_METHODS else database.writer
    async with factory() as session:
        request.state.session = session
        try:
            yield session
        finally:
            request.state.session = None


SessionDep = Annotated[AsyncSession, Depends(get_session)]


class UnitOfWorkRoute(APIRoute):
    """Commits the request's session after the endpoint succeeds, before responding."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                response = await handler(request)
            except AppError as error:
                if error.persist_changes:
                    await _commit(request)
                raise
            await _commit(request)
            return response

        return handle


async def _commit(request: Request) -> None:
    session: AsyncSession | None = getattr(request.state, "session", None)
    if session is None or not session.in_transaction():
        return
    if request.method in READ_METHODS:
        # A read-only unit of work has nothing to keep: end it (and give its connection
        # back) without a commit.
        await session.rollback()
        return
    await session.commit()
    # What the unit of work asked to wake (the outbox, live streams) runs once committed.
    await run_wakers(session, getattr(request.app.state, "wakers", {}))
