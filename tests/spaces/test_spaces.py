"""Spaces: creation and validation, status transitions, terms, Markdown, paging, audit."""

from __future__ import annotations

import base64
import json
import uuid
from html.parser import HTMLParser

import httpx
import pytest
from sqlalchemy import select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import AuditLogEntry, SpaceStatus
from tests.spaces.conftest import Brand, audit_actions
from tests.support.factories import create_space

NEW_SPACE = {"title": "Atelier", "objective": "product_feedback", "language": "en"}


def _spaces_url(brand: Brand) -> str:
    return f"/api/v1/organizations/{brand.id}/spaces"


async def _titles(client: httpx.AsyncClient, brand: Brand, headers: dict[str, str]) -> list[str]:
    listed = await client.get(_spaces_url(brand), headers=headers)
    assert listed.status_code == 200
    return [item["title"] for item in listed.json()["items"]]


async def test_animator_creates_a_draft_space_with_every_field_returned(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "animator")
    created = await client.post(
        _spaces_url(brand),
        json={
            **NEW_SPACE,
            "title": "  Atelier   des idées ",
            "description": "Parlons **produit**",
            "time_zone": "America/Montreal",
            "accent_color": "#AABBCC",
            "welcome_message": "Bienvenue",
            "terms": "Soyez courtois.",
            "invitation_ttl_days": 30,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    space = created.json()
    assert uuid.UUID(space["id"])
    assert space["organization_id"] == str(brand.id)
    assert space["title"] == "Atelier des idées"
    assert space["status"] == "draft"
    assert space["objective"] == "product_feedback"
    assert space["language"] == "en"
    assert space["time_zone"] == "America/Montreal"
    assert space["accent_color"] == "#aabbcc"
    assert space["description_html"] == "<p>Parlons <strong>produit</strong></p>\n"
    assert space["welcome_html"] == "<p>Bienvenue</p>\n"
    assert space["terms"] == "Soyez courtois."
    assert space["terms_version"] == 1
    assert space["invitation_ttl_days"] == 30
    assert space["participant_count"] == 0
    assert space["logo_url"] is None
    assert space["opened_at"] is None and space["closed_at"] is None
    assert space["archived_at"] is None

    read = await client.get(f"/api/v1/spaces/{space['id']}", headers=headers)
    assert read.json() == space
    async with db.reader() as session:
        entry = await session.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "space.create")
        )
    assert entry is not None
    assert entry.actor_user_id == brand.animator.id
    assert entry.organization_id == brand.id
    assert entry.target_id == uuid.UUID(space["id"])
    assert entry.data == {"title": "Atelier des idées"}


async def test_defaults_apply_when_only_the_required_fields_are_given(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    created = await client.post(
        _spaces_url(brand), json=NEW_SPACE, headers=brand.headers(settings, "owner")
    )
    assert created.status_code == 201
    space = created.json()
    assert (space["time_zone"], space["accent_color"]) == ("Europe/Paris", "#3344aa")
    assert (space["description"], space["description_html"]) == ("", "")
    assert space["invitation_ttl_days"] == 14


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", "europe/paris"),
        ("accent_color", "red"),
        ("accent_color", "#12345"),
        ("accent_color", "#1234567"),
        ("accent_color", "#gg0000"),
        ("accent_color", "#abcdef\n"),
        ("title", "x" * 121),
        ("title", "   "),
        ("title", "a\u0000b"),
        ("title", "tab\there"),
        ("title", "bell\u0007"),
        ("description", "nul \u0000 inside"),
        ("description", "escape \u001b[31m"),
        ("welcome_message", "x" * 10_001),
        ("terms", "\u0008"),
        ("invitation_ttl_days", 0),
        ("invitation_ttl_days", 91),
        ("objective", "world_domination"),
        ("language", "de"),
        ("unknown_field", "x"),
    ],
)
async def test_invalid_space_is_refused_as_a_problem_and_nothing_is_created(
    client: httpx.AsyncClient,
    brand: Brand,
    settings: Settings,
    db: Database,
    field: str,
    value: object,
) -> None:
    headers = brand.headers(settings, "owner")
    before = await _titles(client, brand, headers)
    response = await client.post(
        _spaces_url(brand), json={**NEW_SPACE, field: value}, headers=headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert problem["errors"][0]["loc"] == ["body", field]
    assert await _titles(client, brand, headers) == before
    assert await audit_actions(db) == []


async def test_invalid_changes_are_refused_and_leave_the_space_unchanged(
    client: httpx.AsyncClient, brand: Brand, settings: Settings
) -> None:
    headers = brand.headers(settings, "owner")
    url = f"/api/v1/spaces/{brand.space_id}"
    before = (await client.get(url, headers=headers)).json()
    for change in [
        {"time_zone": "Nowhere/Land"},
        {"accent_color": "blue"},
        {"title": "y" * 121},
        {"title": "line\nbreak"},
        {"status": "deleted"},
    ]:
        response = await client.patch(url, json=change, headers=headers)
        assert response.status_code == 422, change
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(url, headers=headers)).json() == before


async def test_status_follows_draft_open_closed_open_archived(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "animator")
    space = (await client.post(_spaces_url(brand), json=NEW_SPACE, headers=headers)).json()
    url = f"/api/v1/spaces/{space['id']}"

    skipped = await client.patch(url, json={"status": "closed"}, headers=headers)
    assert skipped.status_code == 409
    assert skipped.headers["content-type"] == "application/problem+json"
    assert skipped.json()["code"] == "space.invalid_transition"

    opened = (await client.patch(url, json={"status": "open"}, headers=headers)).json()
    assert opened["status"] == "open" and opened["opened_at"] is not None
    back_to_draft = await client.patch(url, json={"status": "draft"}, headers=headers)
    assert back_to_draft.json()["code"] == "space.invalid_transition"

    closed = (await client.patch(url, json={"status": "closed"}, headers=headers)).json()
    assert closed["status"] == "closed" and closed["closed_at"] is not None
    reopened = (await client.patch(url, json={"status": "open"}, headers=headers)).json()
    assert reopened["status"] == "open"
    assert reopened["opened_at"] == opened["opened_at"], "first opening is kept"

    archived = (await client.patch(url, json={"status": "archived"}, headers=headers)).json()
    assert archived["status"] == "archived" and archived["archived_at"] is not None

    for change in [
        {"status": "open"},
        {"status": "closed"},
        {"status": "draft"},
        {"title": "Revived"},
        {"title": "Revived", "status": "archived"},
    ]:
        refused = await client.patch(url, json=change, headers=headers)
        assert refused.status_code == 409, change
        assert refused.json()["code"] == "space.archived"
    for call in [
        client.put(f"{url}/logo", files={"file": ("l.png", b"x", "image/png")}, headers=headers),
        client.delete(f"{url}/logo", headers=headers),
        client.post(f"{url}/segments", json={"name": "Late"}, headers=headers),
    ]:
        assert (await call).json()["code"] == "space.archived"
    final = (await client.get(url, headers=headers)).json()
    assert (final["status"], final["title"]) == ("archived", "Atelier")

    async with db.reader() as session:
        updates = (
            await session.scalars(
                select(AuditLogEntry.data)
                .where(AuditLogEntry.action == "space.update")
                .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
            )
        ).all()
    assert updates == [{"fields": ["status"]}] * 4


async def test_a_draft_can_be_archived_directly(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "owner")
    draft = await create_space(db, brand.id, title="Abandoned")
    response = await client.patch(
        f"/api/v1/spaces/{draft}", json={"status": "archived"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["opened_at"] is None


async def test_changing_terms_bumps_their_version_and_audits_the_fields(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    headers = brand.headers(settings, "owner")
    url = f"/api/v1/spaces/{brand.space_id}"
    first = (await client.patch(url, json={"terms": "Rule one."}, headers=headers)).json()
    assert (first["terms"], first["terms_version"]) == ("Rule one.", 2)

    same = (await client.patch(url, json={"terms": "Rule one."}, headers=headers)).json()
    assert same["terms_version"] == 2, "unchanged terms keep their version"
    other = (
        await client.patch(
            url, json={"title": "Le Club 2", "accent_color": "#00FF00"}, headers=headers
        )
    ).json()
    assert other["terms_version"] == 2
    assert (other["title"], other["accent_color"]) == ("Le Club 2", "#00ff00")

    second = (
        await client.patch(url, json={"terms": "Rule one.\n\nRule two."}, headers=headers)
    ).json()
    assert second["terms_version"] == 3

    async with db.reader() as session:
        entries = (
            await session.scalars(
                select(AuditLogEntry)
                .where(AuditLogEntry.action == "space.update")
                .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
            )
        ).all()
    assert [entry.data for entry in entries] == [
        {"fields": ["terms"]},
        {"fields": ["accent_color", "title"]},
        {"fields": ["terms"]},
    ]
    assert {entry.actor_user_id for entry in entries} == {brand.owner.id}
    assert {entry.target_id for entry in entries} == {brand.space_id}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


DANGEROUS_MARKDOWN = "\n\n".join(
    [
        "# Title",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">raw link</a>',
        "[md link](javascript:alert(1))",
        "[mixed case](JaVaScRiPt:alert(1))",
        "[entity](java&#115;cript:alert(1))",
        "<javascript:alert(1)>",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "![image](https://tracker.example.com/pixel.png)",
        '<iframe src="https://evil.example.com"></iframe>',
        "[fine](https://example.com/page)",
    ]
)


@pytest.mark.parametrize("field", ["description", "welcome_message"])
async def test_markdown_is_rendered_to_sanitized_html(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, field: str
) -> None:
    headers = brand.headers(settings, "owner")
    created = await client.post(
        _spaces_url(brand), json={**NEW_SPACE, field: DANGEROUS_MARKDOWN}, headers=headers
    )
    assert created.status_code == 201, created.text
    space = created.json()
    assert space[field] == DANGEROUS_MARKDOWN, "the source is kept as written"
    html = space["description_html" if field == "description" else "welcome_html"]
    parser = _Tags()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert not {"script", "img", "iframe", "h1", "h2"} & set(tags), html
    assert "h3" in tags
    links = [attrs for tag, attrs in parser.tags if tag == "a"]
    for attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs[1]), html
    assert [link["href"] for link in links] == [
        "https://tracker.example.com/pixel.png",
        "https://example.com/page",
    ]
    assert all(link["rel"] == "noopener noreferrer nofollow ugc" for link in links)
    assert "<script" not in html.lower()


async def test_spaces_list_is_cursor_paginated_and_filtered_by_status(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    for index in range(5):
        await create_space(db, brand.id, title=f"Extra {index}")
    headers = brand.headers(settings, "observer")
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        response = await client.get(_spaces_url(brand), params=params, headers=headers)
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 3
        seen += [item["title"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == ["Le Club", "Sibling", *(f"Extra {index}" for index in range(5))]
    assert "Foreign" not in seen

    drafts = await client.get(_spaces_url(brand), params={"status": "draft"}, headers=headers)
    assert [item["title"] for item in drafts.json()["items"]] == [
        f"Extra {index}" for index in range(5)
    ]
    opened = await client.get(
        _spaces_url(brand), params={"status": SpaceStatus.open.value}, headers=headers
    )
    assert [item["title"] for item in opened.json()["items"]] == ["Le Club", "Sibling"]
    assert opened.json()["items"][0]["participant_count"] == 1

    forged = base64.urlsafe_b64encode(json.dumps(["x", "y"]).encode()).decode()
    for cursor_value in ["garbage", forged]:
        bad = await client.get(_spaces_url(brand), params={"cursor": cursor_value}, headers=headers)
        assert bad.status_code == 422
        assert bad.json()["code"] == "invalid_cursor"
    too_many = await client.get(_spaces_url(brand), params={"limit": "201"}, headers=headers)
    assert too_many.status_code == 422


async def test_a_live_space_greets_by_its_brand_without_sign_in_and_nothing_more(
    client: httpx.AsyncClient, brand: Brand, db: Database
) -> None:
    """The sign-in page shows the brand and the space a participant arrives from: anyone may
    read that much of an open or closed space, nothing of a draft or archived one."""
    live = await create_space(
        db, brand.id, title="Club Lumière", accent_color="#8b3a0e", status=SpaceStatus.open
    )
    answer = await client.get(f"/api/v1/spaces/{live}/welcome")
    assert answer.status_code == 200, answer.text
    welcome = answer.json()
    assert welcome["title"] == "Club Lumière"
    assert welcome["accent_color"] == "#8b3a0e"
    assert welcome["organization_name"]
    assert set(welcome) == {"title", "accent_color", "logo_url", "language", "organization_name"}
    closed = await create_space(db, brand.id, status=SpaceStatus.closed)
    assert (await client.get(f"/api/v1/spaces/{closed}/welcome")).status_code == 200
    for hidden in (
        await create_space(db, brand.id),  # a draft
        await create_space(db, brand.id, status=SpaceStatus.archived),
        uuid.uuid4(),
    ):
        missing = await client.get(f"/api/v1/spaces/{hidden}/welcome")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
    assert (await client.get("/api/v1/spaces/not-an-id/welcome")).status_code == 422
