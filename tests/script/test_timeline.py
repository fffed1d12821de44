"""The timeline function: worked examples, then its invariants as properties."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from causerie.script.timeline import (
    Answer,
    Close,
    CloseKind,
    ParticipantFacts,
    PromptRule,
    Release,
    ReleaseKind,
    State,
    timeline,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
VIP, PROSPECTS = uuid.UUID(int=1001), uuid.UUID(int=1002)
JOINED = ParticipantFacts(segment_ids=frozenset({VIP}), joined_at=T0)


def _rule(number: int, release: Release, **extra: object) -> PromptRule:
    return PromptRule(id=uuid.UUID(int=number), position=number, release=release, **extra)  # type: ignore[arg-type]


def _states(rules: list[PromptRule], answers: dict[uuid.UUID, Answer], at: datetime) -> list[str]:
    return [state.state.value for state in timeline(rules, JOINED, answers, at)]


def test_each_release_rule_opens_when_it_says() -> None:
    first = _rule(1, Release(ReleaseKind.at, at=T0 + timedelta(days=1)))
    second = _rule(2, Release(ReleaseKind.after_join, delay=timedelta(days=3)))
    third = _rule(3, Release(ReleaseKind.after_prompt, prompt_id=first.id))
    fourth = _rule(4, Release(ReleaseKind.manual))
    rules = [first, second, third, fourth]
    assert _states(rules, {}, T0) == ["upcoming"] * 3 + ["hidden"], "unreleased: may never be"
    states = timeline(rules, JOINED, {}, T0)
    assert states[0].opens_at == T0 + timedelta(days=1)
    assert states[1].opens_at == T0 + timedelta(days=3)
    assert states[2].opens_at is None, "the date depends on their answer"
    day_two = T0 + timedelta(days=2)
    assert _states(rules, {}, day_two) == ["open", "upcoming", "upcoming", "hidden"]
    answers = {first.id: Answer(entry_times=(day_two,))}
    assert _states(rules, answers, day_two) == ["answered", "upcoming", "open", "hidden"]
    released = replace(fourth, release=Release(ReleaseKind.manual, released_at=day_two))
    assert _states([first, second, third, released], answers, day_two)[3] == "open"


def test_when_answer_branches_on_the_chosen_option() -> None:
    poll = _rule(1, Release(ReleaseKind.at, at=T0))
    expensive = _rule(
        2, Release(ReleaseKind.when_answer, prompt_id=poll.id, option_keys=frozenset({"pricey"}))
    )
    lovely = _rule(
        3, Release(ReleaseKind.when_answer, prompt_id=poll.id, option_keys=frozenset({"love"}))
    )
    rules = [poll, expensive, lovely]
    assert _states(rules, {}, T0) == ["open", "hidden", "hidden"], "no branch before the answer"
    chose = {poll.id: Answer(entry_times=(T0,), option_keys=frozenset({"pricey"}))}
    assert _states(rules, chose, T0 + timedelta(hours=1)) == ["answered", "open", "hidden"]


def test_segments_drafts_and_close_rules() -> None:
    for_prospects = _rule(1, Release(ReleaseKind.at, at=T0), segment_ids=frozenset({PROSPECTS}))
    draft = _rule(2, Release(ReleaseKind.at, at=T0), published=False)
    closes = _rule(
        3,
        Release(ReleaseKind.after_join, delay=timedelta(days=1)),
        close=Close(CloseKind.after_open, delay=timedelta(days=2)),
    )
    diary = _rule(4, Release(ReleaseKind.at, at=T0), expected_entries=3)
    rules = [for_prospects, draft, closes, diary]
    day = timedelta(days=1)
    assert _states(rules, {}, T0 + 2 * day) == ["hidden", "hidden", "open", "open"]
    assert timeline(rules, JOINED, {}, T0)[2].closes_at == T0 + 3 * day
    assert _states(rules, {}, T0 + 3 * day) == ["hidden", "hidden", "closed", "open"]
    two_entries = {diary.id: Answer(entry_times=(T0, T0 + day))}
    assert _states(rules, two_entries, T0 + 2 * day)[3] == "open"
    three = {diary.id: Answer(entry_times=(T0, T0 + day, T0 + 2 * day))}
    assert _states(rules, three, T0 + 2 * day)[3] == "answered"
    assert _states(rules, three, T0 + day)[3] == "open", "entries after `at` do not count"


def test_cycles_and_dangling_references_never_open() -> None:
    a_id, b_id = uuid.UUID(int=1), uuid.UUID(int=2)
    a = _rule(1, Release(ReleaseKind.after_prompt, prompt_id=b_id))
    b = _rule(2, Release(ReleaseKind.after_prompt, prompt_id=a_id))
    dangling = _rule(3, Release(ReleaseKind.after_prompt, prompt_id=uuid.UUID(int=99)))
    assert _states([a, b, dangling], {}, T0 + timedelta(days=400)) == ["hidden"] * 3


# --- properties ----------------------------------------------------------------------------

MOMENTS = st.integers(min_value=-5 * 24, max_value=40 * 24).map(lambda h: T0 + timedelta(hours=h))
SEGMENTS = st.frozensets(st.sampled_from([VIP, PROSPECTS]), max_size=2)
OPTIONS = ("a", "b", "c")


@st.composite
def scripts(draw: st.DrawFn) -> list[PromptRule]:
    count = draw(st.integers(min_value=1, max_value=6))
    ids = [uuid.UUID(int=index + 1) for index in range(count)]
    rules = []
    for index, prompt_id in enumerate(ids):
        kind = draw(st.sampled_from(list(ReleaseKind)))
        release = Release(
            kind=kind,
            at=draw(MOMENTS) if kind is ReleaseKind.at else None,
            delay=timedelta(hours=draw(st.integers(0, 24 * 10))),
            prompt_id=draw(st.sampled_from(ids))
            if kind in (ReleaseKind.after_prompt, ReleaseKind.when_answer)
            else None,
            option_keys=draw(st.frozensets(st.sampled_from(OPTIONS), min_size=1)),
            released_at=draw(st.none() | MOMENTS),
        )
        close_kind = draw(st.sampled_from(list(CloseKind)))
        close = Close(
            kind=close_kind,
            at=draw(MOMENTS),
            delay=timedelta(hours=draw(st.integers(1, 24 * 10))),
            closed_at=draw(st.none() | MOMENTS),
        )
        rules.append(
            PromptRule(
                id=prompt_id,
                position=index,
                release=release,
                close=close,
                published=draw(st.booleans() | st.just(True)),
                segment_ids=draw(SEGMENTS),
                expected_entries=draw(st.integers(1, 3)),
            )
        )
    return rules


@st.composite
def answer_sets(draw: st.DrawFn, rules: list[PromptRule]) -> dict[uuid.UUID, Answer]:
    answers = {}
    for rule in rules:
        if draw(st.booleans()):
            times = tuple(sorted(draw(st.lists(MOMENTS, min_size=1, max_size=3))))
            options = draw(st.frozensets(st.sampled_from(OPTIONS), min_size=1))
            answers[rule.id] = Answer(entry_times=times, option_keys=options)
    return answers


PARTICIPANTS = st.builds(ParticipantFacts, segment_ids=SEGMENTS, joined_at=MOMENTS)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _lower_bound(rule: PromptRule, participant: ParticipantFacts) -> datetime | None:
    release = rule.release
    if release.kind is ReleaseKind.at:
        return release.at
    if release.kind is ReleaseKind.after_join:
        return participant.joined_at + release.delay
    if release.kind is ReleaseKind.manual:
        return release.released_at
    return None


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_a_prompt_never_opens_before_its_rule_allows(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(scripts())
    answers = data.draw(answer_sets(rules))
    for rule, state in zip(rules, timeline(rules, participant, answers, at), strict=True):
        if state.state in (State.open, State.answered, State.closed):
            assert state.opens_at is not None
            assert state.opens_at <= at
            bound = _lower_bound(rule, participant)
            if bound is not None:
                assert state.opens_at == bound
            if rule.release.kind in (ReleaseKind.after_prompt, ReleaseKind.when_answer):
                awaited = answers[rule.release.prompt_id]  # type: ignore[index]
                assert awaited.first_at <= at
                assert state.opens_at == awaited.first_at


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_a_participant_outside_the_target_segments_never_sees_it(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(scripts())
    answers = data.draw(answer_sets(rules))
    for rule, state in zip(rules, timeline(rules, participant, answers, at), strict=True):
        if rule.segment_ids and not rule.segment_ids & participant.segment_ids:
            assert state.state is State.hidden
        if not rule.published:
            assert state.state is State.hidden


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_answering_never_closes_or_hides_what_is_open(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(scripts())
    answers = data.draw(answer_sets(rules))
    before = timeline(rules, participant, answers, at)
    target = data.draw(st.sampled_from(rules))
    previous = answers.get(target.id)
    options = data.draw(st.frozensets(st.sampled_from(OPTIONS), min_size=1))
    more = {
        **answers,
        target.id: Answer(
            entry_times=(*(previous.entry_times if previous else ()), at),
            option_keys=previous.option_keys if previous else options,
        ),
    }
    after = timeline(rules, participant, more, at)
    for old, new in zip(before, after, strict=True):
        if old.state is State.open:
            assert new.state in (State.open, State.answered), (old, new)


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS, seed=st.integers())
def test_the_result_does_not_depend_on_storage_order(
    data: st.DataObject, participant: ParticipantFacts, at: datetime, seed: int
) -> None:
    rules = data.draw(scripts())
    answers = data.draw(answer_sets(rules))
    shuffled = rules[:]
    random.Random(seed).shuffle(shuffled)
    assert timeline(shuffled, participant, answers, at) == timeline(rules, participant, answers, at)


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS, later=st.integers(1, 24 * 30))
def test_time_moving_forward_never_relocks_an_open_prompt(
    data: st.DataObject, participant: ParticipantFacts, at: datetime, later: int
) -> None:
    rules = data.draw(scripts())
    answers = data.draw(answer_sets(rules))
    now = timeline(rules, participant, answers, at)
    then = timeline(rules, participant, answers, at + timedelta(hours=later))
    for old, new in zip(now, then, strict=True):
        if old.state in (State.open, State.answered, State.closed):
            assert new.state in (State.open, State.answered, State.closed), (old, new)
            assert new.opens_at == old.opens_at
