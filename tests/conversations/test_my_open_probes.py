"""The brand's questions to me: my space lists those still waiting for my answer (mine
only, never another participant's), and their notification opens on the question."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select, update

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Notification, OutboxMessage, Participant, ParticipantStatus
from tests.script.conftest import Stage, add_prompt, discussion


async def _post(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, url: str, body: object
) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=stage.headers(settings, who))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def _answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, prompt: dict[str, Any]
) -> dict[str, Any]:
    url = f"/api/v1/prompts/{prompt['id']}/responses"
    return await _post(client, stage, settings, who, url, {"text": f"{who} answers"})


async def _probe(
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    answer: dict[str, Any],
    text: str,
    visibility: str = "private",
) -> dict[str, Any]:
    url = f"/api/v1/responses/{answer['id']}/probes"
    return await _post(
        client, stage, settings, "animator", url, {"text": text, "visibility": visibility}
    )


def _url(stage: Stage) -> str:
    return f"/api/v1/me/spaces/{stage.space_id}/probes"


async def _mine(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, **params: object
) -> dict[str, Any]:
    response = await client.get(_url(stage), params=params, headers=stage.headers(settings, who))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_my_space_lists_the_brands_open_questions_to_me_only(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    welcome = await add_prompt(
        client, stage, settings, discussion(key="welcome", visibility="open")
    )
    lamp = await add_prompt(
        client, stage, settings, discussion(key="lamp", title="The lamp", visibility="open")
    )
    roses = await _answer(client, stage, settings, "rose", welcome)
    roses_lamp = await _answer(client, stage, settings, "rose", lamp)
    jules = await _answer(client, stage, settings, "jules", welcome)
    first = await _probe(client, stage, settings, roses, "Which **room**?")
    second = await _probe(client, stage, settings, roses_lamp, "Why this lamp?", "public")
    await _probe(client, stage, settings, jules, "Private to Jules")
    await _probe(client, stage, settings, jules, "Public to Jules", "public")

    page = await _mine(client, stage, settings, "rose")
    assert [(p["id"], p["prompt_id"], p["prompt_title"]) for p in page["items"]] == [
        (first["id"], welcome["id"], "Your first impressions"),
        (second["id"], lamp["id"], "The lamp"),
    ]
    assert page["items"][0]["response_id"] == roses["id"]
    assert page["items"][0]["text_html"].strip() == "<p>Which <strong>room</strong>?</p>"
    assert [p["visibility"] for p in page["items"]] == ["private", "public"]
    assert {p["status"] for p in page["items"]} == {"open"}
    assert "Jules" not in str(page) and "@" not in str(page)
    assert [
        p["prompt_title"] for p in (await _mine(client, stage, settings, "jules"))["items"]
    ] == [
        "Your first impressions",
        "Your first impressions",
    ]
    assert (await _mine(client, stage, settings, "ines"))["items"] == []

    one = await _mine(client, stage, settings, "rose", limit=1)
    assert [p["id"] for p in one["items"]] == [first["id"]]
    rest = await _mine(client, stage, settings, "rose", limit=1, cursor=one["next_cursor"])
    assert ([p["id"] for p in rest["items"]], rest["next_cursor"]) == ([second["id"]], None)

    # Answered, it leaves the list; a question on a prompt the brand deleted goes with it.
    await _post(
        client, stage, settings, "rose", f"/api/v1/probes/{first['id']}/answer", {"text": "Salon"}
    )
    assert [p["id"] for p in (await _mine(client, stage, settings, "rose"))["items"]] == [
        second["id"]
    ]
    deleted = await client.delete(
        f"/api/v1/prompts/{lamp['id']}", headers=stage.headers(settings, "animator")
    )
    assert deleted.status_code == 204, deleted.text
    assert (await _mine(client, stage, settings, "rose"))["items"] == []


async def test_only_the_participant_reads_their_open_questions(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    assert (await client.get(_url(stage))).status_code == 401
    for who in ("outsider", "owner", "animator", "observer"):
        response = await client.get(_url(stage), headers=stage.headers(settings, who))
        assert response.status_code == 404, (who, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    elsewhere = await client.get(
        f"/api/v1/me/spaces/{uuid.uuid4()}/probes", headers=stage.headers(settings, "rose")
    )
    assert elsewhere.status_code == 404
    bad = await client.get(
        _url(stage), params={"cursor": "nope"}, headers=stage.headers(settings, "rose")
    )
    assert bad.status_code == 422
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["rose"])
            .values(status=ParticipantStatus.suspended)
        )
    suspended = await client.get(_url(stage), headers=stage.headers(settings, "rose"))
    assert (suspended.status_code, suspended.json()["code"]) == (403, "participant.suspended")


async def test_a_probe_notification_opens_on_the_question(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    welcome = await add_prompt(client, stage, settings, discussion(key="welcome"))
    roses = await _answer(client, stage, settings, "rose", welcome)
    probe = await _probe(client, stage, settings, roses, "Which room?")
    notes = await client.get("/api/v1/me/notifications", headers=stage.headers(settings, "rose"))
    assert notes.status_code == 200
    (note,) = [n for n in notes.json()["items"] if n["kind"] == "probe"]
    assert (note["space_id"], note["prompt_id"], note["probe_id"]) == (
        str(stage.space_id),
        welcome["id"],
        probe["id"],
    )
    read = await client.post(
        f"/api/v1/me/notifications/{note['id']}/read", headers=stage.headers(settings, "rose")
    )
    assert read.json()["probe_id"] == probe["id"]
    link = f"/me/spaces/{stage.space_id}/prompts/{welcome['id']}#probe-{probe['id']}"
    async with db.reader() as session:
        stored = await session.scalar(
            select(Notification.probe_id).where(Notification.id == uuid.UUID(note["id"]))
        )
        emails = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.recipient == "rose@example.com")
            )
        ).all()
    assert stored == uuid.UUID(probe["id"])
    assert [m.category for m in emails] == ["probe"]
    assert link in emails[0].body_text
    assert link in (emails[0].body_html or "")
