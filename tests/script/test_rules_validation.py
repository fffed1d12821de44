"""The script checks and the prompt → rule translation, without a database.

Every refusal names the prompt and says why, word for word: the SPA shows these texts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from causerie.models import Prompt, PromptKind, PromptStatus
from causerie.models.script import CloseKind, ReleaseKind
from causerie.script.rules import Draft, InvalidRule, draft_of, rule_of, validate_script
from causerie.script.timeline import Close, PromptRule, Release

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLL_ID, TALK_ID, FOLLOW_ID = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)


def _draft(number: int, key: str, **extra: object) -> Draft:
    fields: dict[str, object] = {
        "id": uuid.UUID(int=number),
        "key": key,
        "kind": PromptKind.discussion,
        "release_kind": ReleaseKind.manual,
        "release_at_set": False,
        "release_prompt_id": None,
        "option_keys": (),
        "poll_options": (),
        "close_kind": CloseKind.never,
        "close_at_set": False,
        "close_delay": 0,
    }
    return Draft(**{**fields, **extra})  # type: ignore[arg-type]


POLL = _draft(1, "lamp", kind=PromptKind.poll, poll_options=("love", "pricey"))
TALK = _draft(2, "talk")


def _refusal(*drafts: Draft) -> str:
    with pytest.raises(InvalidRule) as caught:
        validate_script([POLL, TALK, *drafts])
    assert caught.value.code == "script.invalid_rule"
    return str(caught.value.detail)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"release_kind": ReleaseKind.at}, "an 'at' release needs a date and time."),
        ({"close_kind": CloseKind.at}, "an 'at' close needs a date and time."),
        ({"close_kind": CloseKind.after_open}, "closing after it opens needs a delay."),
        (
            {"close_kind": CloseKind.after_open, "close_delay": -5},
            "closing after it opens needs a delay.",
        ),
        ({"release_kind": ReleaseKind.after_prompt}, "choose the prompt this one follows."),
        ({"release_kind": ReleaseKind.when_answer}, "choose the prompt this one follows."),
        (
            {"release_kind": ReleaseKind.after_prompt, "release_prompt_id": uuid.UUID(int=99)},
            "it follows a prompt that is not in this script (deleted?).",
        ),
        (
            {"release_kind": ReleaseKind.after_prompt, "release_prompt_id": FOLLOW_ID},
            "a prompt cannot follow itself.",
        ),
        (
            {"release_kind": ReleaseKind.when_answer, "release_prompt_id": FOLLOW_ID},
            "a prompt cannot follow itself.",
        ),
        (
            {
                "release_kind": ReleaseKind.when_answer,
                "release_prompt_id": TALK_ID,
                "option_keys": ("love",),
            },
            "it branches on 'talk', which is not a poll.",
        ),
        (
            {"release_kind": ReleaseKind.when_answer, "release_prompt_id": POLL_ID},
            "choose the options of 'lamp' that open it.",
        ),
        (
            {
                "release_kind": ReleaseKind.when_answer,
                "release_prompt_id": POLL_ID,
                "option_keys": ("zzz", "love", "meh"),
            },
            "'lamp' has no option 'meh', 'zzz'.",
        ),
    ],
)
def test_each_rule_that_cannot_work_is_refused_with_its_reason(
    extra: dict[str, object], reason: str
) -> None:
    assert _refusal(_draft(3, "follow-up", **extra)) == f"Prompt 'follow-up': {reason}"


@pytest.mark.parametrize(
    "extra",
    [
        {"release_kind": ReleaseKind.at, "release_at_set": True},
        {"release_kind": ReleaseKind.after_join},
        {"release_kind": ReleaseKind.after_prompt, "release_prompt_id": TALK_ID},
        {"release_kind": ReleaseKind.after_prompt, "release_prompt_id": POLL_ID},
        {
            "release_kind": ReleaseKind.when_answer,
            "release_prompt_id": POLL_ID,
            "option_keys": ("pricey",),
        },
        {
            "release_kind": ReleaseKind.when_answer,
            "release_prompt_id": POLL_ID,
            "option_keys": ("love", "pricey"),
        },
        {"close_kind": CloseKind.at, "close_at_set": True},
        {"close_kind": CloseKind.after_open, "close_delay": 1},
        {"close_kind": CloseKind.manual},
        # Fields of another kind are ignored, not checked.
        {"release_kind": ReleaseKind.manual, "release_prompt_id": uuid.UUID(int=99)},
        {"close_kind": CloseKind.never, "close_delay": -1},
    ],
)
def test_rules_that_can_work_are_accepted(extra: dict[str, object]) -> None:
    validate_script([POLL, TALK, _draft(3, "follow-up", **extra)])


def _follows(number: int, key: str, target: int) -> Draft:
    return _draft(
        number,
        key,
        release_kind=ReleaseKind.after_prompt,
        release_prompt_id=uuid.UUID(int=target),
    )


def test_a_cycle_is_refused_naming_where_it_closes() -> None:
    two_way = [_follows(11, "a", 12), _follows(12, "b", 11)]
    with pytest.raises(InvalidRule) as caught:
        validate_script(two_way)
    assert caught.value.detail == "Prompt 'a': its rules form a cycle (a → b → a)."
    entering = [_follows(10, "start", 11), _follows(11, "a", 12), _follows(12, "b", 13)]
    with pytest.raises(InvalidRule) as caught:
        validate_script([*entering, _follows(13, "c", 11)])
    assert caught.value.detail == "Prompt 'a': its rules form a cycle (a → b → c → a)."


def test_long_chains_and_shared_steps_are_not_cycles() -> None:
    chain = [_draft(1, "one"), *(_follows(n, f"step-{n}", n - 1) for n in range(2, 9))]
    validate_script(chain)
    validate_script(list(reversed(chain)))
    fork = [_draft(1, "root"), _follows(2, "left", 1), _follows(3, "right", 1)]
    validate_script([*fork, _follows(4, "joined", 2), _follows(5, "also", 3)])


def _prompt(**extra: object) -> Prompt:
    fields: dict[str, object] = {
        "id": uuid.UUID(int=7),
        "space_id": uuid.UUID(int=70),
        "key": "lamp",
        "position": 4,
        "kind": PromptKind.poll,
        "title": "Lamp",
        "status": PromptStatus.published,
        "config": {"options": [{"key": "love", "label": "Love"}, {"key": "bad", "label": "Bad"}]},
        "release_kind": ReleaseKind.when_answer,
        "release_at": T0,
        "release_delay_minutes": 90,
        "release_prompt_id": POLL_ID,
        "release_option_keys": ["love", "pricey"],
        "released_at": T0 + timedelta(hours=1),
        "close_kind": CloseKind.after_open,
        "close_at": T0 + timedelta(days=2),
        "close_after_minutes": 45,
        "closed_at": T0 + timedelta(days=3),
    }
    return Prompt(**{**fields, **extra})


def test_a_prompt_is_checked_as_the_draft_it_describes() -> None:
    assert draft_of(_prompt()) == Draft(
        id=uuid.UUID(int=7),
        key="lamp",
        kind=PromptKind.poll,
        release_kind=ReleaseKind.when_answer,
        release_at_set=True,
        release_prompt_id=POLL_ID,
        option_keys=("love", "pricey"),
        poll_options=("love", "bad"),
        close_kind=CloseKind.after_open,
        close_at_set=True,
        close_delay=45,
    )
    bare = draft_of(_prompt(config=None, release_option_keys=None, release_at=None, close_at=None))
    assert (bare.option_keys, bare.poll_options) == ((), ())
    assert (bare.release_at_set, bare.close_at_set) == (False, False)


def test_a_prompt_becomes_the_rule_the_timeline_reads() -> None:
    segments = frozenset({uuid.UUID(int=5)})
    assert rule_of(_prompt(), segments) == PromptRule(
        id=uuid.UUID(int=7),
        position=4,
        release=Release(
            kind=ReleaseKind.when_answer,
            at=T0,
            delay=timedelta(minutes=90),
            prompt_id=POLL_ID,
            option_keys=frozenset({"love", "pricey"}),
            released_at=T0 + timedelta(hours=1),
        ),
        close=Close(
            kind=CloseKind.after_open,
            at=T0 + timedelta(days=2),
            delay=timedelta(minutes=45),
            closed_at=T0 + timedelta(days=3),
        ),
        published=True,
        segment_ids=segments,
        expected_entries=1,
    )
    draft = rule_of(_prompt(status=PromptStatus.draft, release_option_keys=None), frozenset())
    assert (draft.published, draft.release.option_keys) == (False, frozenset())


def _with_config(prompt: Prompt, config: dict[str, object] | None) -> Prompt:
    prompt.config = config  # type: ignore[assignment]
    return prompt


def test_a_diary_expects_its_number_of_entries_and_others_expect_one() -> None:
    diary = _prompt(kind=PromptKind.diary, config={"entries": 4, "period": "week"})
    assert rule_of(diary, frozenset()).expected_entries == 4
    assert rule_of(_with_config(diary, {}), frozenset()).expected_entries == 1
    assert rule_of(_with_config(diary, None), frozenset()).expected_entries == 1
    poll_with_entries = _prompt(config={"entries": 4, "options": []})
    assert rule_of(poll_with_entries, frozenset()).expected_entries == 1
