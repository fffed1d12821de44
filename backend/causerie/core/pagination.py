"""Cursor pagination over (created_at, id): a page costs the same on any table size."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import Select, tuple_
from sqlalchemy.engine import Result, Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import TypeEngine

from causerie.core.errors import InvalidInput

AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]
MAX_LIMIT = 200
DEFAULT_LIMIT = 50


REFUSED = "The cursor is not one this API handed out."


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    title = "Invalid cursor"


@dataclass(frozen=True)
class PageParams:
    cursor: str | None
    limit: int


async def page_params(
    cursor: Annotated[
        str | None, Query(max_length=200, description="Opaque cursor from a previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> PageParams:
    return PageParams(cursor=cursor, limit=limit)


PageParamsDep = Annotated[PageParams, Depends(page_params)]


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """Parse a cursor; anything that is not exactly what ``encode_cursor`` makes is refused."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded.encode(), altchars=b"-_", validate=True)
        match json.loads(raw):
            case [str(at), str(row_id)]:
                moment = datetime.fromisoformat(at)
                if moment.tzinfo is not None:
                    return moment.astimezone(UTC), uuid.UUID(row_id)
    except (ValueError, TypeError, OverflowError, binascii.Error) as exc:
        raise InvalidCursor(REFUSED) from exc
    raise InvalidCursor(REFUSED)  # not a pair of strings, or a time without its offset


async def _execute(session: AsyncSession, stmt: AnySelect) -> Result[Any]:
    """Columns only (no whole entity): run on the session's connection, without the ORM's
    per-statement work, which a hot list pays on every page (issue 11, B1); the session's
    transaction and types are the same, so are the rows."""
    if all(isinstance(column["type"], TypeEngine) for column in stmt.column_descriptions):
        return await (await session.connection()).execute(stmt)
    return await session.execute(stmt)


async def keyset_page(
    session: AsyncSession,
    stmt: AnySelect,
    *,
    created_at: InstrumentedAttribute[datetime],
    row_id: InstrumentedAttribute[uuid.UUID],
    params: PageParams,
    descending: bool = False,
) -> tuple[Sequence[AnyRow], str | None]:
    """Rows after the cursor in (created_at, id) order, and the next cursor (or None).

    ``descending`` walks newest first. The key columns are added to each row as
    ``_cursor_at`` and ``_cursor_id``.
    """
    if params.cursor is not None:
        after_created_at, after_id = decode_cursor(params.cursor)
        key = tuple_(created_at, row_id)  # compared values are bound with the columns' types
        after = (after_created_at, after_id)
        stmt = stmt.where(key < after if descending else key > after)
    order = (created_at.desc(), row_id.desc()) if descending else (created_at, row_id)
    stmt = (
        stmt.add_columns(created_at.label("_cursor_at"), row_id.label("_cursor_id"))
        .order_by(*order)
        .limit(params.limit + 1)
    )
    rows = (await _execute(session, stmt)).all()
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = rows[-1]._mapping
    return rows, encode_cursor(last["_cursor_at"], last["_cursor_id"])
