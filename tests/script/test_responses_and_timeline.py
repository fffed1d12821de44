"""Answers, the visibility rules on every read path, edits, and the timelines."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Response, ResponseVersion
from tests.script.conftest import Stage, add_prompt, discussion, poll


async def _answer(
    client: httpx.AsyncClient,
    settings: Settings,
    stage: Stage,
    who: str,
    prompt: dict,
    **body: object,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json=body,
        headers=stage.headers(settings, who),
    )


async def _read(
    client: httpx.AsyncClient, settings: Settings, stage: Stage, who: str, prompt: dict
) -> httpx.Response:
    return await client.get(
        f"/api/v1/prompts/{prompt['id']}/responses", headers=stage.headers(settings, who)
    )


@pytest.mark.parametrize("visibility", ["open", "uninfluenced", "private"])
async def test_visibility_decides_who_sees_which_answers(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, visibility: str
) -> None:
    prompt = await add_prompt(client, stage, settings, poll(visibility=visibility))
    assert (
        await _answer(client, settings, stage, "rose", prompt, choices=["love"])
    ).status_code == 201

    before = (await _read(client, settings, stage, "jules", prompt)).json()
    seen_before = [item["author_pseudonym"] for item in before["items"]]
    assert seen_before == (["Rose"] if visibility == "open" else [])
    assert (before["aggregate"] is not None) == (visibility == "open")
    assert before["hidden_until_answered"] == (visibility == "uninfluenced")

    assert (
        await _answer(client, settings, stage, "jules", prompt, choices=["pricey"])
    ).status_code == 201
    after = (await _read(client, settings, stage, "jules", prompt)).json()
    seen_after = sorted(item["author_pseudonym"] for item in after["items"])
    assert seen_after == (["Jules"] if visibility == "private" else ["Jules", "Rose"])
    mine = [item for item in after["items"] if item["mine"]]
    assert [item["author_pseudonym"] for item in mine] == ["Jules"]
    if visibility != "private":
        counts = {o["key"]: o["count"] for o in after["aggregate"]["options"]}
        assert counts == {"love": 1, "pricey": 1}
    else:
        assert after["aggregate"] is None

    staff = (await _read(client, settings, stage, "observer", prompt)).json()
    assert sorted(item["author_pseudonym"] for item in staff["items"]) == ["Jules", "Rose"]
    assert staff["aggregate"]["responses"] == 2
    for who in ("rose", "jules"):
        text = (await _read(client, settings, stage, who, prompt)).text
        assert "@example.com" not in text, "answers never carry an address"


async def test_prompts_outside_my_segments_are_not_found(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(
        client, stage, settings, discussion(segment_ids=[str(stage.prospects)], visibility="open")
    )
    for who in ("rose", "outsider"):
        assert (await _read(client, settings, stage, who, prompt)).status_code == 404
        assert (await _answer(client, settings, stage, who, prompt, text="hi")).status_code == 404
    assert (await _answer(client, settings, stage, "ines", prompt, text="hi")).status_code == 201


async def test_answers_must_fit_the_prompt_and_its_state(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    lamp = await add_prompt(client, stage, settings, poll())
    talk = await add_prompt(client, stage, settings, discussion())
    later = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="later", release={"kind": "at", "at": (utcnow() + timedelta(days=3)).isoformat()}
        ),
    )
    rating = await add_prompt(
        client,
        stage,
        settings,
        {**discussion(key="stars"), "kind": "rating", "rating": {"min": 1, "max": 5}},
    )
    draft = await add_prompt(client, stage, settings, discussion(key="draft", status="draft"))
    cases = [
        (lamp, {"choices": ["love", "pricey"]}, 422),
        (lamp, {"choices": ["nope"]}, 422),
        (lamp, {"text": "words"}, 422),
        (talk, {"choices": ["love"]}, 422),
        (talk, {"text": ""}, 422),
        (talk, {"text": "x" * 20_001}, 422),
        (rating, {"rating": 6}, 422),
        (later, {"text": "too early"}, 409),
        (draft, {"text": "not published"}, 404),
    ]
    for prompt, body, expected in cases:
        response = await _answer(client, settings, stage, "rose", prompt, **body)
        assert response.status_code == expected, (prompt["key"], body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (
        await _answer(client, settings, stage, "rose", talk, text="**Hello** <script>x</script>")
    ).status_code == 201
    again = await _answer(client, settings, stage, "rose", talk, text="twice")
    assert again.status_code == 409
    assert again.json()["code"] == "response.exists"
    stored = (await _read(client, settings, stage, "owner", talk)).json()["items"][0]
    assert stored["text_html"] == "<p><strong>Hello</strong> &lt;script&gt;x&lt;/script&gt;</p>\n"
    assert (
        await _answer(client, settings, stage, "rose", rating, rating=4, text="nice")
    ).status_code == 201


async def test_authors_edit_within_the_window_and_versions_are_kept(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    talk = await add_prompt(client, stage, settings, discussion(visibility="open"))
    posted = (await _answer(client, settings, stage, "rose", talk, text="first")).json()
    assert posted["editable_until"] is not None
    url = f"/api/v1/responses/{posted['id']}"
    other = await client.patch(
        url, json={"text": "hijack"}, headers=stage.headers(settings, "jules")
    )
    assert other.status_code == 404
    edited = await client.patch(
        url, json={"text": "second"}, headers=stage.headers(settings, "rose")
    )
    assert edited.status_code == 200
    assert edited.json()["text"] == "second"
    assert edited.json()["edited_at"] is not None
    async with db.writer() as session, session.begin():
        versions = (await session.scalars(select(ResponseVersion.text))).all()
        assert versions == ["first"]
        await session.execute(update(Response).values(created_at=utcnow() - timedelta(minutes=16)))
    late = await client.patch(url, json={"text": "third"}, headers=stage.headers(settings, "rose"))
    assert late.status_code == 409
    assert late.json()["code"] == "response.edit_window_over"


async def test_my_timeline_shows_a_sequence_opening_as_i_answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    second = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="second", release={"kind": "after_prompt", "prompt_id": first["id"]}),
    )
    lamp = await add_prompt(client, stage, settings, poll(key="lamp"))
    branch = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="why-pricey",
            release={"kind": "when_answer", "prompt_id": lamp["id"], "option_keys": ["pricey"]},
        ),
    )
    url = f"/api/v1/me/spaces/{stage.space_id}/timeline"
    headers = stage.headers(settings, "rose")
    view = (await client.get(url, headers=headers)).json()
    assert {i["key"]: i["state"] for i in view["items"]} == {
        "first": "open",
        "second": "upcoming",
        "lamp": "open",
    }, "a branch is not announced before the poll is answered"
    assert (view["answered"], view["expected"]) == (0, 3)
    items = {i["key"]: i for i in view["items"]}
    assert [o["key"] for o in items["lamp"]["poll"]["options"]] == ["love", "pricey"]
    assert items["first"]["body_html"] is not None
    assert items["second"]["body_html"] is None, "nothing of an upcoming prompt's content"
    await _answer(client, settings, stage, "rose", first, text="done")
    await _answer(client, settings, stage, "rose", lamp, choices=["love"])
    view = (await client.get(url, headers=headers)).json()
    assert {i["key"]: i["state"] for i in view["items"]} == {
        "first": "answered",
        "second": "open",
        "lamp": "answered",
    }, "the branch not taken disappears"
    assert (view["answered"], view["expected"]) == (2, 3)
    blocked = await _answer(client, settings, stage, "rose", branch, text="no")
    assert blocked.status_code == 404
    assert (await _answer(client, settings, stage, "rose", second, text="yes")).status_code == 201


async def test_animators_preview_as_a_participant_or_a_segment_at_a_date(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    soon = utcnow() + timedelta(days=5)
    await add_prompt(client, stage, settings, discussion(key="now"))
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="soon", release={"kind": "at", "at": soon.isoformat()}),
    )
    await add_prompt(
        client, stage, settings, discussion(key="prospects", segment_ids=[str(stage.prospects)])
    )
    base = f"/api/v1/spaces/{stage.space_id}/timeline"
    headers = stage.headers(settings, "animator")
    as_rose = (
        await client.get(
            base, params={"participant_id": str(stage.participants["rose"])}, headers=headers
        )
    ).json()
    assert {i["key"]: i["state"] for i in as_rose["items"]} == {"now": "open", "soon": "upcoming"}
    later = (soon + timedelta(hours=1)).isoformat()
    as_rose_later = (
        await client.get(
            base,
            params={"participant_id": str(stage.participants["rose"]), "at": later},
            headers=headers,
        )
    ).json()
    assert {i["key"]: i["state"] for i in as_rose_later["items"]}["soon"] == "open"
    as_prospect = (
        await client.get(base, params={"segment_id": str(stage.prospects)}, headers=headers)
    ).json()
    assert "prospects" in {i["key"] for i in as_prospect["items"]}
    foreign = await client.get(
        base,
        params={"participant_id": str(stage.participants["rose"])},
        headers=stage.headers(settings, "outsider"),
    )
    assert foreign.status_code == 404


async def test_manual_release_and_close(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="manual", release={"kind": "manual"}, close={"kind": "manual"}),
    )
    headers = stage.headers(settings, "animator")
    mine = f"/api/v1/me/spaces/{stage.space_id}/timeline"
    before = (await client.get(mine, headers=stage.headers(settings, "rose"))).json()
    assert "manual" not in {i["key"] for i in before["items"]}, "it may never be released"
    assert (await _answer(client, settings, stage, "rose", prompt, text="early")).status_code == 404
    released = await client.post(f"/api/v1/prompts/{prompt['id']}/release", headers=headers)
    assert released.json()["release"]["released_at"] is not None
    assert (await _answer(client, settings, stage, "rose", prompt, text="now")).status_code == 201
    assert (
        await client.post(f"/api/v1/prompts/{prompt['id']}/close", headers=headers)
    ).status_code == 200
    closed = await _answer(client, settings, stage, "jules", prompt, text="late")
    assert closed.status_code == 409
    assert closed.json()["code"] == "prompt.not_open"
    assert len((await _read(client, settings, stage, "owner", prompt)).json()["items"]) == 1
    timed = await add_prompt(client, stage, settings, discussion(key="timed"))
    refused = await client.post(f"/api/v1/prompts/{timed['id']}/release", headers=headers)
    assert refused.status_code == 409


async def test_concurrent_double_posts_store_one_answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    import asyncio

    talk = await add_prompt(client, stage, settings, discussion())
    results = await asyncio.gather(
        *(_answer(client, settings, stage, "rose", talk, text=f"try {i}") for i in range(5))
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409, 409]


async def test_answers_of_a_prompt_not_yet_open_for_me_are_not_readable(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    from causerie.models import Participant

    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["jules"])
            .values(joined_at=utcnow())
        )
    staggered = await add_prompt(
        client,
        stage,
        settings,
        discussion(visibility="open", release={"kind": "after_join", "delay_minutes": 24 * 60}),
    )
    assert (
        await _answer(client, settings, stage, "rose", staggered, text="secret")
    ).status_code == 201
    response = await _read(client, settings, stage, "jules", staggered)
    assert response.status_code == 404
    assert "secret" not in response.text


async def test_far_dates_are_refused_and_never_break_a_space(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    for at in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00", "2300-01-01T00:00:00"):
        response = await client.post(
            f"/api/v1/spaces/{stage.space_id}/prompts",
            json=discussion(release={"kind": "at", "at": at}),
            headers=stage.headers(settings, "animator"),
        )
        assert response.status_code == 422, (at, response.text)
        assert response.json()["code"] == "script.date_out_of_range"
    preview = await client.get(
        f"/api/v1/spaces/{stage.space_id}/timeline",
        params={"at": "9999-12-31T23:00:00"},
        headers=stage.headers(settings, "animator"),
    )
    assert preview.status_code == 422
    timeline = await client.get(
        f"/api/v1/me/spaces/{stage.space_id}/timeline", headers=stage.headers(settings, "rose")
    )
    assert timeline.status_code == 200


async def test_a_poll_choice_that_opened_a_branch_cannot_be_edited_away(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    lamp = await add_prompt(client, stage, settings, poll(key="lamp"))
    await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="why",
            release={"kind": "when_answer", "prompt_id": lamp["id"], "option_keys": ["love"]},
        ),
    )
    posted = (await _answer(client, settings, stage, "rose", lamp, choices=["love"])).json()
    changed = await client.patch(
        f"/api/v1/responses/{posted['id']}",
        json={"choices": ["pricey"]},
        headers=stage.headers(settings, "rose"),
    )
    assert changed.status_code == 409
    assert changed.json()["code"] == "response.branching"
