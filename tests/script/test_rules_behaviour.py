"""The script's rules as participants live them, through the API: branches taken and not,
close rules, diaries, sequences, previews at a past date, and the private thread's author.

These pin behaviour that a move of ``script/`` must keep (issue 10, "Pin the behaviour").
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.models import Notification, Participant, Prompt, Response, Space, SpaceStatus
from causerie.notifications.release import release_tick
from causerie.script import rules as script_rules
from tests.script.conftest import Stage, add_prompt, discussion, poll

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def _when(value: object) -> datetime:
    assert isinstance(value, str), value
    return datetime.fromisoformat(value)


async def _answer(
    client: httpx.AsyncClient,
    settings: Settings,
    stage: Stage,
    who: str,
    prompt: dict[str, Any],
    **body: object,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/prompts/{prompt['id']}/responses",
        json=body,
        headers=stage.headers(settings, who),
    )


async def _my_timeline(
    client: httpx.AsyncClient, settings: Settings, stage: Stage, who: str
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/me/spaces/{stage.space_id}/timeline", headers=stage.headers(settings, who)
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def _preview(
    client: httpx.AsyncClient, settings: Settings, stage: Stage, who: str, at: datetime
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/spaces/{stage.space_id}/timeline",
        params={"participant_id": str(stage.participants[who]), "at": at.isoformat()},
        headers=stage.headers(settings, "animator"),
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _items(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for item in view["items"]}


def _states(view: dict[str, Any]) -> dict[str, str]:
    return {item["key"]: item["state"] for item in view["items"]}


async def _notified_users(db: Database, prompt_id: object) -> list[uuid.UUID]:
    async with db.reader() as session:
        rows = await session.scalars(
            select(Notification.user_id).where(
                Notification.prompt_id == uuid.UUID(str(prompt_id)),
                Notification.kind == "prompt_opened",
            )
        )
        return list(rows.all())


async def _in_app(
    client: httpx.AsyncClient, settings: Settings, stage: Stage, who: str
) -> list[dict[str, Any]]:
    page = await client.get("/api/v1/me/notifications", headers=stage.headers(settings, who))
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def _lamp_and_branch(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> tuple[dict[str, Any], dict[str, Any]]:
    lamp = await add_prompt(client, stage, settings, poll(key="lamp"))
    branch = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="why-pricey",
            title="At what price would you have bought it?",
            release={"kind": "when_answer", "prompt_id": lamp["id"], "option_keys": ["pricey"]},
        ),
    )
    return lamp, branch


# --- when_answer branches ----------------------------------------------------------------


async def test_the_chosen_option_opens_its_branch_and_announces_it_to_that_participant_only(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    lamp, branch = await _lamp_and_branch(client, stage, settings)
    rose = await _answer(client, settings, stage, "rose", lamp, choices=["pricey"])
    assert rose.status_code == 201, rose.text
    jules = await _answer(client, settings, stage, "jules", lamp, choices=["love"])
    assert jules.status_code == 201, jules.text
    mine = _items(await _my_timeline(client, settings, stage, "rose"))
    assert mine["why-pricey"]["state"] == "open"
    assert _when(mine["why-pricey"]["opens_at"]) == _when(rose.json()["created_at"])
    assert mine["why-pricey"]["body_html"] is not None, "an open prompt shows its content"
    theirs = _states(await _my_timeline(client, settings, stage, "jules"))
    assert "why-pricey" not in theirs, "the branch not taken is not listed"

    assert await _notified_users(db, branch["id"]) == [stage.people["rose"].id]
    roses = [
        n for n in await _in_app(client, settings, stage, "rose") if n["kind"] == "prompt_opened"
    ]
    assert [(n["prompt_id"], n["title"]) for n in roses] == [
        (branch["id"], "At what price would you have bought it?")
    ]
    jules_notes = await _in_app(client, settings, stage, "jules")
    assert branch["id"] not in {n["prompt_id"] for n in jules_notes}

    assert (await _answer(client, settings, stage, "rose", branch, text="50 €")).status_code == 201
    assert (await _answer(client, settings, stage, "jules", branch, text="no")).status_code == 404


async def test_a_branch_opens_when_any_of_its_options_is_among_the_choices(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    lamp = await add_prompt(
        client,
        stage,
        settings,
        poll(
            key="lamp",
            poll={
                "multiple": True,
                "options": [
                    {"key": "love", "label": "I love it"},
                    {"key": "pricey", "label": "Too expensive"},
                    {"key": "big", "label": "Too big"},
                ],
            },
        ),
    )
    await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="doubts",
            release={
                "kind": "when_answer",
                "prompt_id": lamp["id"],
                "option_keys": ["pricey", "big"],
            },
        ),
    )
    both = await _answer(client, settings, stage, "rose", lamp, choices=["love", "big"])
    assert both.status_code == 201, both.text
    assert _states(await _my_timeline(client, settings, stage, "rose"))["doubts"] == "open"


async def test_a_branch_that_may_never_open_is_not_listed_under_coming_next(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    await _lamp_and_branch(client, stage, settings)
    view = await _my_timeline(client, settings, stage, "jules")
    assert _states(view) == {"lamp": "open"}
    assert "At what price" not in str(view)
    preview = await _preview(client, settings, stage, "jules", utcnow())
    assert _states(preview) == {"lamp": "open"}, "staff preview what the participant sees"


# --- close rules --------------------------------------------------------------------------


async def test_a_prompt_closing_at_a_date_is_open_until_then_and_closed_after(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    closes = (utcnow() + 2 * DAY).replace(microsecond=0)
    dated = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="dated", close={"kind": "at", "at": closes.isoformat()}),
    )
    assert dated["close"]["kind"] == "at"
    assert _when(dated["close"]["at"]) == closes
    item = _items(await _my_timeline(client, settings, stage, "rose"))["dated"]
    assert item["state"] == "open"
    assert _when(item["closes_at"]) == closes, "the 'open until' date"
    just_before = _items(await _preview(client, settings, stage, "rose", closes - HOUR))["dated"]
    assert (just_before["state"], _when(just_before["closes_at"])) == ("open", closes)
    at_close = _items(await _preview(client, settings, stage, "rose", closes))["dated"]
    assert (at_close["state"], _when(at_close["closes_at"])) == ("closed", closes)
    after = _items(await _preview(client, settings, stage, "rose", closes + HOUR))["dated"]
    assert after["state"] == "closed"


async def test_a_close_date_in_the_past_takes_no_more_answers(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    past = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="past",
            release={"kind": "at", "at": (utcnow() - 3 * HOUR).isoformat()},
            close={"kind": "at", "at": (utcnow() - HOUR).isoformat()},
        ),
    )
    assert _states(await _my_timeline(client, settings, stage, "rose"))["past"] == "closed"
    late = await _answer(client, settings, stage, "rose", past, text="late")
    assert late.status_code == 409
    assert late.json()["code"] == "prompt.not_open"


async def test_a_follow_up_of_a_prompt_that_closed_unanswered_is_no_longer_listed(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    closing = (utcnow() + HOUR).replace(microsecond=0)
    first = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="first", close={"kind": "at", "at": closing.isoformat()}),
    )
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="then", release={"kind": "after_prompt", "prompt_id": first["id"]}),
    )
    assert _states(await _my_timeline(client, settings, stage, "rose")) == {
        "first": "open",
        "then": "upcoming",
    }
    after = await _preview(client, settings, stage, "rose", closing)
    assert _states(after) == {"first": "closed"}, "it can no longer open"


async def test_a_close_date_is_read_in_the_space_time_zone(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    paris = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="paris", close={"kind": "at", "at": "2027-03-29T09:00:00"}),
    )
    assert paris["close"]["at"] == "2027-03-29T07:00:00Z"
    assert paris["close"]["at_local"] == "2027-03-29T09:00:00+02:00"


async def test_a_prompt_closing_after_it_opens_counts_from_its_opening(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    opened = (utcnow() - 30 * timedelta(minutes=1)).replace(microsecond=0)
    timed = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="timed",
            release={"kind": "at", "at": opened.isoformat()},
            close={"kind": "after_open", "delay_minutes": 120},
        ),
    )
    assert (timed["close"]["kind"], timed["close"]["delay_minutes"]) == ("after_open", 120)
    item = _items(await _my_timeline(client, settings, stage, "rose"))["timed"]
    assert item["state"] == "open"
    assert _when(item["opens_at"]) == opened
    assert _when(item["closes_at"]) == opened + 2 * HOUR
    later = _items(await _preview(client, settings, stage, "rose", opened + 2 * HOUR))["timed"]
    assert later["state"] == "closed"
    expired = await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="expired",
            release={"kind": "at", "at": (utcnow() - 2 * HOUR).isoformat()},
            close={"kind": "after_open", "delay_minutes": 60},
        ),
    )
    assert _states(await _my_timeline(client, settings, stage, "rose"))["expired"] == "closed"
    late = await _answer(client, settings, stage, "rose", expired, text="late")
    assert (late.status_code, late.json()["code"]) == (409, "prompt.not_open")


async def test_a_follow_up_closing_after_it_opens_counts_from_each_participants_answer(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    await add_prompt(
        client,
        stage,
        settings,
        discussion(
            key="then",
            release={"kind": "after_prompt", "prompt_id": first["id"]},
            close={"kind": "after_open", "delay_minutes": 90},
        ),
    )
    posted = await _answer(client, settings, stage, "rose", first, text="done")
    answered_at = _when(posted.json()["created_at"])
    item = _items(await _my_timeline(client, settings, stage, "rose"))["then"]
    assert item["state"] == "open"
    assert _when(item["closes_at"]) == answered_at + timedelta(minutes=90)
    jules = _items(await _my_timeline(client, settings, stage, "jules"))["then"]
    assert (jules["state"], jules["opens_at"], jules["closes_at"]) == ("upcoming", None, None)


@pytest.mark.parametrize(
    ("close", "reason"),
    [
        ({"kind": "at"}, "an 'at' close needs a date and time."),
        ({"kind": "after_open"}, "closing after it opens needs a delay."),
        ({"kind": "after_open", "delay_minutes": 0}, "closing after it opens needs a delay."),
    ],
)
async def test_close_rules_that_cannot_work_are_refused(
    client: httpx.AsyncClient,
    stage: Stage,
    settings: Settings,
    close: dict[str, object],
    reason: str,
) -> None:
    response = await client.post(
        f"/api/v1/spaces/{stage.space_id}/prompts",
        json=discussion(key="closing", close=close),
        headers=stage.headers(settings, "animator"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "script.invalid_rule"
    assert response.json()["detail"] == f"Prompt 'closing': {reason}"


async def test_the_shortest_close_delay_is_accepted(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    minute = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="minute", close={"kind": "after_open", "delay_minutes": 1}),
    )
    assert minute["close"]["delay_minutes"] == 1


# --- diaries, sequences -------------------------------------------------------------------


async def _move_entry(db: Database, response_id: object, index: int, at: datetime) -> None:
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Response)
            .where(Response.id == uuid.UUID(str(response_id)))
            .values(entry_index=index, created_at=at)
        )


async def test_a_diary_is_answered_after_its_required_number_of_entries(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    opened = (utcnow() - 3 * DAY - HOUR).replace(microsecond=0)
    diary = await add_prompt(
        client,
        stage,
        settings,
        {
            **discussion(key="diary", release={"kind": "at", "at": opened.isoformat()}),
            "kind": "diary",
            "diary": {"entries": 3, "period": "day"},
        },
    )
    await add_prompt(client, stage, settings, discussion(key="talk"))
    for index in range(3):
        view = await _my_timeline(client, settings, stage, "rose")
        item = _items(view)["diary"]
        assert (item["state"], item["entries_done"], item["entries_expected"]) == (
            "open",
            index,
            3,
        )
        assert (view["answered"], view["expected"]) == (0, 2)
        posted = await _answer(client, settings, stage, "rose", diary, text=f"day {index}")
        assert posted.status_code == 201, posted.text
        assert posted.json()["entry_index"] == 3, "today is the fourth day since it opened"
        await _move_entry(db, posted.json()["id"], index, opened + index * DAY + HOUR)
    view = await _my_timeline(client, settings, stage, "rose")
    item = _items(view)["diary"]
    assert (item["state"], item["entries_done"], item["entries_expected"]) == ("answered", 3, 3)
    assert (view["answered"], view["expected"]) == (1, 2)
    more = await _answer(client, settings, stage, "rose", diary, text="one more")
    assert (more.status_code, more.json()["code"]) == (409, "response.exists")
    on_day_two = _items(await _preview(client, settings, stage, "rose", opened + DAY + 2 * HOUR))
    assert (on_day_two["diary"]["state"], on_day_two["diary"]["entries_done"]) == ("open", 2)


async def test_a_three_prompt_sequence_opens_step_by_step_and_announces_each_step(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    one = await add_prompt(client, stage, settings, discussion(key="one"))
    two = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="two", release={"kind": "after_prompt", "prompt_id": one["id"]}),
    )
    three = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="three", release={"kind": "after_prompt", "prompt_id": two["id"]}),
    )
    expected_steps = [
        ({"one": "open", "two": "upcoming", "three": "upcoming"}, 0),
        ({"one": "answered", "two": "open", "three": "upcoming"}, 1),
        ({"one": "answered", "two": "answered", "three": "open"}, 2),
        ({"one": "answered", "two": "answered", "three": "answered"}, 3),
    ]
    previous_answer: datetime | None = None
    for step, (prompt, (states, answered)) in enumerate(
        zip([one, two, three, None], expected_steps, strict=True)
    ):
        view = await _my_timeline(client, settings, stage, "rose")
        assert _states(view) == states, step
        assert (view["answered"], view["expected"]) == (answered, 3)
        opened_now = [item for item in view["items"] if item["state"] == "open"]
        if previous_answer is not None and opened_now:
            assert _when(opened_now[0]["opens_at"]) == previous_answer
        if prompt is None:
            break
        posted = await _answer(client, settings, stage, "rose", prompt, text=f"step {step}")
        assert posted.status_code == 201, posted.text
        previous_answer = _when(posted.json()["created_at"])
    assert await _notified_users(db, two["id"]) == [stage.people["rose"].id]
    assert await _notified_users(db, three["id"]) == [stage.people["rose"].id]
    assert _states(await _my_timeline(client, settings, stage, "jules")) == expected_steps[0][0]
    skipped = await _answer(client, settings, stage, "jules", three, text="too early")
    assert (skipped.status_code, skipped.json()["code"]) == (409, "prompt.not_open")


# --- preview as of a date -----------------------------------------------------------------


async def test_a_preview_at_a_past_date_ignores_answers_given_after_it(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    first = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="first", release={"kind": "at", "at": (utcnow() - 3 * HOUR).isoformat()}),
    )
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="second", release={"kind": "after_prompt", "prompt_id": first["id"]}),
    )
    posted = await _answer(client, settings, stage, "rose", first, text="now")
    answered_at = _when(posted.json()["created_at"])
    before = await _preview(client, settings, stage, "rose", answered_at - HOUR)
    assert _states(before) == {"first": "open", "second": "upcoming"}
    assert (before["answered"], before["expected"]) == (0, 2)
    assert _items(before)["first"]["entries_done"] == 0
    assert _items(before)["second"]["opens_at"] is None
    after = await _preview(client, settings, stage, "rose", answered_at + HOUR)
    assert _states(after) == {"first": "answered", "second": "open"}
    assert (after["answered"], after["expected"]) == (1, 2)
    assert _items(after)["first"]["entries_done"] == 1
    assert _when(_items(after)["second"]["opens_at"]) == answered_at


async def test_a_preview_before_the_poll_answer_opens_no_branch(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    lamp, _branch = await _lamp_and_branch(client, stage, settings)
    posted = await _answer(client, settings, stage, "rose", lamp, choices=["pricey"])
    answered_at = _when(posted.json()["created_at"])
    before = await _preview(
        client, settings, stage, "rose", answered_at - 10 * timedelta(minutes=1)
    )
    opened = {key for key, state in _states(before).items() if state in ("open", "answered")}
    assert opened == {"lamp"}
    assert _states(before)["lamp"] == "open"
    now = await _preview(client, settings, stage, "rose", answered_at + HOUR)
    assert _states(now) == {"lamp": "answered", "why-pricey": "open"}


# --- the private thread, as its author sees it --------------------------------------------


async def test_the_author_of_a_private_answer_reads_it_and_the_brands_replies(
    client: httpx.AsyncClient, stage: Stage, settings: Settings
) -> None:
    prompt = await add_prompt(client, stage, settings, discussion(visibility="private"))
    rose = (await _answer(client, settings, stage, "rose", prompt, text="For the brand")).json()
    jules = (await _answer(client, settings, stage, "jules", prompt, text="Mine too")).json()
    replies = f"/api/v1/responses/{rose['id']}/replies"
    staff = await client.post(
        replies, json={"text": "Thank you Rose"}, headers=stage.headers(settings, "animator")
    )
    assert staff.status_code == 201, staff.text

    listing = await client.get(
        f"/api/v1/prompts/{prompt['id']}/responses", headers=stage.headers(settings, "rose")
    )
    assert [(i["id"], i["text"], i["mine"]) for i in listing.json()["items"]] == [
        (rose["id"], "For the brand", True)
    ]
    assert listing.json()["items"][0]["brand_replied"] is True
    assert listing.json()["items"][0]["reply_count"] == 1
    thread = await client.get(replies, headers=stage.headers(settings, "rose"))
    assert thread.status_code == 200
    assert [(r["text"], r["author_kind"], r["mine"]) for r in thread.json()["items"]] == [
        ("Thank you Rose", "staff", False)
    ]
    answer_back = await client.post(
        replies, json={"text": "You're welcome"}, headers=stage.headers(settings, "rose")
    )
    assert answer_back.status_code == 201, answer_back.text

    for who in ("jules", "ines"):
        assert (await client.get(replies, headers=stage.headers(settings, who))).status_code == 404
        others = await client.get(
            f"/api/v1/prompts/{prompt['id']}/responses", headers=stage.headers(settings, who)
        )
        assert rose["id"] not in {i["id"] for i in others.json()["items"]}
        assert "For the brand" not in others.text
        assert "Thank you Rose" not in others.text
    assert [
        i["id"]
        for i in (
            await client.get(
                f"/api/v1/prompts/{prompt['id']}/responses",
                headers=stage.headers(settings, "jules"),
            )
        ).json()["items"]
    ] == [jules["id"]]
    roses_thread = (await client.get(replies, headers=stage.headers(settings, "rose"))).json()
    assert [r["text"] for r in roses_thread["items"]] == ["Thank you Rose", "You're welcome"]


# --- what the timeline reads from the database ---------------------------------------------


async def test_segment_targeted_prompts_reach_and_are_announced_to_their_members_only(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    for_prospects = await add_prompt(
        client, stage, settings, discussion(key="prospects", segment_ids=[str(stage.prospects)])
    )
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="everyone-targeted", segment_ids=[str(stage.vip), str(stage.prospects)]),
    )
    await add_prompt(client, stage, settings, discussion(key="all"))
    assert _states(await _my_timeline(client, settings, stage, "rose")) == {
        "everyone-targeted": "open",
        "all": "open",
    }
    assert _states(await _my_timeline(client, settings, stage, "ines")) == {
        "prospects": "open",
        "everyone-targeted": "open",
        "all": "open",
    }
    assert await release_tick(db, settings) == 7, "3 people x 2 prompts + Inès's own"
    assert await _notified_users(db, for_prospects["id"]) == [stage.people["ines"].id]


async def test_after_join_prompts_count_from_each_participants_join(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    joined_now = utcnow().replace(microsecond=0)
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == stage.participants["jules"])
            .values(joined_at=joined_now)
        )
        rose_joined = await session.scalar(
            select(Participant.joined_at).where(Participant.id == stage.participants["rose"])
        )
    assert rose_joined is not None
    welcome = await add_prompt(
        client,
        stage,
        settings,
        discussion(key="day-one", release={"kind": "after_join", "delay_minutes": 24 * 60}),
    )
    roses = _items(await _my_timeline(client, settings, stage, "rose"))["day-one"]
    assert (roses["state"], _when(roses["opens_at"])) == ("open", rose_joined + DAY)
    jules = _items(await _my_timeline(client, settings, stage, "jules"))["day-one"]
    assert (jules["state"], _when(jules["opens_at"])) == ("upcoming", joined_now + DAY)
    assert await release_tick(db, settings) == 2
    notified = set(await _notified_users(db, welcome["id"]))
    assert notified == {stage.people["rose"].id, stage.people["ines"].id}


async def test_the_timeline_holds_this_spaces_live_prompts_in_script_order(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    async with db.writer() as session, session.begin():
        club = await session.get_one(Space, stage.space_id)
        other = Space(
            organization_id=club.organization_id,
            title="Other club",
            objective=club.objective,
            language=club.language,
            time_zone=club.time_zone,
            status=SpaceStatus.open,
            opened_at=club.opened_at,
        )
        session.add(other)
    elsewhere = await client.post(
        f"/api/v1/spaces/{other.id}/prompts",
        json=discussion(key="elsewhere"),
        headers=stage.headers(settings, "animator"),
    )
    assert elsewhere.status_code == 201, elsewhere.text
    first, second, third = [
        await add_prompt(client, stage, settings, discussion(key=key))
        for key in ("first", "second", "third")
    ]
    headers = stage.headers(settings, "animator")
    gone = await client.delete(f"/api/v1/prompts/{second['id']}", headers=headers)
    assert gone.status_code == 204
    order = [third["id"], first["id"]]
    reordered = await client.put(
        f"/api/v1/spaces/{stage.space_id}/prompts/order",
        json={"prompt_ids": order},
        headers=headers,
    )
    assert reordered.status_code == 200, reordered.text
    listed = await client.get(f"/api/v1/spaces/{stage.space_id}/prompts", headers=headers)
    assert [p["key"] for p in listed.json()["items"]] == ["third", "first"]
    view = await _my_timeline(client, settings, stage, "rose")
    assert [item["key"] for item in view["items"]] == ["third", "first"]


async def test_a_withdrawn_answer_no_longer_counts(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    await add_prompt(
        client,
        stage,
        settings,
        discussion(key="then", release={"kind": "after_prompt", "prompt_id": first["id"]}),
    )
    posted = (await _answer(client, settings, stage, "rose", first, text="oops")).json()
    assert _states(await _my_timeline(client, settings, stage, "rose")) == {
        "first": "answered",
        "then": "open",
    }
    async with db.writer() as session, session.begin():
        await session.execute(
            update(Response)
            .where(Response.id == uuid.UUID(posted["id"]))
            .values(deleted_at=utcnow())
        )
    view = await _my_timeline(client, settings, stage, "rose")
    assert _states(view) == {"first": "open", "then": "upcoming"}
    assert (view["answered"], _items(view)["first"]["entries_done"]) == (0, 0)


async def test_prompts_sharing_a_position_are_listed_in_the_same_order_everywhere(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    first = await add_prompt(client, stage, settings, discussion(key="first"))
    second = await add_prompt(client, stage, settings, discussion(key="second"))
    async with db.writer() as session, session.begin():
        # The later prompt takes the earlier one's place, with the smaller id.
        await session.execute(
            update(Prompt)
            .where(Prompt.id == uuid.UUID(second["id"]))
            .values(id=uuid.UUID(int=1), position=first["position"])
        )
    headers = stage.headers(settings, "animator")
    listed = await client.get(f"/api/v1/spaces/{stage.space_id}/prompts", headers=headers)
    assert [p["key"] for p in listed.json()["items"]] == ["second", "first"]
    view = await _my_timeline(client, settings, stage, "rose")
    assert [item["key"] for item in view["items"]] == ["second", "first"]


async def test_the_timeline_reads_the_answers_of_the_participants_asked_for_only(
    client: httpx.AsyncClient, stage: Stage, settings: Settings, db: Database
) -> None:
    lamp = await add_prompt(client, stage, settings, poll(key="lamp"))
    for who, choice in (("rose", "love"), ("jules", "pricey")):
        posted = await _answer(client, settings, stage, who, lamp, choices=[choice])
        assert posted.status_code == 201, posted.text
    rose, jules = stage.participants["rose"], stage.participants["jules"]
    async with db.reader() as session:
        answers = await script_rules.answers_for(session, [rose])
        both = await script_rules.answers_for(session, [rose, jules])
        nobody = await script_rules.answers_for(session, [])
    assert set(answers) == {rose}
    assert answers[rose][uuid.UUID(lamp["id"])].option_keys == {"love"}
    assert set(both) == {rose, jules}
    assert both[jules][uuid.UUID(lamp["id"])].option_keys == {"pricey"}
    assert nobody == {}
