"""My spaces: each card says what awaits me there — prompts I can answer now, the brand's
questions to me, replies under my answers since my last visit — and never another
participant's questions or address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Participant, ParticipantStatus, Space, SpaceStatus
from tests.script.conftest import Stage, add_prompt, discussion, poll

DAY = timedelta(days=1)


async def _card(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str
) -> dict[str, Any]:
    response = await client.get("/api/v1/me/spaces", headers=stage.headers(settings, who))
    assert response.status_code == 200, response.text
    (card,) = [c for c in response.json()["items"] if c["space_id"] == str(stage.space_id)]
    assert isinstance(card, dict)
    return card


def _counts(card: dict[str, Any]) -> tuple[int, int, int]:
    return card["to_do"], card["open_probes"], card["unread_replies"]


async def _post(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, url: str, body: object
) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=stage.headers(settings, who))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def _answer(
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    who: str,
    prompt: dict[str, Any],
    **body: object,
) -> dict[str, Any]:
    return await _post(
        client, stage, settings, who, f"/api/v1/prompts/{prompt['id']}/responses", body
    )


async def _probe(
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    answer: dict[str, Any],
    visibility: str = "private",
) -> dict[str, Any]:
    return await _post(
        client,
        stage,
        settings,
        "animator",
        f"/api/v1/responses/{answer['id']}/probes",
        {"text": "Which room?", "visibility": visibility},
    )


async def _reply(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, answer: dict[str, Any]
) -> None:
    await _post(
        client,
        stage,
        settings,
        who,
        f"/api/v1/responses/{answer['id']}/replies",
        {"text": f"{who} replies"},
    )


async def _script(client: httpx.AsyncClient, stage: Stage, settings: Settings) -> dict[str, Any]:
    """A welcome (open to all), a lamp poll and a three-day diary open now; a prompt for a
    later date, one the animator has not released, a follow-up of the poll and one for
    another segment: only the poll and the diary are to do."""
    welcome = await add_prompt(
        client, stage, settings, discussion(key="welcome", visibility="open")
    )
    lamp = await add_prompt(client, stage, settings, poll(key="lamp"))
    diary = await add_prompt(
        client,
        stage,
        settings,
        {**discussion(key="diary"), "kind": "diary", "diary": {"entries": 3, "period": "day"}},
    )
    later = (utcnow() + 2 * DAY).isoformat()
    await add_prompt(
        client, stage, settings, discussion(key="later", release={"kind": "at", "at": later})
    )
    await add_prompt(client, stage, settings, discussion(key="manual", release={"kind": "manual"}))
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="follow", release={"kind": "after_prompt", "prompt_id": lamp["id"]}),
    )
    await add_prompt(
        client, stage, settings, discussion(key="prospects", segment_ids=[str(stage.prospects)])
    )
    return {"welcome": welcome, "lamp": lamp, "diary": diary}


async def test_my_space_card_counts_what_awaits_me_there(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompts = await _script(client, stage, settings)
    assert _counts(await _card(client, stage, settings, "rose")) == (3, 0, 0)

    roses = await _answer(client, stage, settings, "rose", prompts["welcome"], text="Hello")
    jules = await _answer(client, stage, settings, "jules", prompts["welcome"], text="Hi")
    assert _counts(await _card(client, stage, settings, "rose")) == (2, 0, 0)
    await _answer(client, stage, settings, "rose", prompts["diary"], text="Day one")
    assert _counts(await _card(client, stage, settings, "rose")) == (1, 0, 0), (
        "today's diary entry is written: the next one waits for tomorrow"
    )

    # The brand asks Rose twice and Jules once (publicly): Rose counts only hers.
    await _probe(client, stage, settings, roses)
    await _probe(client, stage, settings, roses, visibility="public")
    await _probe(client, stage, settings, jules, visibility="public")
    assert _counts(await _card(client, stage, settings, "rose")) == (1, 2, 0)
    assert _counts(await _card(client, stage, settings, "jules")) == (2, 1, 0)

    # Replies under Rose's answer: one before her visit, then the brand's and Jules's (new),
    # and her own (not news to her); replies under Jules's answer are not hers.
    await _reply(client, stage, settings, "jules", roses)
    visit = await client.post(
        f"/api/v1/me/spaces/{stage.space_id}/visit", headers=stage.headers(settings, "rose")
    )
    assert visit.status_code == 204
    await _reply(client, stage, settings, "animator", roses)
    await _reply(client, stage, settings, "jules", roses)
    await _reply(client, stage, settings, "rose", roses)
    await _reply(client, stage, settings, "rose", jules)
    card = await _card(client, stage, settings, "rose")
    assert _counts(card) == (1, 2, 2)
    assert _counts(await _card(client, stage, settings, "jules")) == (2, 1, 1)
    assert "jules@example.com" not in str(card) and "@" not in str(card)


async def test_a_card_counts_every_reply_before_my_first_visit(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompts = await _script(client, stage, settings)
    roses = await _answer(client, stage, settings, "rose", prompts["welcome"], text="Hello")
    await _reply(client, stage, settings, "jules", roses)
    await _reply(client, stage, settings, "animator", roses)
    assert (await _card(client, stage, settings, "rose"))["unread_replies"] == 2
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["rose"])
            .values(last_seen_at=utcnow() + timedelta(minutes=1))
        )
    assert (await _card(client, stage, settings, "rose"))["unread_replies"] == 0


async def test_answering_the_brand_takes_its_question_off_my_card(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompts = await _script(client, stage, settings)
    roses = await _answer(client, stage, settings, "rose", prompts["welcome"], text="Hello")
    probe = await _probe(client, stage, settings, roses)
    assert (await _card(client, stage, settings, "rose"))["open_probes"] == 1
    await _post(
        client, stage, settings, "rose", f"/api/v1/probes/{probe['id']}/answer", {"text": "Salon"}
    )
    card = await _card(client, stage, settings, "rose")
    assert card["open_probes"] == 0
    assert card["unread_replies"] == 0, "my own answer to the brand is no news to me"


async def test_nothing_awaits_me_where_i_cannot_act(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    prompts = await _script(client, stage, settings)
    roses = await _answer(client, stage, settings, "rose", prompts["welcome"], text="Hello")
    jules = await _answer(client, stage, settings, "jules", prompts["welcome"], text="Hi")
    await _probe(client, stage, settings, roses)
    await _probe(client, stage, settings, jules)
    await _reply(client, stage, settings, "animator", roses)
    await _reply(client, stage, settings, "animator", jules)
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["jules"])
            .values(status=ParticipantStatus.suspended)
        )
    card = await _card(client, stage, settings, "jules")
    assert (card["status"], _counts(card)) == ("suspended", (0, 0, 0))
    assert _counts(await _card(client, stage, settings, "rose")) == (2, 1, 1)

    async with db.writer() as session, session.begin():
        await session.execute(
            update(Space).where(Space.id == stage.space_id).values(status=SpaceStatus.closed)
        )
    card = await _card(client, stage, settings, "rose")
    assert (card["space_status"], _counts(card)) == ("closed", (0, 0, 1)), (
        "a closed space takes no answers; its new replies can still be read"
    )
