"""The script as a YAML/JSON document: export, import (validated in full), copy, round trip."""

from __future__ import annotations

import httpx
import yaml

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Segment, Space, SpaceLanguage, SpaceObjective, SpaceStatus
from tests.script.conftest import Stage, add_prompt, discussion, poll

SCRIPT = """\
version: 1
prompts:
- key: welcome
  kind: discussion
  title: Bienvenue !
  body: Présentez-vous en **quelques mots**.
  status: published
  visibility: open
  release:
    kind: at
    at: 2027-03-29T09:00:00
- key: lamp
  kind: poll
  title: La nouvelle lampe
  status: published
  segments: [VIP]
  poll:
    options:
    - {key: love, label: J'adore}
    - {key: pricey, label: Trop chère}
  release:
    kind: after_prompt
    after: welcome
- key: why-pricey
  kind: discussion
  title: Pourquoi trop chère ?
  visibility: private
  release:
    kind: when_answer
    after: lamp
    options: [pricey]
  close:
    kind: after_open
    delay_minutes: 2880
- key: evenings
  kind: diary
  title: La lampe dans vos soirées
  diary: {entries: 5, period: day}
  release:
    kind: after_join
    delay_minutes: 1440
"""


async def _put(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, text: str, who: str = "animator"
) -> httpx.Response:
    return await client.put(
        f"/api/v1/spaces/{stage.space_id}/script",
        content=text.encode(),
        headers={**stage.headers(settings, who), "Content-Type": "application/yaml"},
    )


async def _yaml(client: httpx.AsyncClient, stage: Stage, settings: Settings) -> str:
    response = await client.get(
        f"/api/v1/spaces/{stage.space_id}/script",
        params={"format": "yaml"},
        headers=stage.headers(settings, "observer"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    return response.text


async def test_import_then_export_round_trips(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    imported = await _put(client, stage, settings, SCRIPT)
    assert imported.status_code == 200, imported.text
    assert [p["key"] for p in imported.json()["prompts"]] == [
        "welcome",
        "lamp",
        "why-pricey",
        "evenings",
    ]
    first = await _yaml(client, stage, settings)
    data = yaml.safe_load(first)
    assert data["prompts"][0]["release"]["at"] == "2027-03-29T09:00:00+02:00", "local time, DST"
    assert data["prompts"][1]["segments"] == ["VIP"]
    assert data["prompts"][2]["release"] == {
        "kind": "when_answer",
        "after": "lamp",
        "options": ["pricey"],
    }
    again = await _put(client, stage, settings, first)
    assert again.status_code == 200, again.text
    assert await _yaml(client, stage, settings) == first
    prompts = await client.get(
        f"/api/v1/spaces/{stage.space_id}/prompts", headers=stage.headers(settings, "animator")
    )
    assert len(prompts.json()["items"]) == 4, "re-import updates, it does not duplicate"


async def test_json_export_and_import_work_too(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    await _put(client, stage, settings, SCRIPT)
    url = f"/api/v1/spaces/{stage.space_id}/script"
    exported = (await client.get(url, headers=stage.headers(settings, "animator"))).json()
    exported["prompts"] = exported["prompts"][:2]
    replaced = await client.put(url, json=exported, headers=stage.headers(settings, "animator"))
    assert replaced.status_code == 200, replaced.text
    assert [p["key"] for p in replaced.json()["prompts"]] == ["welcome", "lamp"]


async def test_invalid_documents_change_nothing_and_name_the_prompt(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    existing = await add_prompt(client, stage, settings, discussion(key="kept"))
    cases = [
        ("prompts: [{key: a, kind: discussion}]", "prompt 'a', title"),
        (SCRIPT.replace("segments: [VIP]", "segments: [Gold]"), "'lamp', segments"),
        (SCRIPT.replace("after: welcome", "after: nowhere"), "'lamp', release.after"),
        (SCRIPT.replace("options: [pricey]", "options: [cheap]"), "'why-pricey'"),
        (SCRIPT.replace("key: evenings", "key: welcome"), "used twice"),
        ("{not yaml: [", "cannot be read"),
        (SCRIPT.replace("    after: welcome", "    after: why-pricey"), "cycle"),
    ]
    for text, fragment in cases:
        response = await _put(client, stage, settings, text)
        assert response.status_code == 422, (fragment, response.text)
        assert fragment in response.json()["detail"], response.json()["detail"]
    listed = await client.get(
        f"/api/v1/spaces/{stage.space_id}/prompts", headers=stage.headers(settings, "animator")
    )
    assert [p["key"] for p in listed.json()["items"]] == [existing["key"]]


async def test_answered_prompts_cannot_be_dropped_by_an_import(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    lamp = await add_prompt(client, stage, settings, poll(key="answered"))
    await client.post(
        f"/api/v1/prompts/{lamp['id']}/responses",
        json={"choices": ["love"]},
        headers=stage.headers(settings, "rose"),
    )
    response = await _put(client, stage, settings, SCRIPT)
    assert response.status_code == 409
    assert "'answered'" in response.json()["detail"]


async def test_script_endpoints_answer_401_404_403(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    url = f"/api/v1/spaces/{stage.space_id}/script"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=stage.headers(settings, "outsider"))).status_code == 404
    assert (await client.get(url, headers=stage.headers(settings, "rose"))).status_code == 404
    assert (await _put(client, stage, settings, SCRIPT, who="observer")).status_code == 403
    assert (await _put(client, stage, settings, SCRIPT, who="outsider")).status_code == 404


async def test_a_script_is_copied_into_another_space(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    await _put(client, stage, settings, SCRIPT)
    async with db.writer() as session, session.begin():
        source = await session.get_one(Space, stage.space_id)
        target = Space(
            organization_id=source.organization_id,
            title="Club 2",
            objective=SpaceObjective.image,
            language=SpaceLanguage.fr,
            time_zone="America/Montreal",
            status=SpaceStatus.draft,
        )
        session.add(target)
        await session.flush()
        session.add(
            Segment(
                organization_id=source.organization_id,
                space_id=target.id,
                name="vip",
                name_key="vip",
            )
        )
        target_id = target.id
    copied = await client.post(
        f"/api/v1/spaces/{target_id}/script/copy",
        json={"from_space_id": str(stage.space_id)},
        headers=stage.headers(settings, "animator"),
    )
    assert copied.status_code == 200, copied.text
    prompts = copied.json()["prompts"]
    assert [p["key"] for p in prompts] == ["welcome", "lamp", "why-pricey", "evenings"]
    assert prompts[1]["segments"] == ["vip"], "segments are matched by name in the target"
    assert prompts[0]["release"]["at"] == "2027-03-29T03:00:00-04:00", "same instant, new zone"
    foreign = await client.post(
        f"/api/v1/spaces/{target_id}/script/copy",
        json={"from_space_id": str(stage.space_id)},
        headers=stage.headers(settings, "outsider"),
    )
    assert foreign.status_code == 404
