"""A list page costs the same few statements whatever its size (issue 11, B7 for reads).

Each page is read at limit 10 and at limit 100 — full pages both times — by staff and by a
participant: at most four SQL statements (transaction control excluded), the same number
at both sizes. Nothing is loaded per row, and counts and totals come from ``GROUP BY``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import (
    Notification,
    Participant,
    Prompt,
    PromptKind,
    PromptStatus,
    Response,
    Space,
    SpaceLanguage,
    SpaceObjective,
    SpaceStatus,
    participant_segment,
)
from causerie.models.conversations import (
    AuthorKind,
    Probe,
    ProbeVisibility,
    Reaction,
    ReactionKind,
    Reply,
)
from causerie.models.script import ReleaseKind
from tests.performance.crowd import add_crowd
from tests.script.conftest import Stage, add_prompt, poll
from tests.support.statements import count_statements

BUDGET = 4
FULL = 110  # more rows than the largest page, so that both pages are full
SIZES = (10, 100)


@dataclass
class Lists:
    prompt_id: uuid.UUID
    response_id: uuid.UUID  # a crowd member's answer, with a long thread under it


async def _fill(client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database) -> Lists:
    """A poll answered by rose and a crowd, reactions and replies everywhere, a long thread,
    a full probe queue, and for rose: many notifications and many spaces."""
    prompt = await add_prompt(client, stage, settings, poll())
    prompt_id = uuid.UUID(str(prompt["id"]))
    answered = await client.post(
        f"/api/v1/prompts/{prompt_id}/responses",
        json={"choices": ["love"]},
        headers=stage.headers(settings, "rose"),
    )
    assert answered.status_code == 201, answered.text
    crowd = await add_crowd(db, stage.space_id, FULL)
    staff = stage.people["animator"].id
    rose = stage.people["rose"]
    start = utcnow() - timedelta(hours=1)
    async with db.writer() as session, session.begin():
        space = await session.get_one(Space, stage.space_id)
        org = space.organization_id
        responses = [
            Response(
                organization_id=org,
                space_id=space.id,
                prompt_id=prompt_id,
                participant_id=participant_id,
                choices=["love", "pricey"][: 1 + index % 2],
                other_text=None,
                created_at=start + timedelta(seconds=index),
            )
            for index, (_user, participant_id) in enumerate(crowd)
        ]
        session.add_all(responses)
        await session.flush()
        thread = responses[0]
        replies = [
            Reply(
                organization_id=org,
                space_id=space.id,
                response_id=response.id,
                author_kind=AuthorKind.staff if index % 2 else AuthorKind.participant,
                author_user_id=staff if index % 2 else crowd[index % FULL][0].id,
                author_participant_id=None if index % 2 else crowd[index % FULL][1],
                text="Merci",
                text_html="<p>Merci</p>",
                created_at=start + timedelta(seconds=index),
            )
            for index, response in enumerate([thread] * FULL + responses)
        ]
        session.add_all(replies)
        await session.flush()
        session.add_all(
            Reaction(organization_id=org, user_id=user, target_id=target, kind=kind)
            for index, target in enumerate([r.id for r in responses] + [r.id for r in replies])
            for user, kind in ((rose.id, ReactionKind.heart), (staff, ReactionKind.idea))
            if index % 3
        )
        session.add_all(
            Probe(
                organization_id=org,
                space_id=space.id,
                prompt_id=prompt_id,
                response_id=response.id,
                participant_id=response.participant_id,
                created_by_user_id=staff,
                text="Why?",
                text_html="<p>Why?</p>",
                visibility=ProbeVisibility.public,
                due_at=start + timedelta(days=2),
                created_at=start + timedelta(seconds=index),
            )
            for index, response in enumerate(responses)
        )
        session.add_all(
            Notification(
                user_id=rose.id,
                organization_id=org,
                space_id=space.id,
                kind="prompt_opened",
                title=f"Notification {index}",
                dedup_key=f"test:{index}",
                created_at=start + timedelta(seconds=index),
            )
            for index in range(FULL)
        )
        others = [
            Space(
                organization_id=org,
                title=f"Club {index}",
                objective=SpaceObjective.product_feedback,
                language=SpaceLanguage.en,
                status=SpaceStatus.open,
                description="A *club*",
                welcome_message="Welcome **in**",
            )
            for index in range(FULL)
        ]
        session.add_all(others)
        await session.flush()
        memberships = [
            Participant(
                organization_id=org,
                space_id=other.id,
                user_id=rose.id,
                pseudonym="Rose",
                pseudonym_key="rose",
                joined_at=start,
                consent_terms_version=1,
                consent_at=start,
            )
            for other in others
        ]
        session.add_all(memberships)
        await session.flush()
        await session.execute(
            participant_segment.insert(),
            [{"participant_id": p.id, "segment_id": stage.vip} for p in memberships[:1]],
        )
    return Lists(prompt_id=prompt_id, response_id=thread.id)


async def _count(
    app: FastAPI, client: httpx.AsyncClient, url: str, headers: dict[str, str], limit: int
) -> tuple[int, list[str]]:
    with count_statements(app.state.database.engine) as seen:
        response = await client.get(url, params={"limit": limit}, headers=headers)
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == limit  # a full page
    return seen.count, seen.sql


async def _assert_budget(
    app: FastAPI, client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> None:
    counts = {}
    for limit in SIZES:
        counts[limit], sql = await _count(app, client, url, headers, limit)
        assert counts[limit] <= BUDGET, "\n\n".join(sql)
    assert counts[SIZES[0]] == counts[SIZES[1]], counts


@pytest.fixture
async def lists(client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database) -> Lists:
    return await _fill(client, stage, settings, db)


@pytest.mark.parametrize("who", ["animator", "rose"])
async def test_a_page_of_answers_costs_four_statements_at_most(
    app: FastAPI,
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    lists: Lists,
    who: str,
) -> None:
    url = f"/api/v1/prompts/{lists.prompt_id}/responses"
    await _assert_budget(app, client, url, stage.headers(settings, who))


@pytest.mark.parametrize("who", ["animator", "rose"])
async def test_a_page_of_a_thread_costs_four_statements_at_most(
    app: FastAPI,
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    lists: Lists,
    who: str,
) -> None:
    url = f"/api/v1/responses/{lists.response_id}/replies"
    await _assert_budget(app, client, url, stage.headers(settings, who))


async def test_a_page_of_the_probe_queue_costs_four_statements_at_most(
    app: FastAPI, client: httpx.AsyncClient, stage: Stage, settings: Settings, lists: Lists
) -> None:
    url = f"/api/v1/spaces/{stage.space_id}/probes"
    await _assert_budget(app, client, url, stage.headers(settings, "animator"))


async def test_a_page_of_my_notifications_costs_four_statements_at_most(
    app: FastAPI, client: httpx.AsyncClient, stage: Stage, settings: Settings, lists: Lists
) -> None:
    await _assert_budget(app, client, "/api/v1/me/notifications", stage.headers(settings, "rose"))


async def test_a_page_of_my_spaces_costs_four_statements_at_most(
    app: FastAPI, client: httpx.AsyncClient, stage: Stage, settings: Settings, lists: Lists
) -> None:
    await _assert_budget(app, client, "/api/v1/me/spaces", stage.headers(settings, "rose"))


async def _awaiting_in_every_space(db: Database, stage: Stage) -> None:
    """In each of rose's other spaces: a prompt to do, one she answered, the brand's open
    question on that answer and a reply under it."""
    rose = stage.people["rose"].id
    staff = stage.people["animator"].id
    start = utcnow() - timedelta(hours=1)
    async with db.writer() as session, session.begin():
        memberships = (
            await session.scalars(
                select(Participant).where(
                    Participant.user_id == rose, Participant.space_id != stage.space_id
                )
            )
        ).all()
        prompts = [
            Prompt(
                organization_id=p.organization_id,
                space_id=p.space_id,
                key=key,
                position=position,
                kind=PromptKind.discussion,
                title=key.title(),
                status=PromptStatus.published,
                release_kind=ReleaseKind.at,
                release_at=start,
            )
            for p in memberships
            for position, key in enumerate(("todo", "done"))
        ]
        session.add_all(prompts)
        await session.flush()
        answers = [
            Response(
                organization_id=prompt.organization_id,
                space_id=prompt.space_id,
                prompt_id=prompt.id,
                participant_id=p.id,
                text="Yes",
                text_html="<p>Yes</p>",
            )
            for p in memberships
            for prompt in prompts
            if prompt.space_id == p.space_id and prompt.key == "done"
        ]
        session.add_all(answers)
        await session.flush()
        session.add_all(
            Probe(
                organization_id=answer.organization_id,
                space_id=answer.space_id,
                prompt_id=answer.prompt_id,
                response_id=answer.id,
                participant_id=answer.participant_id,
                created_by_user_id=staff,
                text="Why?",
                text_html="<p>Why?</p>",
                visibility=ProbeVisibility.private,
                due_at=start + timedelta(days=2),
            )
            for answer in answers
        )
        session.add_all(
            Reply(
                organization_id=answer.organization_id,
                space_id=answer.space_id,
                response_id=answer.id,
                author_kind=AuthorKind.staff,
                author_user_id=staff,
                text="Merci",
                text_html="<p>Merci</p>",
            )
            for answer in answers
        )


async def test_a_page_of_my_spaces_with_what_awaits_me_costs_four_statements_at_most(
    app: FastAPI,
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    db: Database,
    lists: Lists,
) -> None:
    """Each card's prompts to do, open questions and new replies are counted in SQL and by
    the one timeline function over the whole page's script, not space by space."""
    await _awaiting_in_every_space(db, stage)
    headers = stage.headers(settings, "rose")
    await _assert_budget(app, client, "/api/v1/me/spaces", headers)
    page = await client.get("/api/v1/me/spaces", params={"limit": 200}, headers=headers)
    cards = [c for c in page.json()["items"] if c["space_id"] != str(stage.space_id)]
    assert len(cards) == FULL
    assert {(c["to_do"], c["open_probes"], c["unread_replies"]) for c in cards} == {(1, 1, 1)}


async def test_a_page_of_my_open_questions_costs_four_statements_at_most(
    app: FastAPI,
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    db: Database,
    lists: Lists,
) -> None:
    rose = stage.participants["rose"]
    async with db.writer() as session, session.begin():
        answer = await session.scalar(
            select(Response).where(
                Response.participant_id == rose, Response.prompt_id == lists.prompt_id
            )
        )
        assert answer is not None
        session.add_all(
            Probe(
                organization_id=answer.organization_id,
                space_id=answer.space_id,
                prompt_id=answer.prompt_id,
                response_id=answer.id,
                participant_id=rose,
                created_by_user_id=stage.people["animator"].id,
                text=f"Why {index}?",
                text_html=f"<p>Why {index}?</p>",
                visibility=ProbeVisibility.private,
                due_at=utcnow() + timedelta(days=2),
            )
            for index in range(FULL)
        )
    url = f"/api/v1/me/spaces/{stage.space_id}/probes"
    await _assert_budget(app, client, url, stage.headers(settings, "rose"))
