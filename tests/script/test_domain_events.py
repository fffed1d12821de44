"""The dialogue's services record what happened as domain events, in order, with ids;
subscribers (notifications, live events; later webhooks) take it from there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.event_catalogue import ALL
from causerie.core.events import DomainEvent
from causerie.core.settings import Settings
from causerie.wiring import install_subscribers
from tests.script.conftest import Stage, add_prompt, discussion, poll


@pytest.fixture
def journal(settings: Settings) -> Iterator[list[DomainEvent]]:
    """Every event recorded while the test runs, after the application's own subscribers."""
    seen: list[DomainEvent] = []
    subscribers = install_subscribers(settings)

    async def keep(_session: AsyncSession, event: DomainEvent) -> None:
        seen.append(event)

    subscribers.on(*ALL)(keep)
    yield seen
    install_subscribers(settings)


def _names(journal: list[DomainEvent]) -> list[str]:
    return [event.name for event in journal]


async def test_the_dialogue_records_its_events(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, journal: list[DomainEvent]
) -> None:
    lamp = await add_prompt(client, stage, settings, poll(key="lamp"))
    branch = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="why",
            release={"kind": "when_answer", "prompt_id": lamp["id"], "option_keys": ["pricey"]},
        ),
    )
    rose, animator = stage.headers(settings, "rose"), stage.headers(settings, "animator")
    answered = await client.post(
        f"/api/v1/prompts/{lamp['id']}/responses", json={"choices": ["pricey"]}, headers=rose
    )
    assert answered.status_code == 201, answered.text
    answer_id = uuid.UUID(answered.json()["id"])
    assert _names(journal) == ["prompt.opened", "response.created"]
    opened, created = journal
    assert (opened.prompt_id, opened.participant_id) == (  # type: ignore[attr-defined]
        uuid.UUID(branch["id"]),
        stage.participants["rose"],
    )
    assert created.response_id == answer_id  # type: ignore[attr-defined]

    journal.clear()
    reply = await client.post(
        f"/api/v1/responses/{answer_id}/replies", json={"text": "Why?"}, headers=animator
    )
    assert reply.status_code == 201, reply.text
    probe = await client.post(
        f"/api/v1/responses/{answer_id}/probes",
        json={"text": "What price?", "visibility": "private"},
        headers=animator,
    )
    assert probe.status_code == 201, probe.text
    reacted = await client.post(
        f"/api/v1/responses/{answer_id}/reactions", json={"kind": "heart"}, headers=animator
    )
    assert reacted.status_code == 200, reacted.text
    noted = await client.post(
        f"/api/v1/responses/{answer_id}/notes", json={"text": "Price-sensitive"}, headers=animator
    )
    assert noted.status_code == 201, noted.text
    answered_probe = await client.post(
        f"/api/v1/probes/{probe.json()['id']}/answer", json={"text": "40 €"}, headers=rose
    )
    assert answered_probe.status_code == 201, answered_probe.text
    assert _names(journal) == [
        "reply.created",
        "probe.created",
        "reaction.toggled",
        "note.added",
        "reply.created",
        "probe.answered",
    ]
    assert all(event.organization_id == journal[0].organization_id for event in journal)


async def test_a_refused_write_records_nothing(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, journal: list[DomainEvent]
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(key="d"))
    url = f"/api/v1/prompts/{prompt['id']}/responses"
    refused = await client.post(
        url, json={"choices": ["x"]}, headers=stage.headers(settings, "rose")
    )
    assert refused.status_code == 422
    staff = await client.post(url, json={"text": "hi"}, headers=stage.headers(settings, "owner"))
    assert staff.status_code == 403
    assert journal == []
