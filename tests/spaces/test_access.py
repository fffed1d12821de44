"""Staff endpoints of spaces, logos, segments and participants: 401 / foreign 404 / roles."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import AuditLogEntry
from tests.spaces import images
from tests.spaces.conftest import Brand, audit_actions

Call = tuple[str, str, dict[str, object] | None]


def _space_calls(
    space_id: uuid.UUID, segment_id: uuid.UUID, participant_id: uuid.UUID
) -> list[Call]:
    space = f"/api/v1/spaces/{space_id}"
    return [
        ("GET", space, None),
        ("PATCH", space, {"title": "Renamed"}),
        ("PUT", f"{space}/logo", None),
        ("DELETE", f"{space}/logo", None),
        ("GET", f"{space}/segments", None),
        ("POST", f"{space}/segments", {"name": "New segment"}),
        ("PATCH", f"{space}/segments/{segment_id}", {"name": "Renamed segment"}),
        ("DELETE", f"{space}/segments/{segment_id}", None),
        ("GET", f"{space}/participants", None),
        ("PATCH", f"{space}/participants/{participant_id}", {"status": "suspended"}),
    ]


def _calls(brand: Brand) -> list[Call]:
    organization = f"/api/v1/organizations/{brand.id}/spaces"
    body = {"title": "New space", "objective": "image", "language": "en"}
    return [
        ("GET", organization, None),
        ("POST", organization, body),
        *_space_calls(brand.space_id, brand.segment_id, brand.participant_id),
    ]


async def _request(
    client: httpx.AsyncClient,
    call: Call,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    method, url, body = call
    if url.endswith("/logo") and method == "PUT":
        files = {"file": ("logo.png", images.png(), "image/png")}
        return await client.put(url, files=files, headers=headers)
    return await client.request(method, url, json=body, headers=headers)


async def test_every_staff_endpoint_requires_authentication(
    client: httpx.AsyncClient, brand: Brand
) -> None:
    for call in _calls(brand):
        response = await _request(client, call)
        assert response.status_code == 401, call
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "auth.not_authenticated"


async def test_a_user_of_another_organization_finds_nothing_and_changes_nothing(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "outsider")
    for call in _calls(brand):
        response = await _request(client, call, headers)
        assert response.status_code == 404, (call, response.text)
        assert response.json()["code"] == "not_found"
    assert await audit_actions(db) == []
    # The participant is a person, not staff: the staff endpoints do not exist for them.
    member = brand.headers(settings, "member")
    for call in _calls(brand):
        assert (await _request(client, call, member)).status_code == 404, call


async def test_a_space_of_another_organization_is_not_found_under_every_space_path(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "owner")
    foreign = _space_calls(
        brand.foreign_space_id, brand.foreign_segment_id, brand.foreign_participant_id
    )
    # Even with ids of my own segment and participant under the foreign space.
    mixed = _space_calls(brand.foreign_space_id, brand.segment_id, brand.participant_id)
    for call in [*foreign, *mixed]:
        response = await _request(client, call, headers)
        assert response.status_code == 404, (call, response.text)
        assert response.json()["code"] == "not_found"
    assert await audit_actions(db) == []


@pytest.mark.parametrize("elsewhere", ["sibling", "foreign"])
async def test_a_segment_or_participant_of_another_space_is_not_found_under_mine(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database, elsewhere: str
) -> None:
    headers = brand.headers(settings, "owner")
    space = f"/api/v1/spaces/{brand.space_id}"
    segment = getattr(brand, f"{elsewhere}_segment_id")
    participant = getattr(brand, f"{elsewhere}_participant_id")
    for call in [
        ("PATCH", f"{space}/segments/{segment}", {"name": "Taken over"}),
        ("DELETE", f"{space}/segments/{segment}", None),
        ("PATCH", f"{space}/participants/{participant}", {"status": "suspended"}),
        ("PATCH", f"{space}/participants/{participant}", {"segment_ids": []}),
    ]:
        response = await _request(client, call, headers)
        assert response.status_code == 404, (call, response.text)
    assert await audit_actions(db) == []


async def test_observer_reads_everything_but_every_change_is_forbidden(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "observer")
    for call in _calls(brand):
        response = await _request(client, call, headers)
        expected = 200 if call[0] == "GET" else 403
        assert response.status_code == expected, (call, response.text)
        if expected == 403:
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["code"] == "forbidden"
    assert await audit_actions(db) == []
    space = (await client.get(f"/api/v1/spaces/{brand.space_id}", headers=headers)).json()
    assert space["title"] == "Le Club"
    assert space["logo_url"] is None


@pytest.mark.parametrize("role", ["owner", "animator"])
async def test_owners_and_animators_make_every_change(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database, role: str
) -> None:
    headers = brand.headers(settings, role)
    expected = {"GET": 200, "POST": 201, "PATCH": 200, "PUT": 200, "DELETE": 200}
    for call in _calls(brand):
        response = await _request(client, call, headers)
        wanted = 204 if "/segments/" in call[1] and call[0] == "DELETE" else expected[call[0]]
        assert response.status_code == wanted, (call, response.text)
    async with db.reader() as session:
        actors = set((await session.scalars(select(AuditLogEntry.actor_user_id).distinct())).all())
        count = await session.scalar(select(func.count()).select_from(AuditLogEntry))
    assert actors == {getattr(brand, role).id}
    assert count and count >= 6
