"""A prompt's Markdown body is rendered once, when written: reads serve the stored HTML,
and the migration that introduced it rendered the prompts already there."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy import select

from causerie.core import markdown
from causerie.core.database import Database
from causerie.core.migrations import alembic_config, upgrade_async
from causerie.core.settings import Settings
from causerie.models import (
    Organization,
    Prompt,
    PromptKind,
    Space,
    SpaceLanguage,
    SpaceObjective,
)
from tests.script.conftest import Stage, add_prompt, discussion
from tests.support.databases import PostgresDatabases, SqliteDatabases

BODY = "Tell us **everything**"
HTML = "<p>Tell us <strong>everything</strong></p>\n"


async def test_reading_a_prompt_serves_the_html_rendered_when_it_was_written(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(body=BODY))
    assert prompt["body_html"] == HTML

    def no_rendering(_source: str) -> str:
        raise AssertionError("Markdown rendered on a read")

    monkeypatch.setattr(markdown._markdown, "render", no_rendering)
    timeline = await client.get(
        f"/api/v1/me/spaces/{stage.space_id}/timeline", headers=stage.headers(settings, "rose")
    )
    assert timeline.status_code == 200, timeline.text
    assert [item["body_html"] for item in timeline.json()["items"]] == [HTML]
    studio = await client.get(
        f"/api/v1/prompts/{prompt['id']}", headers=stage.headers(settings, "animator")
    )
    assert studio.status_code == 200, studio.text
    assert studio.json()["body_html"] == HTML


async def test_changing_the_body_renders_it_again(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(body=BODY))
    changed = await client.put(
        f"/api/v1/prompts/{prompt['id']}",
        json=discussion(body="Now *this*"),
        headers=stage.headers(settings, "animator"),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["body_html"] == "<p>Now <em>this</em></p>\n"


async def test_the_migration_renders_the_prompts_already_there(
    databases: SqliteDatabases | PostgresDatabases, tmp_path: Path
) -> None:
    if isinstance(databases, PostgresDatabases):
        url = await databases.create("bodyhtml")
    else:
        url = SqliteDatabases.url(tmp_path / "bodyhtml.db")
        await upgrade_async(url)
    database = Database.from_url(url)
    try:
        async with database.writer() as session, session.begin():
            organization = Organization(name="Maison")
            session.add(organization)
            await session.flush()
            space = Space(
                organization_id=organization.id,
                title="Club",
                objective=SpaceObjective.product_feedback,
                language=SpaceLanguage.en,
            )
            session.add(space)
            await session.flush()
            prompt_id = uuid.uuid4()
            session.add(
                Prompt(
                    id=prompt_id,
                    organization_id=organization.id,
                    space_id=space.id,
                    key="first",
                    position=0,
                    kind=PromptKind.discussion,
                    title="First",
                    body=BODY,
                )
            )
        await database.dispose()
        config = alembic_config(url)
        await asyncio.to_thread(command.downgrade, config, "0012_live_events")
        await asyncio.to_thread(command.upgrade, config, "head")
        async with database.reader() as session:
            stored = await session.scalar(select(Prompt.body_html).where(Prompt.id == prompt_id))
        assert stored == HTML
    finally:
        await database.dispose()
