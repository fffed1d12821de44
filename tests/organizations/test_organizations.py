"""Organizations and members: 401 / foreign 404 / wrong role 403 / happy paths / last owner."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import AuditLogEntry, Role
from tests.support.factories import UserInfo, auth_headers, create_organization, create_user


@dataclass(frozen=True)
class Brand:
    id: uuid.UUID
    owner: UserInfo
    animator: UserInfo
    observer: UserInfo
    outsider: UserInfo


@pytest.fixture
async def brand(db: Database) -> Brand:
    owner = await create_user(db, email="owner@brand.example.com", display_name="Olivia Owner")
    animator = await create_user(db, email="animator@brand.example.com", display_name="Anna")
    observer = await create_user(db, email="observer@brand.example.com", display_name="Oscar")
    outsider = await create_user(db, email="outsider@other.example.com", display_name="Zed")
    org_id = await create_organization(
        db,
        name="Brand",
        members={owner: Role.owner, animator: Role.animator, observer: Role.observer},
    )
    await create_organization(db, name="Other brand", members={outsider: Role.owner})
    return Brand(org_id, owner, animator, observer, outsider)


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _endpoints(brand: Brand) -> list[tuple[str, str, dict[str, object] | None]]:
    base = f"/api/v1/organizations/{brand.id}"
    member = f"{base}/members/{brand.observer.id}"
    return [
        ("GET", base, None),
        ("PATCH", base, {"name": "Renamed"}),
        ("GET", f"{base}/members", None),
        ("POST", f"{base}/members", {"email": "new@brand.example.com", "role": "animator"}),
        ("PATCH", member, {"role": "animator"}),
        ("DELETE", member, None),
    ]


async def test_every_endpoint_requires_authentication(
    client: httpx.AsyncClient, brand: Brand
) -> None:
    for method, url, body in [("GET", "/api/v1/organizations", None), *_endpoints(brand)]:
        response = await client.request(method, url, json=body)
        assert response.status_code == 401, (method, url)
        assert response.headers["content-type"] == "application/problem+json"


async def test_foreign_organization_is_not_found_on_every_endpoint(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = auth_headers(settings, brand.outsider)
    for method, url, body in _endpoints(brand):
        response = await client.request(method, url, json=body, headers=headers)
        assert response.status_code == 404, (method, url, response.text)
        assert response.json()["code"] == "not_found"
    listed = await client.get("/api/v1/organizations", headers=headers)
    assert [item["name"] for item in listed.json()["items"]] == ["Other brand"]
    async with db.reader() as session:
        assert await session.scalar(select(AuditLogEntry.id)) is None, "nothing changed"


@pytest.mark.parametrize("role", ["animator", "observer"])
async def test_non_owners_can_read_but_not_change(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, role: str
) -> None:
    headers = auth_headers(settings, getattr(brand, role))
    for method, url, body in _endpoints(brand):
        response = await client.request(method, url, json=body, headers=headers)
        expected = 200 if method == "GET" else 403
        assert response.status_code == expected, (role, method, url, response.text)
        if expected == 403:
            assert response.json()["code"] == "forbidden"


async def test_owner_reads_and_renames_the_organization(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = auth_headers(settings, brand.owner)
    read = await client.get(f"/api/v1/organizations/{brand.id}", headers=headers)
    assert read.json()["name"] == "Brand"
    assert read.json()["my_role"] == "owner"
    renamed = await client.patch(
        f"/api/v1/organizations/{brand.id}", json={"name": "  Maison   Neuve "}, headers=headers
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Maison Neuve"
    async with db.reader() as session:
        entry = await session.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "organization.rename")
        )
    assert entry is not None and entry.actor_user_id == brand.owner.id
    assert entry.data == {"from": "Brand", "to": "Maison Neuve"}


async def test_blank_name_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.owner)
    response = await client.patch(
        f"/api/v1/organizations/{brand.id}", json={"name": "   "}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "name"]
    read = await client.get(f"/api/v1/organizations/{brand.id}", headers=headers)
    assert read.json()["name"] == "Brand"


async def test_owner_adds_changes_and_removes_members(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.owner)
    base = f"/api/v1/organizations/{brand.id}/members"
    added = await client.post(
        base,
        json={"email": "New.Person@Brand.example.com", "role": "observer", "display_name": "Nina"},
        headers=headers,
    )
    assert added.status_code == 201, added.text
    new = added.json()
    assert new["email"] == "new.person@brand.example.com"
    assert new["display_name"] == "Nina"
    again = await client.post(base, json={"email": new["email"], "role": "owner"}, headers=headers)
    assert again.status_code == 409
    assert again.json()["code"] == "conflict.member_exists"

    changed = await client.patch(
        f"{base}/{new['user_id']}", json={"role": "animator"}, headers=headers
    )
    assert changed.json()["role"] == "animator"

    removed = await client.delete(f"{base}/{new['user_id']}", headers=headers)
    assert removed.status_code == 204
    members = (await client.get(base, headers=headers)).json()["items"]
    assert new["email"] not in [m["email"] for m in members]
    assert (await client.delete(f"{base}/{new['user_id']}", headers=headers)).status_code == 404

    readded = await client.post(
        base, json={"email": new["email"], "role": "observer"}, headers=headers
    )
    assert readded.status_code == 201
    assert readded.json()["role"] == "observer"


async def test_members_list_is_cursor_paginated(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = auth_headers(settings, brand.owner)
    base = f"/api/v1/organizations/{brand.id}/members"
    for index in range(4):
        user = await create_user(db, email=f"m{index}@brand.example.com")
        response = await client.post(
            base, json={"email": user.email, "role": "observer"}, headers=headers
        )
        assert response.status_code == 201
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = (await client.get(base, params=params, headers=headers)).json()
        seen += [item["email"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    for forged in [
        "not-a-cursor",
        _b64(["2024-01-01T00:00:00+00:00", 123]),
        _b64(["0001-01-01T00:00:00+01:00", str(uuid.uuid4())]),
        _b64(["9999-12-31T23:59:59-01:00", str(uuid.uuid4())]),
        _b64(["2024-01-01T00:00:00", str(uuid.uuid4())]),
        _b64({"at": 1}),
    ]:
        bad = await client.get(base, params={"cursor": forged}, headers=headers)
        assert bad.status_code == 422, forged
        assert bad.json()["code"] == "invalid_cursor"
    too_many = await client.get(base, params={"limit": "500"}, headers=headers)
    assert too_many.status_code == 422


@pytest.mark.parametrize("name", ["a\u0000b", "tab\there", "\u0007bell", "x" * 121])
async def test_names_with_control_characters_or_too_long_are_refused(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, name: str
) -> None:
    headers = auth_headers(settings, brand.owner)
    renamed = await client.patch(
        f"/api/v1/organizations/{brand.id}", json={"name": name}, headers=headers
    )
    assert renamed.status_code == 422
    added = await client.post(
        f"/api/v1/organizations/{brand.id}/members",
        json={"email": "n@brand.example.com", "role": "observer", "display_name": name},
        headers=headers,
    )
    assert added.status_code == 422
    members = await client.get(f"/api/v1/organizations/{brand.id}/members", headers=headers)
    assert "n@brand.example.com" not in members.text


async def test_member_of_another_organization_is_not_found_under_mine(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.owner)
    foreign_member = f"/api/v1/organizations/{brand.id}/members/{brand.outsider.id}"
    assert (
        await client.patch(foreign_member, json={"role": "observer"}, headers=headers)
    ).status_code == 404
    assert (await client.delete(foreign_member, headers=headers)).status_code == 404


async def test_concurrent_adds_of_one_new_address_give_one_member_and_no_error(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.owner)
    body = {"email": "race@brand.example.com", "role": "observer"}
    results = await asyncio.gather(
        *(
            client.post(f"/api/v1/organizations/{brand.id}/members", json=body, headers=headers)
            for _ in range(4)
        )
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]
    members = (
        await client.get(f"/api/v1/organizations/{brand.id}/members", headers=headers)
    ).json()["items"]
    assert [m["email"] for m in members].count("race@brand.example.com") == 1


async def test_two_owners_demoting_each_other_at_once_leave_an_owner(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    base = f"/api/v1/organizations/{brand.id}/members"
    owner_headers = auth_headers(settings, brand.owner)
    promoted = await client.patch(
        f"{base}/{brand.animator.id}", json={"role": "owner"}, headers=owner_headers
    )
    assert promoted.status_code == 200
    results = await asyncio.gather(
        client.patch(
            f"{base}/{brand.animator.id}", json={"role": "observer"}, headers=owner_headers
        ),
        client.patch(
            f"{base}/{brand.owner.id}",
            json={"role": "observer"},
            headers=auth_headers(settings, brand.animator),
        ),
    )
    assert sorted(r.status_code for r in results)[0] == 200
    assert [r.status_code for r in results].count(200) == 1
    members = (await client.get(base, headers=owner_headers)).json()["items"]
    assert [m["role"] for m in members].count("owner") == 1


async def test_last_owner_cannot_be_demoted_or_removed(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.owner)
    me = f"/api/v1/organizations/{brand.id}/members/{brand.owner.id}"
    demoted = await client.patch(me, json={"role": "observer"}, headers=headers)
    assert demoted.status_code == 409
    assert demoted.json()["code"] == "conflict.last_owner"
    removed = await client.delete(me, headers=headers)
    assert removed.status_code == 409

    promote = await client.patch(
        f"/api/v1/organizations/{brand.id}/members/{brand.animator.id}",
        json={"role": "owner"},
        headers=headers,
    )
    assert promote.status_code == 200
    assert (await client.delete(me, headers=headers)).status_code == 204
    assert (await client.get(me.rsplit("/", 2)[0], headers=headers)).status_code == 404


async def test_only_platform_admins_create_organizations(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    owner_headers = auth_headers(settings, brand.owner)
    refused = await client.post(
        "/api/v1/organizations", json={"name": "Mine"}, headers=owner_headers
    )
    assert refused.status_code == 403

    admin = await create_user(db, email="admin@causerie.example.com", is_platform_admin=True)
    created = await client.post(
        "/api/v1/organizations",
        json={"name": "Nouvelle Marque", "owner_email": brand.animator.email},
        headers=auth_headers(settings, admin),
    )
    assert created.status_code == 201, created.text
    org_id = created.json()["id"]
    animator_view = await client.get(
        f"/api/v1/organizations/{org_id}", headers=auth_headers(settings, brand.animator)
    )
    assert animator_view.json()["my_role"] == "owner"
    me = (await client.get("/api/v1/me", headers=auth_headers(settings, brand.animator))).json()
    assert {m["organization_name"]: m["role"] for m in me["memberships"]} == {
        "Brand": "animator",
        "Nouvelle Marque": "owner",
    }
