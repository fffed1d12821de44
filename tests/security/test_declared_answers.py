"""Answers schemathesis found outside the OpenAPI contract, pinned one by one."""

from __future__ import annotations

import httpx
import yaml
from fastapi import FastAPI
from sqlalchemy import update

from causerie.core.database import Database
from causerie.models import Space, SpaceStatus
from tests.security.conftest import World


async def test_nudging_in_a_closed_space_is_a_declared_conflict(
    world: World, client: httpx.AsyncClient, db: Database, app: FastAPI
) -> None:
    space = f"/api/v1/spaces/{world.stage.space_id}"
    animator = world.headers["animator"]
    prompts = (await client.get(f"{space}/prompts", headers=animator)).json()["items"]
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Space).where(Space.id == world.stage.space_id).values(status=SpaceStatus.closed)
        )

    nudged = await client.post(f"/api/v1/prompts/{prompts[0]['id']}/nudge", headers=animator)

    assert nudged.status_code == 409
    assert nudged.json()["code"] == "space.read_only"
    operation = app.openapi()["paths"]["/api/v1/prompts/{prompt_id}/nudge"]["post"]
    assert "409" in operation["responses"]


async def test_the_yaml_script_export_is_described_as_the_script_document(
    world: World, client: httpx.AsyncClient, app: FastAPI
) -> None:
    exported = await client.get(
        f"/api/v1/spaces/{world.stage.space_id}/script",
        params={"format": "yaml"},
        headers=world.headers["owner"],
    )

    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    assert set(yaml.safe_load(exported.text)) <= {"version", "prompts"}
    operation = app.openapi()["paths"]["/api/v1/spaces/{space_id}/script"]["get"]
    described = operation["responses"]["200"]["content"]["application/yaml"]["schema"]
    assert described == {"$ref": "#/components/schemas/ScriptDocument"}
