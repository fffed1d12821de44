"""Writing events (in the change's transaction) and reading them back for a stream."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.events import wake_after_commit
from causerie.core.ids import uuid7
from causerie.core.pagination import decode_cursor, encode_cursor
from causerie.models import Event

CHANNEL = "realtime"
"""After-commit channel: the users whose live streams wake once the events are committed."""
REPLAY_WINDOW = timedelta(hours=24)
REPLAY_LIMIT = 200


async def emit(
    session: AsyncSession,
    user_ids: set[uuid.UUID],
    kind: str,
    payload: dict[str, Any],
    *,
    space_id: uuid.UUID | None,
) -> None:
    """Queue one event per recipient in this unit of work; streams wake after the commit."""
    if not user_ids:
        return
    now = utcnow()
    rows = [
        {
            "id": uuid7(),
            "created_at": now,
            "user_id": user_id,
            "space_id": space_id,
            "kind": kind,
            "payload": payload,
        }
        for user_id in sorted(user_ids)
    ]
    await session.execute(insert(Event), rows)
    wake_after_commit(session, CHANNEL, user_ids)


# A transaction that wrote earlier may commit later: live streams re-read this much before
# their position and skip what they already sent, so a slow commit is never skipped.
COMMIT_LAG = timedelta(seconds=60)


async def read_after(
    session: AsyncSession, user_id: uuid.UUID, cursor: tuple[datetime, uuid.UUID] | None
) -> list[tuple[str, Event]]:
    """Events for the user after the cursor (within the replay window), oldest first."""
    stmt = select(Event).where(
        Event.user_id == user_id, Event.created_at > utcnow() - REPLAY_WINDOW
    )
    if cursor is not None:
        stmt = stmt.where(
            tuple_(Event.created_at, Event.id)
            > tuple_(literal(cursor[0], Event.created_at.type), literal(cursor[1], Event.id.type))
        )
    events = (
        await session.scalars(stmt.order_by(Event.created_at, Event.id).limit(REPLAY_LIMIT))
    ).all()
    return [(encode_cursor(event.created_at, event.id), event) for event in events]


async def latest_cursor(session: AsyncSession, user_id: uuid.UUID) -> tuple[datetime, uuid.UUID]:
    row = (
        await session.execute(
            select(Event.created_at, Event.id)
            .where(Event.user_id == user_id)
            .order_by(Event.created_at.desc(), Event.id.desc())
            .limit(1)
        )
    ).one_or_none()
    return (row[0], row[1]) if row else (utcnow(), uuid.UUID(int=(1 << 128) - 1))


def parse_last_event_id(value: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not value:
        return None
    return decode_cursor(value)
