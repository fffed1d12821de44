"""``GET /api/v1/me/events``: the signed-in person's live stream (Server-Sent Events)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from causerie.accounts.deps import AccessClaimsDep, PrincipalReadApart
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.errors import (
    AppError,
    InvalidToken,
    NotAuthenticated,
    responses,
)
from causerie.core.settings import Settings
from causerie.core.tokens import AccessClaims
from causerie.realtime import service as realtime_service
from causerie.realtime.audience import load_listener, load_own
from causerie.realtime.broker import LocalHub, Stream
from causerie.realtime.service import LiveEvent

router = APIRouter(tags=["me"])


class TooManyStreams(AppError):
    status = 429
    code = "realtime.too_many_streams"
    title = "Too many live connections"


class StreamsFull(AppError):
    status = 503
    code = "realtime.busy"
    title = "Live updates are busy"


@router.get(
    "/me/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "A stream of events"},
        **responses(NotAuthenticated, InvalidToken, TooManyStreams, StreamsFull),
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
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    if principal.user_id is None:
        raise InvalidToken
    broker = request.app.state.broker
    if broker.hub.streams_of(principal.user_id) >= settings.sse_max_streams_per_person:
        raise TooManyStreams("Close another tab or window of Causerie first.")
    if broker.hub.count >= settings.sse_max_streams:
        raise StreamsFull("Live updates are busy on this server; retry in a moment.")
    since = realtime_service.parse_last_event_id(last_event_id)
    # Short sessions of their own: a stream never holds a connection while it waits.
    async with database.reader() as session:
        listener = await load_listener(session, principal.user_id)
    stream = broker.hub.register(listener)
    return StreamingResponse(
        _events(stream, since, database, settings, claims, broker.hub),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _decide_now(stream: Stream, event: LiveEvent, hub: LocalHub) -> bool | None:
    """The decision from what is in memory (the usual case, for every stream at once), or
    None when it needs the database first (my own answers to reload, a script to load)."""
    listener = stream.listener
    if listener.needs_own(event) is not None:
        return None
    space_id = listener.applies_rule(event)
    script = hub.scripts.fresh(space_id) if space_id is not None else None
    if space_id is not None and script is None:
        return None
    heard = listener.hears(event, utcnow(), script)
    listener.forget_after(event)
    return heard


async def _decide(stream: Stream, event: LiveEvent, database: Database, hub: LocalHub) -> bool:
    """Whether the stream's person hears of the event: from state the stream holds, with
    the space's shared script; the database is read only after the person's own answer."""
    heard = _decide_now(stream, event, hub)
    if heard is not None:
        return heard
    listener = stream.listener
    stale = listener.needs_own(event)
    if stale is not None:
        async with database.reader() as session:
            listener.keep_own(stale, await load_own(session, listener.participations[stale]))
    space_id = listener.applies_rule(event)
    script = await hub.scripts.get(space_id, database) if space_id is not None else None
    heard = listener.hears(event, utcnow(), script)
    listener.forget_after(event)
    return heard


async def _events(
    stream: Stream,
    since: tuple[datetime, uuid.UUID] | None,
    database: Database,
    settings: Settings,
    claims: AccessClaims,
    hub: LocalHub,
) -> AsyncIterator[bytes]:
    sent: dict[uuid.UUID, None] = {}  # recently sent ids, oldest first
    listener = stream.listener
    try:
        yield b"retry: 3000\n\n"
        if since is not None:  # catch up on what happened while disconnected
            async with database.reader() as session:
                missed = await realtime_service.read_after(
                    session,
                    user_id=listener.user_id,
                    organization_ids=listener.organization_ids,
                    space_ids=listener.space_ids,
                    cursor=(since[0] - realtime_service.COMMIT_LAG, uuid.UUID(int=0)),
                )
            for event in missed:
                if (event.created_at, event.id) > since and await _decide(
                    stream, event, database, hub
                ):
                    sent[event.id] = None
                    yield event.frame
        while utcnow() < claims.expires_at:  # then the client reconnects, re-authenticated
            offered = await stream.queue.get()
            if offered is None:  # the hub's HEARTBEAT
                # A signed-out session's stream ends within a heartbeat (no database read:
                # ended sessions are pushed to every process, see accounts/sessions.ENDED).
                if hub.session_ended(claims.user_id, claims.session_id):
                    return
                yield b": heartbeat\n\n"
                continue
            if stream.overflowed:
                return  # too far behind: the client reconnects and catches up
            if offered.id in sent:
                continue
            heard = _decide_now(stream, offered, hub)  # no coroutine in the usual case
            if heard is None:
                heard = await _decide(stream, offered, database, hub)
            if not heard:
                continue
            sent[offered.id] = None
            if len(sent) > 2 * realtime_service.REPLAY_LIMIT:
                del sent[next(iter(sent))]
            yield offered.frame
    finally:
        hub.unregister(stream)
