"""``GET /api/v1/me/events``: the signed-in person's live stream (Server-Sent Events)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from causerie.accounts import sessions as accounts_sessions
from causerie.accounts.deps import AccessClaimsDep, PrincipalReadApart
from causerie.core.clock import utcnow
from causerie.core.errors import (
    AppError,
    InvalidToken,
    NotAuthenticated,
    responses,
)
from causerie.core.http import get_app_settings, get_database
from causerie.core.pagination import decode_cursor
from causerie.realtime import service as realtime_service

router = APIRouter(tags=["me"])


class TooManyStreams(AppError):
    status = 429
    code = "realtime.too_many_streams"
    title = "Too many live connections"


@router.get(
    "/me/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "A stream of events"},
        **responses(NotAuthenticated, InvalidToken, TooManyStreams),
    },
)
async def stream_events(
    request: Request,
    claims: AccessClaimsDep,
    principal: PrincipalReadApart,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=200)] = None,
) -> StreamingResponse:
    """New notifications, answers, replies and probes that concern me, as they happen.

    Events carry ids only; read the items through the API, which applies visibility.
    Reconnect with ``Last-Event-ID`` to receive what happened in between (24 hours at most).
    A comment line is sent every heartbeat.
    """
    settings = get_app_settings(request)
    database = get_database(request)
    if principal.user_id is None:
        raise InvalidToken
    user_id = principal.user_id
    # Short sessions of their own: a stream must not hold a connection while it waits.
    cursor = realtime_service.parse_last_event_id(last_event_id)
    if cursor is None:
        async with database.reader() as session:
            cursor = await realtime_service.latest_cursor(session, user_id)
    broker = request.app.state.broker
    if broker.hub.streams_of(user_id) >= settings.sse_max_streams_per_person:
        raise TooManyStreams("Close another tab or window of Causerie first.")
    wake = broker.hub.register(user_id)

    async def events() -> AsyncIterator[str]:
        position = cursor
        sent: dict[uuid.UUID, None] = {}  # recently sent ids, oldest first
        try:
            yield "retry: 3000\n\n"
            while utcnow() < claims.expires_at:  # then the client reconnects, re-authenticated
                wake.clear()
                lagging = (position[0] - realtime_service.COMMIT_LAG, uuid.UUID(int=0))
                async with database.reader() as session:
                    batch = [
                        (event_id, event)
                        for event_id, event in await realtime_service.read_after(
                            session, user_id, lagging
                        )
                        if event.id not in sent
                    ]
                for event_id, event in batch:
                    sent[event.id] = None
                    if len(sent) > 2 * realtime_service.REPLAY_LIMIT:
                        del sent[next(iter(sent))]
                    data = json.dumps(
                        {"kind": event.kind, "space_id": event.space_id, **event.payload},
                        default=str,
                    )
                    yield f"id: {event_id}\nevent: {event.kind}\ndata: {data}\n\n"
                    position = max(position, decode_cursor(event_id))
                if batch:
                    continue  # there may be more than one batch waiting
                try:
                    await asyncio.wait_for(wake.wait(), timeout=settings.sse_heartbeat_seconds)
                except TimeoutError:
                    # A signed-out session's stream ends within a heartbeat.
                    async with database.reader() as session:
                        if not await accounts_sessions.session_is_live(session, claims):
                            return
                    yield ": heartbeat\n\n"
        finally:
            broker.hub.unregister(user_id, wake)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
