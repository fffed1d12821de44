"""Visible, then permitted: staff who can read an answer are told why they cannot act on it.

Answering a prompt, editing an answer or a reply and answering a probe are the
participant's own acts. Staff who can see the prompt or the answer get a 403 naming the
rule, not a 404 that would claim the thing does not exist; strangers still get 404.
"""

from __future__ import annotations

import httpx
import pytest

from causerie.core.settings import Settings
from tests.script.conftest import Stage, add_prompt, discussion


async def _answer(client: httpx.AsyncClient, stage: Stage, settings: Settings, prompt_id: object):
    response = await client.post(
        f"/api/v1/prompts/{prompt_id}/responses",
        json={"text": "Bright and warm."},
        headers=stage.headers(settings, "rose"),
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("who", ["owner", "animator", "observer"])
async def test_staff_who_can_read_a_prompt_are_told_only_participants_answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion())
    headers = stage.headers(settings, who)
    assert (await client.get(f"/api/v1/prompts/{prompt['id']}", headers=headers)).status_code == 200

    refused = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses", json={"text": "Hi"}, headers=headers
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "response.participants_only"
    stranger = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json={"text": "Hi"},
        headers=stage.headers(settings, "outsider"),
    )
    assert stranger.status_code == 404


async def test_staff_cannot_edit_an_answer_or_a_reply_they_did_not_write(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion())
    answer = await _answer(client, stage, settings, prompt["id"])
    animator = stage.headers(settings, "animator")

    edit = await client.patch(
        f"/api/v1/responses/{answer['id']}", json={"text": "Edited by staff"}, headers=animator
    )
    assert edit.status_code == 403, edit.text
    assert edit.json()["code"] == "response.author_only"

    reply = await client.post(
        f"/api/v1/responses/{answer['id']}/replies",
        json={"text": "Thank you!"},
        headers=stage.headers(settings, "rose"),
    )
    assert reply.status_code == 201, reply.text
    changed = await client.patch(
        f"/api/v1/replies/{reply.json()['id']}", json={"text": "Rewritten"}, headers=animator
    )
    assert changed.status_code == 403
    assert changed.json()["code"] == "response.author_only"
    outsider = await client.patch(
        f"/api/v1/responses/{answer['id']}",
        json={"text": "Edited"},
        headers=stage.headers(settings, "outsider"),
    )
    assert outsider.status_code == 404


async def test_staff_are_told_only_the_asked_participant_answers_a_probe(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion())
    answer = await _answer(client, stage, settings, prompt["id"])
    probe = await client.post(
        f"/api/v1/responses/{answer['id']}/probes",
        json={"text": "Which room?", "visibility": "private"},
        headers=stage.headers(settings, "animator"),
    )
    assert probe.status_code == 201, probe.text

    refused = await client.post(
        f"/api/v1/probes/{probe.json()['id']}/answer",
        json={"text": "The kitchen"},
        headers=stage.headers(settings, "owner"),
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "probe.participant_only"
    other = await client.post(
        f"/api/v1/probes/{probe.json()['id']}/answer",
        json={"text": "The kitchen"},
        headers=stage.headers(settings, "jules"),
    )
    assert other.status_code == 404, "a private probe stays invisible to other participants"
