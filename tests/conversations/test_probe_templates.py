"""Saved probe texts of an organization."""

from __future__ import annotations

import httpx

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Space
from tests.script.conftest import Stage


async def test_animators_save_edit_and_delete_probe_texts(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    async with db.reader() as session:
        organization_id = (await session.get_one(Space, stage.space_id)).organization_id
    base = f"/api/v1/organizations/{organization_id}/probe-templates"
    body = {"title": "Why?", "text": "Could you tell us **why**?"}
    assert (await client.post(base, json=body)).status_code == 401
    for who, expected in (("outsider", 404), ("rose", 404), ("observer", 403)):
        response = await client.post(base, json=body, headers=stage.headers(settings, who))
        assert response.status_code == expected, who
    created = await client.post(base, json=body, headers=stage.headers(settings, "animator"))
    assert created.status_code == 201
    template = created.json()
    listed = await client.get(base, headers=stage.headers(settings, "observer"))
    assert [t["title"] for t in listed.json()["items"]] == ["Why?"]
    one = f"/api/v1/probe-templates/{template['id']}"
    assert (
        await client.put(one, json=body, headers=stage.headers(settings, "outsider"))
    ).status_code == 404
    edited = await client.put(
        one, json={"title": "Why not?", "text": "Tell us"}, headers=stage.headers(settings, "owner")
    )
    assert edited.json()["title"] == "Why not?"
    assert (
        await client.post(
            base, json={"title": "x", "text": "   "}, headers=stage.headers(settings, "animator")
        )
    ).status_code == 422
    assert (
        await client.delete(one, headers=stage.headers(settings, "animator"))
    ).status_code == 204
    assert (await client.get(base, headers=stage.headers(settings, "animator"))).json()[
        "items"
    ] == []
