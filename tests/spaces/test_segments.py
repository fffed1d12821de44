"""Segments: create / rename / delete, unique names, participant counts."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import ParticipantStatus
from tests.spaces.conftest import Brand, audit_actions
from tests.support.factories import add_participant, create_segment, create_user


def _url(brand: Brand, segment_id: uuid.UUID | str | None = None) -> str:
    base = f"/api/v1/spaces/{brand.space_id}/segments"
    return f"{base}/{segment_id}" if segment_id else base


async def _names(client: httpx.AsyncClient, brand: Brand, settings: Settings) -> list[str]:
    listed = await client.get(_url(brand), headers=brand.headers(settings, "observer"))
    return [item["name"] for item in listed.json()["items"]]


async def test_animator_creates_renames_and_deletes_a_segment(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "animator")
    created = await client.post(_url(brand), json={"name": "  Early   adopters "}, headers=headers)
    assert created.status_code == 201, created.text
    segment = created.json()
    assert segment["name"] == "Early adopters"
    assert segment["space_id"] == str(brand.space_id)
    assert segment["participant_count"] == 0
    assert await _names(client, brand, settings) == ["VIP", "Early adopters"]

    renamed = await client.patch(
        _url(brand, segment["id"]), json={"name": "Pioneers"}, headers=headers
    )
    assert renamed.status_code == 200
    assert (renamed.json()["id"], renamed.json()["name"]) == (segment["id"], "Pioneers")
    same_in_other_case = await client.patch(
        _url(brand, segment["id"]), json={"name": "PIONEERS"}, headers=headers
    )
    assert same_in_other_case.status_code == 200, "renaming to itself in other case is fine"

    deleted = await client.delete(_url(brand, segment["id"]), headers=headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert await _names(client, brand, settings) == ["VIP"]
    for call in [
        client.patch(_url(brand, segment["id"]), json={"name": "Ghost"}, headers=headers),
        client.delete(_url(brand, segment["id"]), headers=headers),
    ]:
        assert (await call).status_code == 404
    assert await audit_actions(db) == [
        "segment.create",
        "segment.rename",
        "segment.rename",
        "segment.delete",
    ]


@pytest.mark.parametrize("taken", ["VIP", "vip", "  Vip ", "vIp"])
async def test_a_duplicate_name_is_refused_whatever_its_case_or_spacing(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, taken: str
) -> None:
    headers = brand.headers(settings, "owner")
    created = await client.post(_url(brand), json={"name": taken}, headers=headers)
    assert created.status_code == 409, created.text
    assert created.headers["content-type"] == "application/problem+json"
    assert created.json()["code"] == "segment.exists"

    other = (await client.post(_url(brand), json={"name": "Prospects"}, headers=headers)).json()
    renamed = await client.patch(_url(brand, other["id"]), json={"name": taken}, headers=headers)
    assert renamed.status_code == 409
    assert renamed.json()["code"] == "segment.exists"
    assert await _names(client, brand, settings) == ["VIP", "Prospects"]


async def test_inner_spacing_counts_as_the_same_name(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = brand.headers(settings, "owner")
    first = await client.post(_url(brand), json={"name": "Early adopters"}, headers=headers)
    assert first.status_code == 201
    again = await client.post(_url(brand), json={"name": "early    ADOPTERS"}, headers=headers)
    assert again.json()["code"] == "segment.exists"


async def test_the_same_name_is_fine_in_another_space(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    response = await client.post(
        f"/api/v1/spaces/{brand.sibling_space_id}/segments",
        json={"name": "VIP"},
        headers=brand.headers(settings, "owner"),
    )
    assert response.status_code == 201


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "a\u0000b", "new\nline"])
async def test_invalid_segment_names_are_refused(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, name: str
) -> None:
    headers = brand.headers(settings, "owner")
    created = await client.post(_url(brand), json={"name": name}, headers=headers)
    assert created.status_code == 422
    renamed = await client.patch(
        _url(brand, brand.segment_id), json={"name": name}, headers=headers
    )
    assert renamed.status_code == 422
    assert await _names(client, brand, settings) == ["VIP"]


async def test_deleting_a_segment_frees_its_name_and_removes_it_from_participants(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = brand.headers(settings, "owner")
    participants_url = f"/api/v1/spaces/{brand.space_id}/participants"
    before = (await client.get(participants_url, headers=headers)).json()["items"]
    assert before[0]["segment_ids"] == [str(brand.segment_id)]

    assert (await client.delete(_url(brand, brand.segment_id), headers=headers)).status_code == 204
    after = (await client.get(participants_url, headers=headers)).json()["items"]
    assert after[0]["segment_ids"] == []
    by_old_segment = await client.get(
        participants_url, params={"segment_id": str(brand.segment_id)}, headers=headers
    )
    assert by_old_segment.json()["items"] == []
    mine = await client.get(
        f"/api/v1/me/spaces/{brand.space_id}", headers=brand.headers(settings, "member")
    )
    assert mine.json()["segments"] == []

    recreated = await client.post(_url(brand), json={"name": "vip"}, headers=headers)
    assert recreated.status_code == 201
    assert recreated.json()["id"] != str(brand.segment_id)
    assert recreated.json()["participant_count"] == 0


async def test_participant_count_counts_active_participants_of_the_segment(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    prospects = await create_segment(db, brand.space_id, "Prospects")
    people = [await create_user(db, email=f"p{index}@people.example.com") for index in range(4)]
    await add_participant(db, brand.space_id, people[0], "Ann", segments=[brand.segment_id])
    await add_participant(
        db, brand.space_id, people[1], "Ben", segments=[brand.segment_id, prospects]
    )
    await add_participant(
        db,
        brand.space_id,
        people[2],
        "Cid",
        segments=[brand.segment_id],
        status=ParticipantStatus.suspended,
    )
    await add_participant(
        db,
        brand.space_id,
        people[3],
        "Dee",
        segments=[prospects],
        status=ParticipantStatus.left,
    )
    headers = brand.headers(settings, "owner")

    async def counts() -> dict[str, int]:
        listed = (await client.get(_url(brand), headers=headers)).json()["items"]
        return {item["name"]: item["participant_count"] for item in listed}

    assert await counts() == {"VIP": 3, "Prospects": 1}  # Mimi, Ann, Ben; not suspended Cid
    space = (await client.get(f"/api/v1/spaces/{brand.space_id}", headers=headers)).json()
    assert space["participant_count"] == 3

    moved = await client.patch(
        f"/api/v1/spaces/{brand.space_id}/participants/{brand.participant_id}",
        json={"segment_ids": [str(prospects)]},
        headers=headers,
    )
    assert moved.status_code == 200
    assert await counts() == {"VIP": 2, "Prospects": 2}
    renamed = await client.patch(_url(brand, prospects), json={"name": "Leads"}, headers=headers)
    assert renamed.json()["participant_count"] == 2


async def test_segments_list_is_cursor_paginated(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    for index in range(4):
        await create_segment(db, brand.space_id, f"Segment {index}")
    headers = brand.headers(settings, "observer")
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await client.get(_url(brand), params=params, headers=headers)).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["VIP", *(f"Segment {index}" for index in range(4))]


async def test_concurrent_creations_of_one_name_give_one_segment_and_no_error(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = brand.headers(settings, "owner")
    results = await asyncio.gather(
        *(
            client.post(_url(brand), json={"name": name}, headers=headers)
            for name in ["Race", "race", " RACE ", "Race"]
        )
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]
    assert await _names(client, brand, settings) == [
        "VIP",
        next(r.json()["name"] for r in results if r.status_code == 201),
    ]
