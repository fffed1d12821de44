"""Cursor pagination: cursors round-trip and nothing else is accepted; pages walk every row
once, in (created_at, id) order both ways, ties included."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.database import Database
from causerie.core.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    InvalidCursor,
    PageParams,
    decode_cursor,
    encode_cursor,
    keyset_page,
    page_params,
)
from causerie.models import Organization

MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2199, 12, 31),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
    ),
)


@given(moment=MOMENTS, row_id=st.uuids())
def test_a_cursor_round_trips_to_the_same_instant_in_utc(
    moment: datetime, row_id: uuid.UUID
) -> None:
    cursor = encode_cursor(moment, row_id)
    assert "=" not in cursor, "no padding: the cursor goes in a query string as is"
    decoded_at, decoded_id = decode_cursor(cursor)
    assert decoded_at == moment
    assert decoded_at.utcoffset() == timedelta(0)
    assert decoded_at.tzinfo is UTC
    assert decoded_id == row_id


def _raw(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


GOOD_AT, GOOD_ID = "2026-03-01T09:00:00+00:00", str(uuid.UUID(int=7))
GOOD = encode_cursor(datetime(2026, 3, 1, 9, tzinfo=UTC), uuid.UUID(int=7))  # 4n long


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "nope",
        "%%%%",
        "bm9wZQ",  # "nope": base64 of something that is not JSON
        _raw({"at": GOOD_AT, "id": GOOD_ID}),
        _raw([GOOD_AT]),
        _raw([GOOD_AT, GOOD_ID, GOOD_ID]),
        _raw([GOOD_AT, 7]),
        _raw([1, GOOD_ID]),
        _raw("a string"),
        _raw(None),
        _raw(["2026-03-01T09:00:00", GOOD_ID]),  # naive
        _raw(["yesterday", GOOD_ID]),
        _raw([GOOD_AT, "not-a-uuid"]),
        _raw(["9999-12-31T23:59:59-23:59", GOOD_ID]),  # beyond the calendar in UTC
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        *(  # a cursor we made, with characters base64 does not have
            variant
            for junk in (" ", "%%", "é", "\n", "+=")
            for variant in (GOOD + junk, junk + GOOD, GOOD[:4] + junk + GOOD[4:])
        ),
    ],
)
def test_anything_but_a_cursor_we_made_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as caught:
        decode_cursor(cursor)
    assert caught.value.code == "invalid_cursor"
    assert caught.value.status == 422
    assert caught.value.detail == "The cursor is not one this API handed out."


def test_a_cursor_with_its_padding_is_also_read() -> None:
    paddings = set()
    for spaces in range(3):  # three lengths: every amount of padding
        text = f'[{" " * spaces}"{GOOD_AT}", "{GOOD_ID}"]'
        padded = base64.urlsafe_b64encode(text.encode()).decode()
        paddings.add(len(padded) - len(padded.rstrip("=")))
        expected = (datetime(2026, 3, 1, 9, tzinfo=UTC), uuid.UUID(int=7))
        assert decode_cursor(padded) == expected
        assert decode_cursor(padded.rstrip("=")) == expected
    assert paddings == {0, 1, 2}


async def test_page_parameters_default_to_fifty_and_stop_at_two_hundred() -> None:
    assert await page_params() == PageParams(cursor=None, limit=DEFAULT_LIMIT)
    assert (DEFAULT_LIMIT, MAX_LIMIT) == (50, 200)
    assert await page_params(cursor="abc", limit=3) == PageParams(cursor="abc", limit=3)


# --- keyset pages on a real table ---------------------------------------------------------

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
# (id, created_at): ties on created_at are ordered by id; ids are not in insertion order.
ROWS = [
    (uuid.UUID(int=0x50), T0),
    (uuid.UUID(int=0x20), T0),
    (uuid.UUID(int=0x90), T0 + SECOND),
    (uuid.UUID(int=0x10), T0 + SECOND),
    (uuid.UUID(int=0x30), T0 + 2 * SECOND),
]
OLDEST_FIRST = [row_id for row_id, _at in sorted(ROWS, key=lambda row: (row[1], row[0]))]


@pytest.fixture
async def organizations(db: Database) -> None:
    async with db.writer() as session, session.begin():
        for row_id, created_at in ROWS:
            session.add(
                Organization(
                    id=row_id, name=f"page-{row_id.int}", created_at=created_at, updated_at=T0
                )
            )


async def _walk(db: Database, limit: int, *, descending: bool) -> list[list[uuid.UUID]]:
    pages: list[list[uuid.UUID]] = []
    cursor: str | None = None
    while True:
        async with db.reader() as session:
            rows, cursor = await keyset_page(
                session,
                select(Organization.id).where(Organization.name.like("page-%")),
                created_at=Organization.created_at,
                row_id=Organization.id,
                params=PageParams(cursor=cursor, limit=limit),
                **({"descending": True} if descending else {}),  # ascending by default
            )
        pages.append([row.id for row in rows])
        for row in rows:
            assert row._mapping["_cursor_id"] == row.id
        if cursor is None:
            return pages
        last = rows[-1]._mapping
        assert decode_cursor(cursor) == (last["_cursor_at"], last["_cursor_id"])
        assert len(pages) <= len(ROWS), "the walk must end"


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 6])
@pytest.mark.usefixtures("organizations")
async def test_pages_walk_every_row_once_in_order_both_ways(db: Database, limit: int) -> None:
    for descending, expected in ((False, OLDEST_FIRST), (True, OLDEST_FIRST[::-1])):
        pages = await _walk(db, limit, descending=descending)
        assert [row for page in pages for row in page] == expected, (limit, descending)
        assert all(len(page) == limit for page in pages[:-1])
        assert len(pages) == -(-len(ROWS) // limit), "no page more than needed"
        assert pages[-1], "a walk never ends on an empty page"


class _Recorder:
    """A session that notes each statement it is asked to run."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.statements: list[str] = []

    async def connection(self) -> _Recorder:
        """Column selects run on the session's connection: note them there too."""
        return self

    async def execute(self, stmt: Select[tuple[uuid.UUID]]) -> object:
        self.statements.append(str(stmt.compile(compile_kwargs={"literal_binds": True})))
        return await self.session.execute(stmt)


@pytest.mark.parametrize("limit", [1, 3])
@pytest.mark.usefixtures("organizations")
async def test_a_page_reads_one_row_more_than_it_returns_whatever_the_table_size(
    db: Database, limit: int
) -> None:
    async with db.reader() as session:
        recorder = _Recorder(session)
        rows, cursor = await keyset_page(
            recorder,  # type: ignore[arg-type]
            select(Organization.id).where(Organization.name.like("page-%")),
            created_at=Organization.created_at,
            row_id=Organization.id,
            params=PageParams(cursor=None, limit=limit),
        )
    assert [row.id for row in rows] == OLDEST_FIRST[:limit]
    assert cursor is not None
    (statement,) = recorder.statements
    assert statement.endswith(f"LIMIT {limit + 1}"), statement
