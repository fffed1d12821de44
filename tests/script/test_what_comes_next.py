"""What a participant's timeline says comes next: only what surely comes — a date, or a
step they know (the prompt it follows) — and, for a diary whose entry of the day is
written, when the next entry can be."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from causerie.core.clock import utcnow
from causerie.core.settings import Settings
from tests.script.conftest import Stage, add_prompt, discussion, poll

DAY = timedelta(days=1)


async def _items(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str
) -> dict[str, dict[str, Any]]:
    response = await client.get(
        f"/api/v1/me/spaces/{stage.space_id}/timeline", headers=stage.headers(settings, who)
    )
    assert response.status_code == 200, response.text
    return {item["key"]: item for item in response.json()["items"]}


def _when(value: object) -> datetime:
    assert isinstance(value, str), value
    return datetime.fromisoformat(value)


async def test_coming_next_lists_dated_prompts_and_known_steps_only(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    lamp = await add_prompt(client, stage, settings, poll(key="lamp", title="The new lamp"))
    later = (utcnow() + 2 * DAY).replace(microsecond=0)
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="dated", release={"kind": "at", "at": later.isoformat()}),
    )
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="step", release={"kind": "after_prompt", "prompt_id": lamp["id"]}),
    )
    await add_prompt(client, stage, settings, discussion(key="manual", release={"kind": "manual"}))
    await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="branch",
            release={"kind": "when_answer", "prompt_id": lamp["id"], "option_keys": ["pricey"]},
        ),
    )
    items = await _items(client, stage, settings, "rose")
    assert set(items) == {"lamp", "dated", "step"}, "a manual or conditional prompt may never come"
    assert (items["dated"]["state"], _when(items["dated"]["opens_at"])) == ("upcoming", later)
    assert items["dated"]["follows_title"] is None
    assert (items["step"]["state"], items["step"]["opens_at"]) == ("upcoming", None)
    assert items["step"]["follows_title"] == "The new lamp"
    assert items["lamp"]["follows_title"] is None

    answered = await client.post(
        f"/api/v1/prompts/{lamp['id']}/responses",
        json={"choices": ["love"]},
        headers=stage.headers(settings, "rose"),
    )
    assert answered.status_code == 201, answered.text
    items = await _items(client, stage, settings, "rose")
    assert set(items) == {"lamp", "dated", "step"}, "the branch not taken stays unlisted"
    assert (items["step"]["state"], items["step"]["follows_title"]) == ("open", None)


async def test_a_diary_says_when_its_next_entry_can_be_written(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    opened = (utcnow() - DAY - timedelta(hours=3)).replace(microsecond=0)
    diary = await add_prompt(
        client,
        stage,
        settings,
        {
            **discussion(key="diary", release={"kind": "at", "at": opened.isoformat()}),
            "kind": "diary",
            "diary": {"entries": 3, "period": "day"},
        },
    )
    assert (await _items(client, stage, settings, "rose"))["diary"]["next_entry_at"] is None
    entry = await client.post(
        f"/api/v1/prompts/{diary['id']}/responses",
        json={"text": "Day two"},
        headers=stage.headers(settings, "rose"),
    )
    assert entry.status_code == 201, entry.text
    item = (await _items(client, stage, settings, "rose"))["diary"]
    assert (item["state"], item["entries_done"]) == ("open", 1)
    assert _when(item["next_entry_at"]) == opened + 2 * DAY
    again = await client.post(
        f"/api/v1/prompts/{diary['id']}/responses",
        json={"text": "Day two again"},
        headers=stage.headers(settings, "rose"),
    )
    assert again.status_code == 409, "one entry per day: the form waits for the next"
    assert (await _items(client, stage, settings, "jules"))["diary"]["next_entry_at"] is None
