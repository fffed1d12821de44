"""Live events: written once per item in the change's transaction, pushed after commit, and
read back from the database only when a stream reconnects (``Last-Event-ID``)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, cast

from sqlalchemy import Table, event, insert, literal, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from causerie.core.clock import utcnow
from causerie.core.events import wake_after_commit
from causerie.core.ids import uuid7
from causerie.core.pagination import decode_cursor, encode_cursor
from causerie.models.events import Audience, Event

CHANNEL = "realtime"
"""After-commit channel: the live events to push to the streams once committed."""
REPLAY_WINDOW = timedelta(hours=24)
REPLAY_LIMIT = 200
# A transaction that wrote earlier may commit later: a reconnecting stream re-reads this much
# before its position and skips what it already sent, so a slow commit is never skipped.
COMMIT_LAG = timedelta(seconds=60)


@dataclass(frozen=True, eq=False)
class LiveEvent:
    """One live event as streams see it (and as the broker carries it between processes)."""

    id: uuid.UUID
    created_at: datetime
    kind: str
    audience: Audience
    payload: dict[str, Any] = field(default_factory=dict)
    user_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    space_id: uuid.UUID | None = None
    prompt_id: uuid.UUID | None = None
    author_participant_id: uuid.UUID | None = None

    @property
    def cursor(self) -> str:
        return encode_cursor(self.created_at, self.id)

    @cached_property
    def frame(self) -> bytes:
        """The event as one Server-Sent Events message, encoded once for every stream that
        sends it (ids only: clients read the items through the API)."""
        data = json.dumps(
            {"kind": self.kind, "space_id": self.space_id, **self.payload}, default=str
        )
        return f"id: {self.cursor}\nevent: {self.kind}\ndata: {data}\n\n".encode()

    def to_message(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "created_at": self.created_at.isoformat(),
            "kind": self.kind,
            "audience": self.audience.value,
            "payload": self.payload,
            **{
                name: str(value) if value is not None else None
                for name, value in (
                    ("user_id", self.user_id),
                    ("organization_id", self.organization_id),
                    ("space_id", self.space_id),
                    ("prompt_id", self.prompt_id),
                    ("author_participant_id", self.author_participant_id),
                )
            },
        }

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> LiveEvent:
        def optional(name: str) -> uuid.UUID | None:
            value = message.get(name)
            return uuid.UUID(value) if value else None

        return cls(
            id=uuid.UUID(message["id"]),
            created_at=datetime.fromisoformat(message["created_at"]),
            kind=message["kind"],
            audience=Audience(message["audience"]),
            payload=dict(message.get("payload") or {}),
            user_id=optional("user_id"),
            organization_id=optional("organization_id"),
            space_id=optional("space_id"),
            prompt_id=optional("prompt_id"),
            author_participant_id=optional("author_participant_id"),
        )

    @classmethod
    def from_row(cls, row: Event) -> LiveEvent:
        return cls(
            id=row.id,
            created_at=row.created_at,
            kind=row.kind,
            audience=row.audience,
            payload=dict(row.payload or {}),
            user_id=row.user_id,
            organization_id=row.organization_id,
            space_id=row.space_id,
            prompt_id=row.prompt_id,
            author_participant_id=row.author_participant_id,
        )


async def emit(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    *,
    audience: Audience,
    organization_id: uuid.UUID | None = None,
    space_id: uuid.UUID | None = None,
    prompt_id: uuid.UUID | None = None,
    author_participant_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
) -> LiveEvent:
    """Store one live event with its audience rule; it is pushed to streams after commit."""
    event = LiveEvent(
        id=uuid7(),
        created_at=utcnow(),
        kind=kind,
        audience=audience,
        payload=payload,
        user_id=user_id,
        organization_id=organization_id,
        space_id=space_id,
        prompt_id=prompt_id,
        author_participant_id=author_participant_id,
    )
    await emit_many(session, [event])
    return event


async def emit_many(session: AsyncSession, live_events: list[LiveEvent]) -> None:
    """Queue live events on the unit of work: they are written together, in one statement,
    when it commits (``_write_pending``), and pushed to the streams after the commit."""
    if not live_events:
        return
    session.info.setdefault(PENDING, []).extend(live_events)
    wake_after_commit(session, CHANNEL, live_events)


PENDING = "causerie.live_events"


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Write the unit of work's live events in one INSERT, inside its transaction."""
    pending: list[LiveEvent] = session.info.pop(PENDING, [])
    if pending:
        # The Core table: one multi-row INSERT, not the ORM's per-shape batches.
        session.execute(insert(cast(Table, Event.__table__)), [_row(e) for e in pending])


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    """A unit of work that ended without committing leaves no live event behind."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _row(e: LiveEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "created_at": e.created_at,
        "kind": e.kind,
        "audience": e.audience,
        "payload": e.payload,
        "user_id": e.user_id,
        "organization_id": e.organization_id,
        "space_id": e.space_id,
        "prompt_id": e.prompt_id,
        "author_participant_id": e.author_participant_id,
    }


def for_user(
    user_id: uuid.UUID, kind: str, payload: dict[str, Any], *, space_id: uuid.UUID | None
) -> LiveEvent:
    """A live event for one person (to be stored with ``emit_many``)."""
    return LiveEvent(
        id=uuid7(),
        created_at=utcnow(),
        kind=kind,
        audience=Audience.user,
        payload=payload,
        user_id=user_id,
        space_id=space_id,
    )


async def read_after(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    organization_ids: set[uuid.UUID],
    space_ids: set[uuid.UUID],
    cursor: tuple[datetime, uuid.UUID],
) -> list[LiveEvent]:
    """Events after the cursor (within the replay window) that may concern the person,
    oldest first; each stream still decides which of them its person hears of."""
    concerns = [Event.user_id == user_id]
    if organization_ids:
        concerns.append(Event.organization_id.in_(organization_ids))
    if space_ids:
        concerns.append(Event.space_id.in_(space_ids))
    stmt = (
        select(Event)
        .where(
            or_(*concerns),
            Event.created_at > utcnow() - REPLAY_WINDOW,
            tuple_(Event.created_at, Event.id)
            > tuple_(literal(cursor[0], Event.created_at.type), literal(cursor[1], Event.id.type)),
        )
        .order_by(Event.created_at, Event.id)
        .limit(REPLAY_LIMIT)
    )
    return [LiveEvent.from_row(row) for row in (await session.scalars(stmt)).all()]


def parse_last_event_id(value: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not value:
        return None
    return decode_cursor(value)
