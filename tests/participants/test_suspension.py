"""A suspended participant has no access to their space: every path answers 403, explained."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Event, Participant, ParticipantStatus, Response
from causerie.models.conversations import Reply
from tests.script.conftest import Stage, add_prompt, discussion, stage

__all__ = ["stage"]

SUSPENDED = "participant.suspended"


async def _call(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    return await client.request(method, f"/api/v1{url}", json=body, headers=headers)


async def _ok(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    response = await _call(client, headers, method, url, body)
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


async def _set_status(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, status: str
) -> None:
    await _ok(
        client,
        stage.headers(settings, "owner"),
        "PATCH",
        f"/spaces/{stage.space_id}/participants/{stage.participants[who]}",
        {"status": status},
    )


async def _conversation(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> dict[str, Any]:
    """An open prompt answered by Rose and Jules, a reply by each, a probe for Rose."""
    rose, jules = stage.headers(settings, "rose"), stage.headers(settings, "jules")
    animator = stage.headers(settings, "animator")
    prompt = await add_prompt(client, stage, settings, discussion(key="a", visibility="open"))
    second = await add_prompt(client, stage, settings, discussion(key="b", visibility="open"))
    answer = f"/prompts/{prompt['id']}/responses"
    rose_answer = await _ok(client, rose, "POST", answer, {"text": "Rose's answer"})
    jules_answer = await _ok(client, jules, "POST", answer, {"text": "Jules's answer"})
    rose_reply = await _ok(
        client, rose, "POST", f"/responses/{jules_answer['id']}/replies", {"text": "Agreed"}
    )
    probe = await _ok(
        client,
        animator,
        "POST",
        f"/responses/{rose_answer['id']}/probes",
        {"text": "Why?", "visibility": "private"},
    )
    return {
        "prompt": prompt["id"],
        "second": second["id"],
        "rose_answer": rose_answer["id"],
        "jules_answer": jules_answer["id"],
        "rose_reply": rose_reply["id"],
        "probe": probe["id"],
    }


def _participant_calls(
    stage: Stage, ids: dict[str, Any]
) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every path a participant uses in their space, reads and writes."""
    space = f"/me/spaces/{stage.space_id}"
    return [
        ("GET", space, None),
        ("PATCH", space, {"pseudonym": "Renamed", "email_notifications": "off"}),
        ("GET", f"{space}/participants", None),
        ("GET", f"{space}/timeline", None),
        ("GET", f"/prompts/{ids['prompt']}/responses", None),
        ("POST", f"/prompts/{ids['second']}/responses", {"text": "Still here"}),
        ("PATCH", f"/responses/{ids['rose_answer']}", {"text": "Edited"}),
        ("GET", f"/responses/{ids['rose_answer']}/replies", None),
        ("GET", f"/responses/{ids['jules_answer']}/replies", None),
        ("POST", f"/responses/{ids['jules_answer']}/replies", {"text": "Another"}),
        ("PATCH", f"/replies/{ids['rose_reply']}", {"text": "Edited reply"}),
        ("POST", f"/responses/{ids['jules_answer']}/reactions", {"kind": "heart"}),
        ("POST", f"/replies/{ids['rose_reply']}/reactions", {"kind": "heart"}),
        ("GET", f"/responses/{ids['rose_answer']}/probes", None),
        ("POST", f"/probes/{ids['probe']}/answer", {"text": "Because"}),
        ("POST", f"{space}/visit", None),
        ("POST", f"{space}/leave", None),
    ]


async def test_a_suspended_participant_is_refused_everywhere_in_the_space_with_a_reason(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    ids = await _conversation(client, stage, settings)
    rose = stage.headers(settings, "rose")  # issued before the suspension, still unexpired
    await _set_status(client, stage, settings, "rose", "suspended")

    for method, url, body in _participant_calls(stage, ids):
        response = await _call(client, rose, method, url, body)
        assert response.status_code == 403, (method, url, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == SUSPENDED, (method, url)
        assert problem["title"] == "Your participation in this space is suspended"

    async with db.reader() as session:
        participant = await session.get_one(Participant, stage.participants["rose"])
        answers = (
            await session.scalars(
                select(Response.text).where(Response.participant_id == participant.id)
            )
        ).all()
        replies = (
            await session.scalars(
                select(Reply.text).where(Reply.author_participant_id == participant.id)
            )
        ).all()
    assert (participant.status, participant.pseudonym) == (ParticipantStatus.suspended, "Rose")
    assert list(answers) == ["Rose's answer"] and list(replies) == ["Agreed"], "nothing changed"

    # The list still shows the space, with the status the app explains.
    listed = await _ok(client, rose, "GET", "/me/spaces")
    assert [(item["space_id"], item["status"]) for item in listed["items"]] == [
        (str(stage.space_id), "suspended")
    ]
    # Fellow participants are untouched; reactivated, Rose is back in.
    assert (
        await _call(client, stage.headers(settings, "jules"), "GET", f"/me/spaces/{stage.space_id}")
    ).status_code == 200
    await _set_status(client, stage, settings, "rose", "active")
    assert (
        await _call(client, rose, "GET", f"/me/spaces/{stage.space_id}/timeline")
    ).status_code == 200


async def test_a_participant_who_left_finds_the_space_gone_not_suspended(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    ids = await _conversation(client, stage, settings)
    rose = stage.headers(settings, "rose")
    assert (
        await _call(client, rose, "POST", f"/me/spaces/{stage.space_id}/leave")
    ).status_code == 204
    for method, url, body in _participant_calls(stage, ids):
        response = await _call(client, rose, method, url, body)
        assert response.status_code == 404, (method, url, response.text)
    assert (await _ok(client, rose, "GET", "/me/spaces"))["items"] == []


async def test_a_suspended_participant_hears_nothing_live_of_the_space(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    ids = await _conversation(client, stage, settings)
    rose_user = stage.people["rose"].id
    await _set_status(client, stage, settings, "rose", "suspended")
    async with db.reader() as session:
        before = set((await session.scalars(select(Event.id))).all())

    animator, jules = stage.headers(settings, "animator"), stage.headers(settings, "jules")
    on_rose = f"/responses/{ids['rose_answer']}"
    await _ok(client, animator, "POST", f"{on_rose}/replies", {"text": "Thanks Rose"})
    await _ok(client, jules, "POST", f"{on_rose}/replies", {"text": "Me too"})
    await _ok(client, animator, "POST", f"{on_rose}/reactions", {"kind": "heart"})
    await _ok(client, jules, "POST", f"/replies/{ids['rose_reply']}/reactions", {"kind": "heart"})
    await _ok(
        client, animator, "POST", f"{on_rose}/probes", {"text": "And?", "visibility": "public"}
    )
    await _ok(client, jules, "POST", f"/prompts/{ids['second']}/responses", {"text": "New"})

    async with db.reader() as session:
        new = (await session.scalars(select(Event).where(Event.id.not_in(before)))).all()
    kinds = {event.kind for event in new}
    assert {"reply.created", "reaction.changed", "probe.created", "response.created"} <= kinds
    assert all(event.user_id != rose_user for event in new), sorted(
        event.kind for event in new if event.user_id == rose_user
    )
    assert any(event.user_id == stage.people["jules"].id for event in new), "others still hear"
