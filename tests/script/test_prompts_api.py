"""Prompts: authorization, rules refused when saved, DST-safe times, changes that would
invalidate answers."""

from __future__ import annotations

import httpx
import pytest

from causerie.core.settings import Settings
from tests.script.conftest import Stage, add_prompt, discussion, poll


async def test_prompt_endpoints_answer_401_404_403(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion())
    base = f"/api/v1/spaces/{stage.space_id}"
    one = f"/api/v1/prompts/{prompt['id']}"
    calls = [
        ("GET", f"{base}/prompts", None, 200),
        ("POST", f"{base}/prompts", discussion(), 403),
        ("PUT", f"{base}/prompts/order", {"prompt_ids": [prompt["id"]]}, 403),
        ("GET", one, None, 200),
        ("PUT", one, discussion(), 403),
        ("POST", f"{one}/duplicate", None, 403),
        ("POST", f"{one}/release", None, 403),
        ("POST", f"{one}/close", None, 403),
        ("GET", f"{base}/timeline", None, 200),
        ("DELETE", one, None, 403),
    ]
    for method, url, body, observer_status in calls:
        assert (await client.request(method, url, json=body)).status_code == 401, url
        foreign = await client.request(
            method, url, json=body, headers=stage.headers(settings, "outsider")
        )
        assert foreign.status_code == 404, (method, url, foreign.text)
        observer = await client.request(
            method, url, json=body, headers=stage.headers(settings, "observer")
        )
        assert observer.status_code == observer_status, (method, url, observer.text)
        participant = await client.request(
            method, url, json=body, headers=stage.headers(settings, "rose")
        )
        assert participant.status_code == 404, (method, url, participant.text)


async def test_animator_builds_reorders_duplicates_and_deletes(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    headers = stage.headers(settings, "animator")
    first = await add_prompt(client, stage, settings, discussion(title="Bienvenue à tous"))
    second = await add_prompt(client, stage, settings, poll())
    assert first["key"] == "bienvenue-a-tous"
    assert second["key"] == "the-new-lamp"
    assert second["poll"]["options"][1] == {"key": "pricey", "label": "Too expensive"}
    order = await client.put(
        f"/api/v1/spaces/{stage.space_id}/prompts/order",
        json={"prompt_ids": [second["id"], first["id"]]},
        headers=headers,
    )
    assert [p["key"] for p in order.json()["items"]] == ["the-new-lamp", "bienvenue-a-tous"]
    copy = await client.post(f"/api/v1/prompts/{first['id']}/duplicate", headers=headers)
    assert copy.json()["key"] == "bienvenue-a-tous-copy"
    assert copy.json()["status"] == "draft"
    assert (
        await client.delete(f"/api/v1/prompts/{copy.json()['id']}", headers=headers)
    ).status_code == 204
    listed = await client.get(f"/api/v1/spaces/{stage.space_id}/prompts", headers=headers)
    assert [p["key"] for p in listed.json()["items"]] == ["the-new-lamp", "bienvenue-a-tous"]
    bad_order = await client.put(
        f"/api/v1/spaces/{stage.space_id}/prompts/order",
        json={"prompt_ids": [first["id"]]},
        headers=headers,
    )
    assert bad_order.status_code == 422


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"kind": "at"}, "needs a date"),
        ({"kind": "after_prompt"}, "choose the prompt"),
        (
            {"kind": "after_prompt", "prompt_id": "00000000-0000-0000-0000-000000000001"},
            "not in this script",
        ),
        ({"kind": "when_answer", "prompt_id": "DISCUSSION", "option_keys": ["love"]}, "not a poll"),
        (
            {"kind": "when_answer", "prompt_id": "POLL", "option_keys": ["meh"]},
            "has no option 'meh'",
        ),
        ({"kind": "when_answer", "prompt_id": "POLL"}, "choose the options"),
    ],
)
async def test_rules_that_cannot_work_are_refused_naming_the_prompt(
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    rule: dict[str, object],
    reason: str,
) -> None:
    ids = {
        "DISCUSSION": (await add_prompt(client, stage, settings, discussion()))["id"],
        "POLL": (await add_prompt(client, stage, settings, poll()))["id"],
    }
    if "prompt_id" in rule:
        rule = {**rule, "prompt_id": ids.get(str(rule["prompt_id"]), rule["prompt_id"])}
    response = await client.post(
        f"/api/v1/spaces/{stage.space_id}/prompts",
        json={**discussion(key="follow-up"), "release": rule},
        headers=stage.headers(settings, "animator"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "script.invalid_rule"
    assert "'follow-up'" in response.json()["detail"]
    assert reason in response.json()["detail"]


async def test_a_cycle_of_rules_is_refused(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    second = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="second", release={"kind": "after_prompt", "prompt_id": first["id"]}),
    )
    cycle = await client.put(
        f"/api/v1/prompts/{first['id']}",
        json=discussion(key="first", release={"kind": "after_prompt", "prompt_id": second["id"]}),
        headers=stage.headers(settings, "animator"),
    )
    assert cycle.status_code == 422
    assert "cycle" in cycle.json()["detail"]
    deleted = await client.delete(
        f"/api/v1/prompts/{first['id']}", headers=stage.headers(settings, "animator")
    )
    assert deleted.status_code == 409
    assert deleted.json()["code"] == "prompt.referenced"
    assert "'second'" in deleted.json()["detail"]


async def test_times_are_entered_in_the_space_time_zone_across_daylight_saving(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    # Paris: 09:00 is 08:00 UTC in March before the change, 07:00 UTC after it.
    before = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="before", release={"kind": "at", "at": "2027-03-27T09:00:00"}),
    )
    after = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="after", release={"kind": "at", "at": "2027-03-29T09:00:00"}),
    )
    assert before["release"]["at"] == "2027-03-27T08:00:00Z"
    assert after["release"]["at"] == "2027-03-29T07:00:00Z"
    assert before["release"]["at_local"] == "2027-03-27T09:00:00+01:00"
    assert after["release"]["at_local"] == "2027-03-29T09:00:00+02:00"
    aware = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="aware", release={"kind": "at", "at": "2027-03-29T09:00:00+00:00"}),
    )
    assert aware["release"]["at"] == "2027-03-29T09:00:00Z"


async def test_segments_targeted_by_prompts_cannot_be_deleted(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    await add_prompt(
        client, stage, settings, discussion(key="vip-only", segment_ids=[str(stage.vip)])
    )
    response = await client.delete(
        f"/api/v1/spaces/{stage.space_id}/segments/{stage.vip}",
        headers=stage.headers(settings, "animator"),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "segment.in_use"


async def test_changes_that_would_invalidate_answers_are_refused(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, poll(key="lamp"))
    answered = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"choices": ["pricey"]},
        headers=stage.headers(settings, "rose"),
    )
    assert answered.status_code == 201, answered.text
    headers = stage.headers(settings, "animator")
    as_discussion = await client.put(
        f"/api/v1/prompts/{prompt['id']}", json=discussion(key="lamp"), headers=headers
    )
    assert as_discussion.status_code == 409
    assert as_discussion.json()["code"] == "prompt.answered"
    without_pricey = poll(key="lamp")
    without_pricey["poll"] = {
        "options": [{"key": "love", "label": "I love it"}, {"key": "meh", "label": "Meh"}]
    }
    removed = await client.put(
        f"/api/v1/prompts/{prompt['id']}", json=without_pricey, headers=headers
    )
    assert removed.status_code == 409
    relabelled = poll(key="lamp")
    relabelled["poll"]["options"].append({"key": "meh", "label": "Meh"})  # type: ignore[index]
    ok = await client.put(f"/api/v1/prompts/{prompt['id']}", json=relabelled, headers=headers)
    assert ok.status_code == 200, ok.text
    assert ok.json()["response_count"] == 1


async def test_malformed_prompts_are_422(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    headers = stage.headers(settings, "animator")
    for body in [
        {**poll(), "poll": {"options": [{"label": "only one"}]}},
        {**discussion(), "poll": poll()["poll"]},
        {"kind": "poll", "title": "no options"},
        {**discussion(), "key": "Not A Key!"},
        {**discussion(), "title": "x\u0000y"},
        {**discussion(), "kind": "rating", "rating": {"min": 1, "max": 11}},
    ]:
        response = await client.post(
            f"/api/v1/spaces/{stage.space_id}/prompts", json=body, headers=headers
        )
        assert response.status_code == 422, (body, response.text)


async def test_prompt_image_is_reencoded_and_served_to_participants_once_open(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    import io

    from PIL import Image

    raw = io.BytesIO()
    Image.new("RGB", (2400, 1200), "#cc8844").save(raw, format="JPEG")
    prompt = await add_prompt(client, stage, settings, discussion(key="pictured"))
    url = f"/api/v1/prompts/{prompt['id']}/image"
    files = {"file": ("lamp.jpg", raw.getvalue(), "image/jpeg")}
    assert (
        await client.put(url, files=files, headers=stage.headers(settings, "observer"))
    ).status_code == 403
    uploaded = await client.put(url, files=files, headers=stage.headers(settings, "animator"))
    assert uploaded.status_code == 200, uploaded.text
    image_url = uploaded.json()["image_url"]
    served = await client.get(image_url)
    assert served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (1600, 800)
    timeline = await client.get(
        f"/api/v1/me/spaces/{stage.space_id}/timeline", headers=stage.headers(settings, "rose")
    )
    assert timeline.json()["items"][0]["image_url"] == image_url
    text = await client.put(
        url,
        files={"file": ("x.png", b"not an image", "image/png")},
        headers=stage.headers(settings, "animator"),
    )
    assert text.status_code == 422
    removed = await client.delete(url, headers=stage.headers(settings, "animator"))
    assert removed.json()["image_url"] is None
    assert (await client.get(image_url)).status_code == 404


async def test_answer_endpoints_answer_401_and_hide_other_spaces(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="auth"))
    posted = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": "hello"},
        headers=stage.headers(settings, "rose"),
    )
    calls = [
        ("GET", f"/api/v1/prompts/{prompt['id']}/responses", None),
        ("POST", f"/api/v1/prompts/{prompt['id']}/responses", {"text": "x"}),
        ("PATCH", f"/api/v1/responses/{posted.json()['id']}", {"text": "x"}),
        ("GET", f"/api/v1/me/spaces/{stage.space_id}/timeline", None),
    ]
    for method, url, body in calls:
        assert (await client.request(method, url, json=body)).status_code == 401, url
        outsider = await client.request(
            method, url, json=body, headers=stage.headers(settings, "outsider")
        )
        assert outsider.status_code == 404, (url, outsider.text)
