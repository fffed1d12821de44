"""The script as a YAML/JSON document: export, import (validated in full), copy, round trip."""

from __future__ import annotations

import time
from types import SimpleNamespace

import httpx
import pytest
import yaml

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Segment, Space, SpaceLanguage, SpaceObjective, SpaceStatus
from causerie.script import document
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


def _never_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """The object-building parsers must not see a hostile document (the event scan may)."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the parser was invoked on a document it must not read")

    monkeypatch.setattr(yaml, "load", refuse)
    monkeypatch.setattr(yaml, "safe_load", refuse)
    monkeypatch.setattr(document, "json", SimpleNamespace(loads=refuse))


async def _put_timed(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, body: str, content_type: str
) -> tuple[httpx.Response, float]:
    started = time.process_time()
    response = await client.put(
        f"/api/v1/spaces/{stage.space_id}/script",
        content=body.encode(),
        headers={**stage.headers(settings, "animator"), "Content-Type": content_type},
    )
    return response, time.process_time() - started


def _deep_yaml_block(levels: int) -> str:
    return "version: 1\nprompts:\n" + "".join("  " * i + "- \n" for i in range(levels))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param("[" * 10_000 + "]" * 10_000, "application/yaml", id="yaml-flow-10000"),
        pytest.param("{a: " * 10_000 + "1" + "}" * 10_000, "application/yaml", id="yaml-map-10000"),
        pytest.param("[" * 40 + "]" * 40, "application/yaml", id="yaml-flow-40"),
        pytest.param(_deep_yaml_block(200), "application/yaml", id="yaml-block-200"),
        pytest.param("[" * 10_000 + "]" * 10_000, "application/json", id="json-10000"),
        pytest.param('{"a": ' * 10_000 + "1" + "}" * 10_000, "application/json", id="json-obj"),
    ],
)
async def test_deeply_nested_documents_are_refused_fast_without_parsing(
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    body: str,
    content_type: str,
) -> None:
    _never_parse(monkeypatch)
    response, cpu = await _put_timed(client, stage, settings, body, content_type)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "script.document_too_deep"
    assert problem["title"] == "This script document is nested too deeply"
    assert "recursion" not in response.text
    assert cpu < 1.0, f"{cpu:.2f} s of CPU"


async def test_brackets_inside_json_strings_do_not_count_as_nesting(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    doc = {"version": 1, "prompts": [{"key": "k", "kind": "discussion", "title": "[" * 100}]}
    response = await client.put(
        f"/api/v1/spaces/{stage.space_id}/script",
        json=doc,
        headers=stage.headers(settings, "animator"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["prompts"][0]["title"] == "[" * 100


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(SCRIPT.replace("- key: lamp", "- &lamp\n  key: lamp"), id="lone-anchor"),
    ],
)
async def test_yaml_anchors_and_aliases_are_refused_before_expanding(
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    body: str,
) -> None:
    _never_parse(monkeypatch)
    response, cpu = await _put_timed(client, stage, settings, body, "application/yaml")
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "script.document_aliases"
    assert cpu < 1.0, f"{cpu:.2f} s of CPU"


def test_oversized_and_overcrowded_documents_are_refused_unparsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _never_parse(monkeypatch)
    padding = "# " + "x" * document.MAX_DOCUMENT_BYTES + "\n"
    with pytest.raises(document.DocumentTooLarge):
        document.parse(padding.encode(), "application/yaml")
    crowded = "[" + "1," * document.MAX_DOCUMENT_NODES + "1]"
    with pytest.raises(document.DocumentTooLarge, match="items"):
        document.parse(crowded.encode(), "application/yaml")
