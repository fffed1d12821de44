"""The owners' "sent e-mails" API: 401 / foreign 404 / non-owner 403 / pages newest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Role
from causerie.outbox.service import deliver_batch
from causerie.outbox.transports import KeepTransport
from tests.support.factories import (
    UserInfo,
    auth_headers,
    create_email,
    create_organization,
    create_user,
)


@dataclass(frozen=True)
class Brand:
    id: uuid.UUID
    owner: UserInfo
    animator: UserInfo
    outsider: UserInfo
    emails: list[uuid.UUID]  # oldest first
    foreign_email: uuid.UUID


@pytest.fixture
async def brand(db: Database) -> Brand:
    owner = await create_user(db, email="owner@brand.example.com")
    animator = await create_user(db, email="animator@brand.example.com")
    outsider = await create_user(db, email="outsider@other.example.com")
    org_id = await create_organization(
        db, name="Brand", members={owner: Role.owner, animator: Role.animator}
    )
    other_id = await create_organization(db, name="Other", members={outsider: Role.owner})
    emails = [
        await create_email(db, organization_id=org_id, subject=f"Message {index}")
        for index in range(5)
    ]
    foreign = await create_email(db, organization_id=other_id, subject="Other brand's")
    return Brand(org_id, owner, animator, outsider, emails, foreign)


def _urls(brand: Brand) -> list[str]:
    base = f"/api/v1/organizations/{brand.id}/emails"
    return [base, f"{base}/{brand.emails[0]}"]


async def test_emails_require_authentication(client: httpx.AsyncClient, brand: Brand) -> None:
    for url in _urls(brand):
        response = await client.get(url)
        assert response.status_code == 401, url
        assert response.headers["content-type"] == "application/problem+json"


async def test_another_organizations_emails_are_not_found(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.outsider)
    for url in _urls(brand):
        response = await client.get(url, headers=headers)
        assert response.status_code == 404, url
    # An e-mail of another organization, asked for under the caller's own organization.
    headers = auth_headers(settings, brand.owner)
    response = await client.get(
        f"/api/v1/organizations/{brand.id}/emails/{brand.foreign_email}", headers=headers
    )
    assert response.status_code == 404


async def test_only_owners_read_emails(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.animator)
    for url in _urls(brand):
        response = await client.get(url, headers=headers)
        assert response.status_code == 403, url
        assert response.json()["code"] == "forbidden"


async def test_owner_pages_through_emails_newest_first(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = auth_headers(settings, brand.owner)
    url = f"/api/v1/organizations/{brand.id}/emails"
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor is not None:
            params["cursor"] = cursor
        response = await client.get(url, params=params, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == [str(email_id) for email_id in reversed(brand.emails)]

    first = (await client.get(url, params={"limit": 1}, headers=headers)).json()["items"][0]
    assert first["subject"] == "Message 4"
    assert first["status"] == "pending"
    assert (first["body_text"], first["body_html"]) == ("Hello in text", "<p>Hello in HTML</p>")
    assert first["attempts"] == 0
    assert first["sent_at"] is None


async def test_owner_filters_by_status_and_reads_one(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    await deliver_batch(db, KeepTransport(), now=utcnow(), limit=2)  # the two oldest
    headers = auth_headers(settings, brand.owner)
    url = f"/api/v1/organizations/{brand.id}/emails"

    kept = (await client.get(url, params={"status": "kept"}, headers=headers)).json()
    assert [item["id"] for item in kept["items"]] == [str(e) for e in brand.emails[1::-1]]
    pending = (await client.get(url, params={"status": "pending"}, headers=headers)).json()
    assert len(pending["items"]) == 3

    one = await client.get(f"{url}/{brand.emails[0]}", headers=headers)
    assert one.status_code == 200
    assert one.json()["status"] == "kept"
    assert one.json()["sent_at"] is not None

    bad = await client.get(url, params={"status": "lost"}, headers=headers)
    assert bad.status_code == 422
    bad_cursor = await client.get(url, params={"cursor": "nope"}, headers=headers)
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["code"] == "invalid_cursor"
    missing = await client.get(f"{url}/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404
