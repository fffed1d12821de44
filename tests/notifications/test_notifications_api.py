"""My notifications: newest first, unread count, mark read; nobody reads another's."""

from __future__ import annotations

import httpx

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.notifications.release import release_tick
from tests.script.conftest import Stage, add_prompt, discussion


async def test_list_and_mark_read(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    for key in ("first", "second", "third"):
        await add_prompt(client, stage, settings, discussion(key=key, title=key.title()))
    await release_tick(db, settings)
    url = "/api/v1/me/notifications"
    assert (await client.get(url)).status_code == 401
    rose = stage.headers(settings, "rose")
    page = (await client.get(url, params={"limit": 2}, headers=rose)).json()
    assert page["unread_count"] == 3
    assert len(page["items"]) == 2
    assert page["next_cursor"] is not None
    rest = (await client.get(url, params={"cursor": page["next_cursor"]}, headers=rose)).json()
    titles = [n["title"] for n in page["items"] + rest["items"]]
    assert sorted(titles) == ["First", "Second", "Third"]
    one = page["items"][0]["id"]
    other = await client.post(f"{url}/{one}/read", headers=stage.headers(settings, "jules"))
    assert other.status_code == 404, "someone else's notification is not found"
    read = await client.post(f"{url}/{one}/read", headers=rose)
    assert read.json()["read_at"] is not None
    assert (await client.get(url, headers=rose)).json()["unread_count"] == 2
    assert (await client.post(f"{url}/read-all", headers=rose)).json() == {"unread_count": 0}
    assert (await client.get(url, headers=rose)).json()["unread_count"] == 0
    assert (await client.get(url, headers=stage.headers(settings, "jules"))).json()[
        "unread_count"
    ] == 3
