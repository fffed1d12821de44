"""A small, complete world for the schema-driven tests: one of every kind of object.

The brand of ``tests/script``'s stage (owner, animator, observer, three participants, two
segments, an open space) plus, made through the API as people would: prompts of each kind,
answers, replies, a probe, backroom notes, a probe template, invitations, an invitation
import, a logo, and an e-mail in the outbox. ``known_ids`` then lists the ids of every row
by the path parameter that names them (``space_id``, ``prompt_id`` …), so the fuzzer can aim
at real objects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Table, select

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Base
from tests.script.conftest import Stage, stage
from tests.spaces.images import png
from tests.support.factories import PASSWORD, create_email

__all__ = ["World", "stage", "world"]

# Path parameters whose table is not simply the name without ``_id``.
TABLE_OF_PARAMETER = {
    "email_id": "outbox_message",
    "import_id": "invitation_import",
    "template_id": "probe_template",
    "session_id": "auth_session",
}


@dataclass
class World:
    stage: Stage
    organization_id: uuid.UUID
    # Person -> the Authorization header of a session they opened by signing in.
    headers: dict[str, dict[str, str]]

    @property
    def reads(self) -> dict[str, list[str]]:
        """Role -> what it can read at the start (and should still read at the end)."""
        space = f"/api/v1/spaces/{self.stage.space_id}"
        staff = [space, f"/api/v1/organizations/{self.organization_id}", f"{space}/prompts"]
        return {
            "anonymous": ["/api/v1/health"],
            "participant": [
                f"/api/v1/me/spaces/{self.stage.space_id}",
                f"/api/v1/me/spaces/{self.stage.space_id}/timeline",
            ],
            "observer": staff,
            "animator": staff,
            "owner": staff,
        }


def table_for(parameter: str) -> Table | None:
    name = TABLE_OF_PARAMETER.get(parameter)
    if name is None and parameter.endswith("_id"):
        name = parameter.removesuffix("_id")
    return Base.metadata.tables.get(name) if name else None


async def known_ids(database: Database, parameters: set[str]) -> dict[str, list[str]]:
    """For each path parameter naming a table, the ids of the rows it holds."""
    found: dict[str, list[str]] = {}
    async with database.reader() as session:
        for parameter in sorted(parameters):
            table = table_for(parameter)
            if table is None or "id" not in table.c:
                continue
            rows = await session.execute(select(table.c.id).order_by(table.c.id))
            found[parameter] = [str(value) for value in rows.scalars()]
    return found


def stored_files(settings: Settings) -> list[str]:
    root: Path = settings.data_dir / "uploads"
    return sorted(p.name for p in root.iterdir() if p.is_file()) if root.is_dir() else []


def _prompt(kind: str, title: str, **extra: object) -> dict[str, object]:
    return {
        "kind": kind,
        "title": title,
        "status": "published",
        "visibility": "open",
        "release": {"kind": "at", "at": (utcnow() - timedelta(hours=1)).isoformat()},
        **extra,
    }


PROMPTS = [
    _prompt("discussion", "First impressions"),
    _prompt(
        "poll",
        "The new lamp",
        poll={"options": [{"key": "love", "label": "I love it"}, {"key": "no", "label": "No"}]},
    ),
    _prompt("rating", "How likely", rating={"min": 0, "max": 10}),
    _prompt("diary", "Your week", diary={"entries": 3, "period": "day"}),
    {**_prompt("discussion", "Later"), "status": "draft", "release": {"kind": "manual"}},
]
ANSWERS = {
    "discussion": {"text": "I like the colour."},
    "poll": {"choices": ["love"]},
    "rating": {"rating": 7},
    "diary": {"text": "Day one."},
}


async def sign_in(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    body = {"email": email, "password": PASSWORD}
    token = await _call(client, "POST", "/api/v1/auth/login", {}, 200, json=body)
    return {"Authorization": f"Bearer {token['access_token']}"}


async def _call(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    headers: dict[str, str],
    expected: int,
    **kwargs: object,
) -> dict[str, object]:
    response = await client.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == expected, f"{method} {url}: {response.text}"
    result: dict[str, object] = response.json()
    return result


@pytest.fixture
async def world(stage: Stage, client: httpx.AsyncClient, settings: Settings, db: Database) -> World:
    headers = {
        who: await sign_in(client, stage.people[who].email)
        for who in ("owner", "animator", "observer", "rose", "jules")
    }
    owner, animator, rose = headers["owner"], headers["animator"], headers["rose"]
    space = f"/api/v1/spaces/{stage.space_id}"
    me = await _call(client, "GET", "/api/v1/organizations", owner, 200)
    organization_id = uuid.UUID(str(me["items"][0]["id"]))  # type: ignore[index]

    for body in PROMPTS:
        prompt = await _call(client, "POST", f"{space}/prompts", animator, 201, json=body)
        answer = ANSWERS.get(str(prompt["kind"]))
        if body["status"] != "published" or answer is None:
            continue
        for who in ("rose", "jules"):
            await _call(
                client,
                "POST",
                f"/api/v1/prompts/{prompt['id']}/responses",
                headers[who],
                201,
                json=answer,
            )

    first = (await _call(client, "GET", f"{space}/prompts", animator, 200))["items"][0]  # type: ignore[index]
    answers = await _call(client, "GET", f"/api/v1/prompts/{first['id']}/responses", animator, 200)
    response_id = answers["items"][0]["id"]  # type: ignore[index]
    responses_url = f"/api/v1/responses/{response_id}"
    reply = await _call(
        client, "POST", f"{responses_url}/replies", rose, 201, json={"text": "Me too"}
    )
    await _call(client, "POST", f"{responses_url}/replies", animator, 201, json={"text": "Thanks!"})
    await _call(client, "POST", f"{responses_url}/reactions", rose, 200, json={"kind": "thumbs_up"})
    await _call(
        client,
        "POST",
        f"{responses_url}/probes",
        animator,
        201,
        json={"text": "Which colour exactly?", "visibility": "public"},
    )
    await _call(client, "POST", f"{responses_url}/notes", animator, 201, json={"text": "Ask R&D"})
    await _call(
        client, "POST", f"/api/v1/replies/{reply['id']}/notes", owner, 201, json={"text": "Note"}
    )
    await _call(
        client,
        "POST",
        f"/api/v1/organizations/{organization_id}/probe-templates",
        owner,
        201,
        json={"title": "Why", "text": "Tell us why"},
    )
    await _call(
        client, "POST", f"{space}/invitations", owner, 201, json={"email": "new@example.com"}
    )
    await _call(
        client,
        "POST",
        f"/api/v1/organizations/{organization_id}/invitations",
        owner,
        201,
        json={"email": "staff@example.com", "role": "animator"},
    )
    await _call(
        client,
        "POST",
        f"{space}/invitations/import",
        owner,
        201,
        files={"file": ("people.csv", b"email,segments,display_name\nlea@example.com,VIP,Lea\n")},
    )
    await _call(
        client, "PUT", f"{space}/logo", owner, 200, files={"file": ("logo.png", png(), "image/png")}
    )
    await create_email(db, organization_id=organization_id)

    return World(stage=stage, organization_id=organization_id, headers=headers)
