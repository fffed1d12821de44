"""The staff view of a space's participants: addresses by role, filters, paging, changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import AuditLogEntry, SpaceStatus
from tests.participants.conftest import People
from tests.spaces.conftest import Brand
from tests.support.factories import add_participant, create_segment, create_space, create_user


def _url(brand: Brand, participant_id: uuid.UUID | None = None) -> str:
    base = f"/api/v1/spaces/{brand.space_id}/participants"
    return f"{base}/{participant_id}" if participant_id else base


async def _list(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, who: str, **params: str
) -> list[dict[str, Any]]:
    response = await client.get(_url(brand), params=params, headers=brand.headers(settings, who))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.mark.parametrize("role", ["owner", "animator"])
async def test_owners_and_animators_see_every_participant_with_their_address(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings, role: str
) -> None:
    items = await _list(client, brand, settings, role)
    assert [(item["pseudonym"], item["email"], item["status"]) for item in items] == [
        ("Mimi", brand.member.email, "active"),
        ("Annie", people.ann.email, "active"),
        ("Bobby", people.bob.email, "suspended"),
        ("Kitty", people.cat.email, "left"),
    ]
    annie = items[1]
    assert annie["id"] == str(people.ann_id)
    assert annie["user_id"] == str(people.ann.id)
    assert annie["segment_ids"] == [str(brand.segment_id), str(people.prospects_id)]
    assert annie["last_seen_at"] is None
    assert annie["joined_at"] and annie["created_at"] and annie["updated_at"]
    assert items[2]["segment_ids"] == []


async def test_observers_get_no_address_for_any_participant(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    response = await client.get(_url(brand), headers=brand.headers(settings, "observer"))
    items = response.json()["items"]
    assert len(items) == 4
    assert all("email" in item and item["email"] is None for item in items)
    for address in [brand.member.email, *people.emails]:
        assert address not in response.text
    for status in ["active", "suspended", "left"]:
        filtered = await client.get(
            _url(brand), params={"status": status}, headers=brand.headers(settings, "observer")
        )
        assert all(item["email"] is None for item in filtered.json()["items"])


@pytest.mark.parametrize(
    "query", ["secret", "mail.example", "ann.secret@mail.example.com", "people.example", "@"]
)
async def test_an_observer_search_never_matches_on_addresses(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings, query: str
) -> None:
    owner_hits = await _list(client, brand, settings, "owner", q=query)
    assert owner_hits, "the address matches for staff who may see it"
    assert await _list(client, brand, settings, "observer", q=query) == []


async def test_search_matches_pseudonyms_case_insensitively_for_every_role(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    for who in ["owner", "animator", "observer"]:
        hits = await _list(client, brand, settings, who, q="ANNI")
        assert [item["pseudonym"] for item in hits] == ["Annie"], who
        none = await _list(client, brand, settings, who, q="nobody-like-this")
        assert none == []
        for wildcard in ("%", "_", "a%e"):
            assert await _list(client, brand, settings, who, q=wildcard) == [], "no LIKE wildcards"
    too_long = await client.get(
        _url(brand), params={"q": "x" * 101}, headers=brand.headers(settings, "owner")
    )
    assert too_long.status_code == 422


async def test_participants_are_filtered_by_status_and_segment(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    async def pseudonyms(**params: str) -> list[str]:
        return [
            item["pseudonym"] for item in await _list(client, brand, settings, "observer", **params)
        ]

    assert await pseudonyms(status="active") == ["Mimi", "Annie"]
    assert await pseudonyms(status="suspended") == ["Bobby"]
    assert await pseudonyms(status="left") == ["Kitty"]
    assert await pseudonyms(segment_id=str(people.prospects_id)) == ["Annie", "Kitty"]
    assert await pseudonyms(segment_id=str(brand.segment_id)) == ["Mimi", "Annie"]
    assert await pseudonyms(segment_id=str(people.prospects_id), status="active") == ["Annie"]
    assert await pseudonyms(segment_id=str(brand.sibling_segment_id)) == []
    assert await pseudonyms(segment_id=str(brand.foreign_segment_id)) == []
    bad = await client.get(
        _url(brand), params={"status": "banned"}, headers=brand.headers(settings, "owner")
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"


async def test_participants_list_is_cursor_paginated(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    headers = brand.headers(settings, "owner")
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = (await client.get(_url(brand), params=params, headers=headers)).json()
        seen += [item["pseudonym"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 2
    assert seen == ["Mimi", "Annie", "Bobby", "Kitty"]
    filtered = (
        await client.get(_url(brand), params={"limit": "1", "status": "active"}, headers=headers)
    ).json()
    second = (
        await client.get(
            _url(brand),
            params={"limit": "1", "status": "active", "cursor": filtered["next_cursor"]},
            headers=headers,
        )
    ).json()
    assert [item["pseudonym"] for item in filtered["items"] + second["items"]] == ["Mimi", "Annie"]
    assert second["next_cursor"] is None
    forged = await client.get(_url(brand), params={"cursor": "bm9wZQ"}, headers=headers)
    assert forged.status_code == 422
    assert forged.json()["code"] == "invalid_cursor"


async def test_animator_sets_a_participants_segments(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "animator")
    url = _url(brand, brand.participant_id)
    both = [str(people.prospects_id), str(brand.segment_id), str(people.prospects_id)]
    changed = await client.patch(url, json={"segment_ids": both}, headers=headers)
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["id"] == str(brand.participant_id)
    assert body["email"] == brand.member.email
    assert body["status"] == "active"
    assert sorted(body["segment_ids"]) == sorted({str(people.prospects_id), str(brand.segment_id)})

    cleared = await client.patch(url, json={"segment_ids": []}, headers=headers)
    assert cleared.json()["segment_ids"] == []
    listed = await _list(client, brand, settings, "owner", segment_id=str(brand.segment_id))
    assert [item["pseudonym"] for item in listed] == ["Annie"]
    async with db.reader() as session:
        entries = (
            await session.scalars(
                select(AuditLogEntry)
                .where(AuditLogEntry.action == "participant.update")
                .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
            )
        ).all()
    assert [entry.data for entry in entries] == [
        {"segment_ids": [str(people.prospects_id), str(brand.segment_id)]},
        {"segment_ids": []},
    ]
    assert {entry.actor_user_id for entry in entries} == {brand.animator.id}


async def test_unknown_or_other_space_segments_are_refused_and_change_nothing(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "owner")
    deleted = await create_segment(db, brand.space_id, "Soon gone")
    assert (
        await client.delete(f"/api/v1/spaces/{brand.space_id}/segments/{deleted}", headers=headers)
    ).status_code == 204
    url = _url(brand, people.ann_id)
    for unknown in [uuid.uuid4(), brand.sibling_segment_id, brand.foreign_segment_id, deleted]:
        response = await client.patch(
            url,
            json={"segment_ids": [str(brand.segment_id), str(unknown)], "status": "suspended"},
            headers=headers,
        )
        assert response.status_code == 422, (unknown, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "segment.unknown"
        assert str(unknown) in response.json()["detail"]
    annie = (await _list(client, brand, settings, "owner", q="annie"))[0]
    assert annie["segment_ids"] == [str(brand.segment_id), str(people.prospects_id)]
    assert annie["status"] == "active"
    malformed = await client.patch(url, json={"segment_ids": ["not-a-uuid"]}, headers=headers)
    assert malformed.status_code == 422


async def test_staff_suspend_and_reactivate_a_participant(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    headers = brand.headers(settings, "owner")
    space_url = f"/api/v1/spaces/{brand.space_id}"
    assert (await client.get(space_url, headers=headers)).json()["participant_count"] == 2

    suspended = await client.patch(
        _url(brand, people.ann_id), json={"status": "suspended"}, headers=headers
    )
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["segment_ids"] == [str(brand.segment_id), str(people.prospects_id)]
    assert (await client.get(space_url, headers=headers)).json()["participant_count"] == 1

    reactivated = await client.patch(
        _url(brand, people.bob_id), json={"status": "active"}, headers=headers
    )
    assert reactivated.json()["status"] == "active"
    statuses = {
        item["pseudonym"]: item["status"] for item in await _list(client, brand, settings, "owner")
    }
    assert statuses == {"Mimi": "active", "Annie": "suspended", "Bobby": "active", "Kitty": "left"}

    not_a_staff_status = await client.patch(
        _url(brand, people.ann_id), json={"status": "left"}, headers=headers
    )
    assert not_a_staff_status.status_code == 422


@pytest.mark.parametrize("status", ["active", "suspended"])
async def test_a_participant_who_left_cannot_be_reactivated_or_suspended(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings, status: str
) -> None:
    response = await client.patch(
        _url(brand, people.cat_id),
        json={"status": status},
        headers=brand.headers(settings, "owner"),
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "participant.left"
    kitty = (await _list(client, brand, settings, "owner", status="left"))[0]
    assert kitty["pseudonym"] == "Kitty"


async def test_participants_of_an_archived_space_can_be_read_but_not_changed(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    headers = brand.headers(settings, "owner")
    archived = await client.patch(
        f"/api/v1/spaces/{brand.space_id}", json={"status": "archived"}, headers=headers
    )
    assert archived.status_code == 200
    assert len(await _list(client, brand, settings, "owner")) == 4
    response = await client.patch(
        _url(brand, people.ann_id), json={"status": "suspended"}, headers=headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "space.archived"


@contextmanager
def _counting_statements(app: FastAPI) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = app.state.database.engine.sync_engine

    def before_cursor_execute(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


async def test_a_page_of_participants_costs_the_same_number_of_queries_for_5_or_50(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database, app: FastAPI
) -> None:
    counts: dict[int, int] = {}
    for size in (5, 50):
        space_id = await create_space(db, brand.id, title=f"{size} people", status=SpaceStatus.open)
        segments = [await create_segment(db, space_id, f"S{index}") for index in range(2)]
        for index in range(size):
            user = await create_user(db, email=f"n{size}-{index}@people.example.com")
            await add_participant(db, space_id, user, f"P{index}", segments=segments)
        url = f"/api/v1/spaces/{space_id}/participants"
        headers = brand.headers(settings, "owner")
        await client.get(url, headers=headers)  # warm up: connections, caches
        with _counting_statements(app) as statements:
            response = await client.get(url, headers=headers)
        page = response.json()
        assert len(page["items"]) == size and page["next_cursor"] is None
        assert all(len(item["segment_ids"]) == 2 for item in page["items"])
        counts[size] = len(statements)
    assert counts[5] == counts[50], counts
    assert 0 < counts[50] <= 8, counts
