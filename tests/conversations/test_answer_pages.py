"""A prompt's page of answers: poll and rating results counted in the database, and a
prompt that follows another read under the participant's whole timeline."""

from __future__ import annotations

import httpx

from causerie.core.settings import Settings
from tests.script.conftest import Stage, add_prompt, discussion, poll


async def _answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, prompt: dict, **body
) -> None:
    response = await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json=body,
        headers=stage.headers(settings, who),
    )
    assert response.status_code == 201, response.text


async def _page(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, who: str, prompt: dict
) -> httpx.Response:
    return await client.get(
        f"/api/v1/prompts/{prompt['id']}/responses", headers=stage.headers(settings, who)
    )


async def test_poll_results_count_every_choice_and_every_other_answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(
        client,
        stage,
        settings,
        poll(
            poll={
                "multiple": True,
                "allow_other": True,
                "options": [
                    {"key": "love", "label": "I love it"},
                    {"key": "pricey", "label": "Too expensive"},
                    {"key": "meh", "label": "Meh"},
                ],
            }
        ),
    )
    await _answer(client, stage, settings, "rose", prompt, choices=["love", "pricey"])
    await _answer(client, stage, settings, "jules", prompt, choices=["love"])
    await _answer(client, stage, settings, "ines", prompt, choices=[], other_text="In blue")
    for who in ("observer", "rose"):
        aggregate = (await _page(client, stage, settings, who, prompt)).json()["aggregate"]
        assert aggregate["responses"] == 3
        assert aggregate["other"] == 1
        assert [(o["key"], o["label"], o["count"]) for o in aggregate["options"]] == [
            ("love", "I love it", 2),
            ("pricey", "Too expensive", 1),
            ("meh", "Meh", 0),
        ]


async def test_rating_results_give_the_average_and_the_spread(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(
        client,
        stage,
        settings,
        {
            **discussion(key="stars", visibility="open"),
            "kind": "rating",
            "rating": {"min": 1, "max": 5},
        },
    )
    for who, stars in (("rose", 4), ("jules", 5), ("ines", 4)):
        await _answer(client, stage, settings, who, prompt, rating=stars)
    aggregate = (await _page(client, stage, settings, "animator", prompt)).json()["aggregate"]
    assert aggregate["responses"] == 3
    assert aggregate["rating_average"] == 4.33
    assert aggregate["rating_counts"] == {"4": 2, "5": 1}


async def test_an_empty_poll_has_zero_results(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, poll())
    page = (await _page(client, stage, settings, "animator", prompt)).json()
    assert page["items"] == []
    assert page["aggregate"]["responses"] == 0
    assert [o["count"] for o in page["aggregate"]["options"]] == [0, 0]


async def test_a_follow_up_is_readable_once_the_participant_answered_what_it_follows(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first", visibility="open"))
    then = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="then",
            visibility="open",
            release={"kind": "after_prompt", "prompt_id": first["id"]},
        ),
    )
    await _answer(client, stage, settings, "rose", first, text="First")
    await _answer(client, stage, settings, "rose", then, text="Then")
    # Jules has not answered the first prompt: the follow-up has not opened for him.
    assert (await _page(client, stage, settings, "jules", then)).status_code == 404
    await _answer(client, stage, settings, "jules", first, text="Me first")
    page = await _page(client, stage, settings, "jules", then)
    assert page.status_code == 200, page.text
    assert [item["text"] for item in page.json()["items"]] == ["Then"]
