"""Replies, reactions, probes and backroom notes: who sees what, on every path."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import event, select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Participant, Probe, Response
from causerie.models.conversations import AuthorKind, Reaction, ReactionKind, Reply
from tests.script.conftest import Stage, add_prompt, discussion


async def _answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, prompt: dict, text: str
) -> dict:
    response = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": text},
        headers=stage.headers(settings, who),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _get(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, url: str
) -> httpx.Response:
    return await client.get(url, headers=stage.headers(settings, who))


async def _post(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, url: str, body: dict
) -> httpx.Response:
    return await client.post(url, json=body, headers=stage.headers(settings, who))


async def test_replies_follow_the_prompt_visibility_and_staff_replies_carry_the_brand(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="uninfluenced"))
    rose = await _answer(client, stage, settings, "rose", prompt, "Rose's answer")
    replies = f"/api/v1/responses/{rose['id']}/replies"
    # Jules has not answered: Rose's answer and its thread are hidden from him.
    assert (await _get(client, stage, settings, "jules", replies)).status_code == 404
    assert (
        await _post(client, stage, settings, "jules", replies, {"text": "hi"})
    ).status_code == 404
    staff = await _post(client, stage, settings, "animator", replies, {"text": "Merci Rose !"})
    assert staff.status_code == 201
    assert staff.json()["author_kind"] == "staff"
    assert staff.json()["author_name"] == "Animator"
    assert staff.json()["author_role"] == "animator"
    await _answer(client, stage, settings, "jules", prompt, "Jules's answer")
    jules_reply = await _post(client, stage, settings, "jules", replies, {"text": "Same here"})
    assert jules_reply.status_code == 201
    assert jules_reply.json()["author_name"] == "Jules"
    thread = (await _get(client, stage, settings, "rose", replies)).json()["items"]
    assert [(r["author_name"], r["author_kind"]) for r in thread] == [
        ("Animator", "staff"),
        ("Jules", "participant"),
    ]
    listing = (
        await _get(client, stage, settings, "jules", f"/api/v1/prompts/{prompt['id']}/responses")
    ).json()
    roses = next(item for item in listing["items"] if item["author_pseudonym"] == "Rose")
    assert roses["reply_count"] == 2
    assert roses["brand_replied"] is True
    observer = await _post(client, stage, settings, "observer", replies, {"text": "x"})
    assert observer.status_code == 403


async def test_private_prompts_keep_threads_between_author_and_brand(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="private"))
    rose = await _answer(client, stage, settings, "rose", prompt, "Only for the brand")
    await _answer(client, stage, settings, "jules", prompt, "Mine too")
    for path in ("replies", "probes"):
        url = f"/api/v1/responses/{rose['id']}/{path}"
        assert (await _get(client, stage, settings, "jules", url)).status_code == 404
        assert (await _get(client, stage, settings, "rose", url)).status_code == 200


async def test_private_probe_is_seen_and_answered_only_by_its_author(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt, "I like the lamp")
    probes = f"/api/v1/responses/{rose['id']}/probes"
    private = await _post(
        client,
        stage,
        settings,
        "animator",
        probes,
        {"text": "Which room?", "visibility": "private"},
    )
    assert private.status_code == 201, private.text
    public = await _post(
        client,
        stage,
        settings,
        "animator",
        probes,
        {"text": "Anyone else?", "visibility": "public"},
    )
    assert [
        p["visibility"] for p in (await _get(client, stage, settings, "rose", probes)).json()
    ] == [
        "private",
        "public",
    ]
    seen_by_jules = (await _get(client, stage, settings, "jules", probes)).json()
    assert [p["visibility"] for p in seen_by_jules] == ["public"]
    assert "Which room?" not in (await _get(client, stage, settings, "jules", probes)).text
    # Jules cannot see the private probe (404); staff see it but only Rose answers (403).
    for who, status in (("jules", 404), ("animator", 403)):
        attempt = await _post(
            client,
            stage,
            settings,
            who,
            f"/api/v1/probes/{private.json()['id']}/answer",
            {"text": "x"},
        )
        assert attempt.status_code == status, who
    answered = await _post(
        client,
        stage,
        settings,
        "rose",
        f"/api/v1/probes/{private.json()['id']}/answer",
        {"text": "The bedroom"},
    )
    assert answered.status_code == 201
    assert answered.json()["private"] is True
    again = await _post(
        client,
        stage,
        settings,
        "rose",
        f"/api/v1/probes/{private.json()['id']}/answer",
        {"text": "again"},
    )
    assert again.status_code == 409
    replies = f"/api/v1/responses/{rose['id']}/replies"
    assert "The bedroom" not in (await _get(client, stage, settings, "jules", replies)).text
    assert "The bedroom" in (await _get(client, stage, settings, "rose", replies)).text
    assert "The bedroom" in (await _get(client, stage, settings, "observer", replies)).text
    listing = (
        await _get(client, stage, settings, "jules", f"/api/v1/prompts/{prompt['id']}/responses")
    ).json()
    assert next(i for i in listing["items"] if i["author_pseudonym"] == "Rose")["reply_count"] == 0
    assert public.json()["status"] == "open"


async def test_the_probe_queue_shows_open_overdue_and_answered(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    made = []
    for who in ("rose", "jules", "ines"):
        answer = await _answer(client, stage, settings, who, prompt, f"{who} answers")
        probe = await _post(
            client,
            stage,
            settings,
            "animator",
            f"/api/v1/responses/{answer['id']}/probes",
            {"text": f"Tell us more, {who}", "visibility": "private"},
        )
        made.append(probe.json())
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Probe)
            .where(Probe.text.like("%jules%"))
            .values(due_at=utcnow() - timedelta(hours=1))
        )
    await _post(
        client, stage, settings, "ines", f"/api/v1/probes/{made[2]['id']}/answer", {"text": "Sure"}
    )
    queue = f"/api/v1/spaces/{stage.space_id}/probes"
    by_state = {}
    for state in ("open", "overdue", "answered"):
        page = await client.get(
            queue, params={"status": state}, headers=stage.headers(settings, "observer")
        )
        by_state[state] = [p["participant_pseudonym"] for p in page.json()["items"]]
    assert by_state == {"open": ["Rose"], "overdue": ["Jules"], "answered": ["Ines"]}
    vip = await client.get(
        queue, params={"segment_id": str(stage.vip)}, headers=stage.headers(settings, "animator")
    )
    assert sorted(p["participant_pseudonym"] for p in vip.json()["items"]) == ["Jules", "Rose"]
    assert (await _get(client, stage, settings, "rose", queue)).status_code == 404
    assert (await _get(client, stage, settings, "outsider", queue)).status_code == 404


async def test_reactions_toggle_one_of_each_kind_per_person(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt, "React to me")
    url = f"/api/v1/responses/{rose['id']}/reactions"
    first = await _post(client, stage, settings, "jules", url, {"kind": "heart"})
    assert first.json() == {"kind": "heart", "active": True, "count": 1}
    await _post(client, stage, settings, "animator", url, {"kind": "heart"})
    await _post(client, stage, settings, "jules", url, {"kind": "idea"})
    listing = (
        await _get(client, stage, settings, "jules", f"/api/v1/prompts/{prompt['id']}/responses")
    ).json()
    item = listing["items"][0]
    assert item["reactions"] == {"heart": 2, "idea": 1}
    assert sorted(item["my_reactions"]) == ["heart", "idea"]
    undo = await _post(client, stage, settings, "jules", url, {"kind": "heart"})
    assert undo.json() == {"kind": "heart", "active": False, "count": 1}
    bad = await _post(client, stage, settings, "jules", url, {"kind": "poop"})
    assert bad.status_code == 422
    observer = await _post(client, stage, settings, "observer", url, {"kind": "heart"})
    assert observer.status_code == 403, "observers read, they do not react"


async def test_backroom_notes_are_for_staff_only(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt, "Hello")
    reply = (
        await _post(
            client,
            stage,
            settings,
            "jules",
            f"/api/v1/responses/{rose['id']}/replies",
            {"text": "Hi"},
        )
    ).json()
    for url in (f"/api/v1/responses/{rose['id']}/notes", f"/api/v1/replies/{reply['id']}/notes"):
        added = await _post(client, stage, settings, "animator", url, {"text": "Quote this one"})
        assert added.status_code == 201, added.text
        assert added.json()["author_name"] == "Animator"
        for who in ("rose", "jules", "outsider"):
            assert (await _get(client, stage, settings, who, url)).status_code == 404
            assert (
                await _post(client, stage, settings, who, url, {"text": "x"})
            ).status_code == 404
        notes = (await _get(client, stage, settings, "observer", url)).json()["items"]
        assert [n["text_html"] for n in notes] == ["<p>Quote this one</p>\n"]
    for who in ("rose", "jules"):
        for url in (
            f"/api/v1/prompts/{prompt['id']}/responses",
            f"/api/v1/responses/{rose['id']}/replies",
        ):
            assert "Quote this one" not in (await _get(client, stage, settings, who, url)).text


async def test_observers_read_backroom_notes_but_cannot_write_them(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt, "Hello")
    reply = (
        await _post(
            client,
            stage,
            settings,
            "jules",
            f"/api/v1/responses/{rose['id']}/replies",
            {"text": "Hi"},
        )
    ).json()
    for url in (f"/api/v1/responses/{rose['id']}/notes", f"/api/v1/replies/{reply['id']}/notes"):
        refused = await _post(client, stage, settings, "observer", url, {"text": "My note"})
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "forbidden"
        listed = await _get(client, stage, settings, "observer", url)
        assert listed.status_code == 200
        assert listed.json()["items"] == [], "nothing was written"
        for who in ("owner", "animator"):
            assert (
                await _post(client, stage, settings, who, url, {"text": who})
            ).status_code == 201


async def test_dialogue_endpoints_answer_401_and_404_to_strangers(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt, "Hello")
    calls = [
        ("GET", f"/api/v1/responses/{rose['id']}/replies", None),
        ("POST", f"/api/v1/responses/{rose['id']}/replies", {"text": "x"}),
        ("POST", f"/api/v1/responses/{rose['id']}/reactions", {"kind": "heart"}),
        ("GET", f"/api/v1/responses/{rose['id']}/probes", None),
        ("POST", f"/api/v1/responses/{rose['id']}/probes", {"text": "x", "visibility": "public"}),
        ("GET", f"/api/v1/spaces/{stage.space_id}/probes", None),
    ]
    for method, url, body in calls:
        assert (await client.request(method, url, json=body)).status_code == 401, url
        outsider = await client.request(
            method, url, json=body, headers=stage.headers(settings, "outsider")
        )
        assert outsider.status_code == 404, url
    participant_probe = await _post(
        client,
        stage,
        settings,
        "jules",
        f"/api/v1/responses/{rose['id']}/probes",
        {"text": "x", "visibility": "public"},
    )
    assert participant_probe.status_code == 403
    observer_probe = await _post(
        client,
        stage,
        settings,
        "observer",
        f"/api/v1/responses/{rose['id']}/probes",
        {"text": "x", "visibility": "public"},
    )
    assert observer_probe.status_code == 403


async def _page_statements(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, engine: object, prompt: dict
) -> tuple[int, int]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        page = await client.get(
            f"/api/v1/prompts/{prompt['id']}/responses",
            params={"limit": 50},
            headers=stage.headers(settings, "animator"),
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(page.json()["items"]), len(statements)


async def test_a_page_of_answers_costs_a_constant_number_of_queries(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database, app: FastAPI
) -> None:
    """5 or 45 answers, each with replies and reactions: the same number of statements."""
    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    engine = app.state.database.engine.sync_engine
    measured = []
    for total in (5, 45):
        async with db.writer() as session, session.begin():
            rose = await session.get_one(Participant, stage.participants["rose"])
            done = len(measured) and 5
            for index in range(done, total):
                response = Response(
                    organization_id=rose.organization_id,
                    space_id=rose.space_id,
                    prompt_id=uuid.UUID(str(prompt["id"])),
                    participant_id=rose.id,
                    entry_index=index,
                    text=f"answer {index}",
                    text_html=f"<p>answer {index}</p>",
                )
                session.add(response)
                await session.flush()
                session.add(
                    Reply(
                        organization_id=rose.organization_id,
                        space_id=rose.space_id,
                        response_id=response.id,
                        author_kind=AuthorKind.participant,
                        author_participant_id=rose.id,
                        text="reply",
                        text_html="<p>reply</p>",
                    )
                )
                session.add(
                    Reaction(
                        organization_id=rose.organization_id,
                        user_id=stage.people["jules"].id,
                        target_id=response.id,
                        kind=ReactionKind.heart,
                    )
                )
        measured.append(await _page_statements(client, stage, settings, engine, prompt))
    (small_items, small), (large_items, large) = measured
    assert (small_items, large_items) == (5, 45)
    assert small == large, measured


async def test_authors_edit_replies_within_the_window_and_versions_are_kept(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    from causerie.models import ReplyVersion

    prompt = await add_prompt(client, stage, settings, discussion(visibility="open"))
    rose = await _answer(client, stage, settings, "rose", prompt, "Hello")
    reply = (
        await _post(
            client,
            stage,
            settings,
            "jules",
            f"/api/v1/responses/{rose['id']}/replies",
            {"text": "Frist"},
        )
    ).json()
    url = f"/api/v1/replies/{reply['id']}"
    # Rose and the animator read the reply (visible), but only Jules may edit it (403).
    for who in ("rose", "animator"):
        refused = await client.patch(url, json={"text": "x"}, headers=stage.headers(settings, who))
        assert refused.status_code == 403, who
        assert refused.json()["code"] == "response.author_only"
    edited = await client.patch(
        url, json={"text": "First"}, headers=stage.headers(settings, "jules")
    )
    assert edited.status_code == 200
    assert edited.json()["edited_at"] is not None
    async with db.writer() as session, session.begin():
        assert (await session.scalars(select(ReplyVersion.text))).all() == ["Frist"]
        await session.execute(update(Reply).values(created_at=utcnow() - timedelta(hours=1)))
    late = await client.patch(url, json={"text": "Third"}, headers=stage.headers(settings, "jules"))
    assert late.status_code == 409
