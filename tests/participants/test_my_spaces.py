"""The participant's side: my spaces, my pseudonym and preferences, leaving, my peers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Participant, ParticipantStatus, SpaceStatus
from causerie.participants.my_spaces import LAST_SEEN_PRECISION
from tests.participants.conftest import People
from tests.spaces.conftest import Brand
from tests.support.factories import add_participant, auth_headers, create_space


def _calls(space_id: uuid.UUID) -> list[tuple[str, str, dict[str, object] | None]]:
    base = f"/api/v1/me/spaces/{space_id}"
    return [
        ("GET", base, None),
        ("PATCH", base, {"pseudonym": "Someone new"}),
        ("POST", f"{base}/visit", None),
        ("POST", f"{base}/leave", None),
        ("GET", f"{base}/participants", None),
    ]


def auth_for(brand: Brand, people: People, settings: Settings, who: str) -> dict[str, str]:
    return auth_headers(settings, getattr(people, who))


async def _my_titles(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    response = await client.get("/api/v1/me/spaces", headers=headers)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


async def _peers(
    client: httpx.AsyncClient, space_id: uuid.UUID, headers: dict[str, str]
) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/me/spaces/{space_id}/participants", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_every_participant_endpoint_requires_authentication(
    client: httpx.AsyncClient, brand: Brand
) -> None:
    for method, url, body in [("GET", "/api/v1/me/spaces", None), *_calls(brand.space_id)]:
        response = await client.request(method, url, json=body)
        assert response.status_code == 401, (method, url)
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("who", ["outsider", "owner", "observer"])
async def test_a_space_i_do_not_take_part_in_is_not_found(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, who: str
) -> None:
    """Staff of the space, and people of other organizations, are not its participants."""
    headers = brand.headers(settings, who)
    for space_id in [brand.space_id, brand.foreign_space_id, uuid.uuid4()]:
        for method, url, body in _calls(space_id):
            response = await client.request(method, url, json=body, headers=headers)
            assert response.status_code == 404, (who, method, url, response.text)
            assert response.json()["code"] == "not_found"
    assert await _my_titles(client, headers) == []
    still_there = await client.get(
        f"/api/v1/me/spaces/{brand.space_id}", headers=brand.headers(settings, "member")
    )
    assert still_there.json()["pseudonym"] == "Mimi"


async def test_my_spaces_lists_only_the_spaces_i_take_part_in(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings, db: Database
) -> None:
    gone = await create_space(db, brand.id, title="Left long ago", status=SpaceStatus.open)
    await add_participant(db, gone, brand.member, "Former", status=ParticipantStatus.left)
    headers = brand.headers(settings, "member")
    response = await client.get("/api/v1/me/spaces", headers=headers)
    items = response.json()["items"]
    assert [(item["title"], item["organization_name"]) for item in items] == [
        ("Le Club", "Brand"),
        ("Sibling", "Brand"),
        ("Foreign", "Other"),
    ]
    club = items[0]
    assert club["space_id"] == str(brand.space_id)
    assert club["participant_id"] == str(brand.participant_id)
    assert club["pseudonym"] == "Mimi"
    assert club["status"] == "active"
    assert club["space_status"] == "open"
    assert club["email_notifications"] == "immediate"
    assert club["segments"] == ["VIP"]
    assert club["accent_color"] == "#3344aa"
    assert club["language"] == "fr"
    assert club["logo_url"] is None
    assert set(club) >= {"description_html", "welcome_html", "joined_at"}
    assert "email" not in club

    first = (await client.get("/api/v1/me/spaces", params={"limit": "2"}, headers=headers)).json()
    rest = (
        await client.get(
            "/api/v1/me/spaces", params={"cursor": first["next_cursor"]}, headers=headers
        )
    ).json()
    assert [item["title"] for item in first["items"] + rest["items"]] == [
        "Le Club",
        "Sibling",
        "Foreign",
    ]
    assert await _my_titles(client, brand.headers(settings, "owner")) == []
    assert await _my_titles(client, auth_for(brand, people, settings, "cat")) == []


@contextmanager
def _statements(app: FastAPI) -> Iterator[list[str]]:
    """The SQL the app runs meanwhile."""
    statements: list[str] = []
    engine = app.state.database.engine.sync_engine

    def before_cursor_execute(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


async def _last_seen(client: httpx.AsyncClient, brand: Brand, settings: Settings) -> str | None:
    """Mimi's last visit, as the staff see it."""
    staff = await client.get(
        f"/api/v1/spaces/{brand.space_id}/participants", headers=brand.headers(settings, "owner")
    )
    [mimi] = [item for item in staff.json()["items"] if item["pseudonym"] == "Mimi"]
    last_seen: str | None = mimi["last_seen_at"]
    return last_seen


async def test_reading_my_space_shows_it_and_writes_nothing(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, app: FastAPI
) -> None:
    with _statements(app) as statements:
        response = await client.get(
            f"/api/v1/me/spaces/{brand.space_id}", headers=brand.headers(settings, "member")
        )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["segments"]) == ("Le Club", ["VIP"])
    writes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert writes == [], "reading my space is a read"
    assert await _last_seen(client, brand, settings) is None, "a read records no visit"


async def test_visiting_my_space_shows_the_staff_when_i_last_came_to_within_minutes(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, db: Database
) -> None:
    url = f"/api/v1/me/spaces/{brand.space_id}/visit"
    headers = brand.headers(settings, "member")
    visited = await client.post(url, headers=headers)
    assert visited.status_code == 204, visited.text
    assert visited.content == b""
    first = await _last_seen(client, brand, settings)
    assert first is not None
    # I read my last visit too, to see what is new since.
    mine = await client.get(f"/api/v1/me/spaces/{brand.space_id}", headers=headers)
    assert mine.json()["last_seen_at"] == first

    assert (await client.post(url, headers=headers)).status_code == 204
    assert await _last_seen(client, brand, settings) == first, "a visit soon after writes nothing"

    long_ago = utcnow() - LAST_SEEN_PRECISION - LAST_SEEN_PRECISION
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == brand.participant_id)
            .values(last_seen_at=long_ago)
        )
    assert (await client.post(url, headers=headers)).status_code == 204
    latest = await _last_seen(client, brand, settings)
    assert latest is not None
    assert datetime.fromisoformat(latest) >= datetime.fromisoformat(first), "a later visit counts"


async def test_i_change_my_pseudonym_and_everyone_sees_it(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    url = f"/api/v1/me/spaces/{brand.space_id}"
    headers = brand.headers(settings, "member")
    changed = await client.patch(url, json={"pseudonym": "  Mimi   la  Grande "}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["pseudonym"] == "Mimi la Grande"
    recased = await client.patch(url, json={"pseudonym": "MIMI LA GRANDE"}, headers=headers)
    assert recased.status_code == 200, "my own pseudonym in another case is mine"
    peers = await _peers(client, brand.space_id, auth_for(brand, people, settings, "ann"))
    assert [peer["pseudonym"] for peer in peers] == ["MIMI LA GRANDE", "Annie"]
    staff = await client.get(
        f"/api/v1/spaces/{brand.space_id}/participants",
        params={"q": "grande"},
        headers=brand.headers(settings, "observer"),
    )
    assert [item["pseudonym"] for item in staff.json()["items"]] == ["MIMI LA GRANDE"]
    # The same pseudonym as someone in another space is fine.
    elsewhere = await client.patch(
        f"/api/v1/me/spaces/{brand.sibling_space_id}", json={"pseudonym": "Annie"}, headers=headers
    )
    assert elsewhere.status_code == 200


@pytest.mark.parametrize("taken", ["Annie", "annie", "  ANNIE ", "Bobby"])
async def test_a_pseudonym_taken_in_the_space_is_refused_whatever_its_case(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings, taken: str
) -> None:
    url = f"/api/v1/me/spaces/{brand.space_id}"
    headers = brand.headers(settings, "member")
    response = await client.patch(
        url, json={"pseudonym": taken, "email_notifications": "off"}, headers=headers
    )
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "participant.pseudonym_taken"
    for address in people.emails:
        assert address not in response.text
    mine = (await client.get(url, headers=headers)).json()
    assert (mine["pseudonym"], mine["email_notifications"]) == ("Mimi", "immediate")


@pytest.mark.parametrize(
    "body",
    [
        {"pseudonym": "x"},
        {"pseudonym": "y" * 41},
        {"pseudonym": "   "},
        {"pseudonym": "nul\u0000byte"},
        {"email_notifications": "hourly"},
        {"status": "active"},
    ],
)
async def test_invalid_changes_to_my_participation_are_refused(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, body: dict[str, object]
) -> None:
    url = f"/api/v1/me/spaces/{brand.space_id}"
    headers = brand.headers(settings, "member")
    response = await client.patch(url, json=body, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(url, headers=headers)).json()["pseudonym"] == "Mimi"


@pytest.mark.parametrize("preference", ["digest", "off", "immediate"])
async def test_i_choose_how_the_space_emails_me(
    client: httpx.AsyncClient, brand: Brand, settings: Settings, preference: str
) -> None:
    url = f"/api/v1/me/spaces/{brand.space_id}"
    headers = brand.headers(settings, "member")
    changed = await client.patch(url, json={"email_notifications": preference}, headers=headers)
    assert changed.status_code == 200
    assert changed.json()["email_notifications"] == preference
    assert changed.json()["pseudonym"] == "Mimi"
    assert (await client.get(url, headers=headers)).json()["email_notifications"] == preference
    other = await client.get(f"/api/v1/me/spaces/{brand.sibling_space_id}", headers=headers)
    assert other.json()["email_notifications"] == "immediate", "per space"


async def test_after_leaving_the_space_disappears_and_i_vanish_from_my_peers(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    headers = brand.headers(settings, "member")
    ann = auth_for(brand, people, settings, "ann")
    before = [peer["pseudonym"] for peer in await _peers(client, brand.space_id, ann)]
    assert before == ["Mimi", "Annie"]

    left = await client.post(f"/api/v1/me/spaces/{brand.space_id}/leave", headers=headers)
    assert left.status_code == 204
    assert await _my_titles(client, headers) == ["Sibling", "Foreign"]
    for method, url, body in _calls(brand.space_id):
        response = await client.request(method, url, json=body, headers=headers)
        assert response.status_code == 404, (method, url)
    assert [peer["pseudonym"] for peer in await _peers(client, brand.space_id, ann)] == ["Annie"]

    staff = await client.get(
        f"/api/v1/spaces/{brand.space_id}/participants",
        params={"status": "left"},
        headers=brand.headers(settings, "owner"),
    )
    assert [item["pseudonym"] for item in staff.json()["items"]] == ["Mimi", "Kitty"]
    space = await client.get(
        f"/api/v1/spaces/{brand.space_id}", headers=brand.headers(settings, "owner")
    )
    assert space.json()["participant_count"] == 1


async def test_peers_are_the_active_participants_by_pseudonym_only(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    peers = await _peers(client, brand.space_id, brand.headers(settings, "member"))
    assert [peer["pseudonym"] for peer in peers] == ["Mimi", "Annie"]
    assert all(set(peer) == {"id", "pseudonym", "joined_at"} for peer in peers)
    assert peers[1]["id"] == str(people.ann_id)


async def test_no_participant_response_ever_contains_another_persons_address(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    """Each participant, on every endpoint of their side, sees no one else's address."""
    everyone = {
        "member": brand.member.email,
        "ann": people.ann.email,
        "bob": people.bob.email,
        "cat": people.cat.email,
        "owner": brand.owner.email,
        "animator": brand.animator.email,
        "observer": brand.observer.email,
        "outsider": brand.outsider.email,
    }
    viewers = {
        "member": (brand.headers(settings, "member"), "Mimi", "Annie"),
        "ann": (auth_for(brand, people, settings, "ann"), "Annie", "Mimi"),
    }
    base = f"/api/v1/me/spaces/{brand.space_id}"
    seen: list[tuple[str, httpx.Response]] = []
    for who, (headers, mine, taken) in viewers.items():
        calls = [
            (200, client.get("/api/v1/me/spaces", headers=headers)),
            (200, client.get(base, headers=headers)),
            (200, client.get(f"{base}/participants", headers=headers)),
            (200, client.get(f"{base}/participants", params={"limit": "1"}, headers=headers)),
            (200, client.patch(base, json={"email_notifications": "digest"}, headers=headers)),
            (409, client.patch(base, json={"pseudonym": taken}, headers=headers)),
            (200, client.patch(base, json={"pseudonym": mine.upper()}, headers=headers)),
        ]
        for expected, call in calls:
            response = await call
            assert response.status_code == expected, (who, response.url, response.text)
            seen.append((who, response))
    for who, (headers, _mine, _taken) in viewers.items():
        left = await client.post(f"{base}/leave", headers=headers)
        after = await client.get(base, headers=headers)
        assert (left.status_code, after.status_code) == (204, 404)
        seen += [(who, left), (who, after)]
    for who, response in seen:
        for name, address in everyone.items():
            if name != who:
                assert address.casefold() not in response.text.casefold(), (who, response.url)


async def test_two_participants_claiming_one_pseudonym_at_once_get_one_success(
    client: httpx.AsyncClient, brand: Brand, people: People, settings: Settings
) -> None:
    url = f"/api/v1/me/spaces/{brand.space_id}"
    results = await asyncio.gather(
        client.patch(url, json={"pseudonym": "Star"}, headers=brand.headers(settings, "member")),
        client.patch(
            url, json={"pseudonym": "STAR"}, headers=auth_for(brand, people, settings, "ann")
        ),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    peers = await _peers(client, brand.space_id, brand.headers(settings, "member"))
    assert sorted(peer["pseudonym"].casefold() for peer in peers).count("star") == 1
