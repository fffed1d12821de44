"""Liveness of the timeline: what must open does open, with the right dates.

``test_timeline.py`` proves that nothing opens too early; these properties prove the other
half — a released, targeted prompt whose awaited answer exists is never hidden nor
upcoming, whatever the script order — and that ``closes_at`` and the state follow the
close rule and the expected number of entries. The scripts, answers and participants are
the strategies of ``test_timeline.py``.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from causerie.script.timeline import (
    UNKNOWN,
    Answer,
    Close,
    CloseKind,
    ParticipantFacts,
    PromptRule,
    PromptState,
    Release,
    ReleaseKind,
    State,
    _Unknown,
    timeline,
)
from tests.script.test_timeline import (
    FAST,
    JOINED,
    MOMENTS,
    OPTIONS,
    PARTICIPANTS,
    T0,
    VIP,
    answer_sets,
    scripts,
)

HOUR = timedelta(hours=1)
OPENED = (State.open, State.answered, State.closed)


@st.composite
def reordered_scripts(draw: st.DrawFn) -> list[PromptRule]:
    """A script whose positions are shuffled: a follow-up may come before what it follows."""
    rules = draw(scripts())
    positions = draw(st.permutations(range(len(rules))))
    pairs = zip(rules, positions, strict=True)
    return [replace(rule, position=position) for rule, position in pairs]


def _targets(rule: PromptRule, participant: ParticipantFacts) -> bool:
    return rule.published and (
        not rule.segment_ids or bool(rule.segment_ids & participant.segment_ids)
    )


def _expected_close(rule: PromptRule, opens_at: datetime) -> datetime | None:
    close = rule.close
    return {
        CloseKind.never: None,
        CloseKind.at: close.at,
        CloseKind.after_open: opens_at + close.delay,
        CloseKind.manual: close.closed_at,
    }[close.kind]


def _trigger(
    rule: PromptRule,
    participant: ParticipantFacts,
    answers: dict[uuid.UUID, Answer],
    by_id: dict[uuid.UUID, PromptState],
    at: datetime,
) -> datetime | None:
    """When the rule says it opens, if that moment is known by ``at``; None otherwise."""
    release = rule.release
    if release.kind is ReleaseKind.at:
        return release.at
    if release.kind is ReleaseKind.after_join:
        return participant.joined_at + release.delay
    if release.kind is ReleaseKind.manual:
        return release.released_at
    awaited = by_id.get(release.prompt_id)  # type: ignore[arg-type]
    answer = answers.get(release.prompt_id)  # type: ignore[arg-type]
    if awaited is None or awaited.state is State.hidden or answer is None:
        return None
    if answer.first_at > at:
        return None
    if release.kind is ReleaseKind.when_answer and not answer.option_keys & release.option_keys:
        return None
    return answer.first_at


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_a_released_targeted_prompt_is_never_hidden_whatever_the_script_order(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(reordered_scripts())
    answers = data.draw(answer_sets(rules))
    states = timeline(rules, participant, answers, at)
    by_id = {state.prompt_id: state for state in states}
    for rule in rules:
        state = by_id[rule.id]
        if not _targets(rule, participant):
            continue
        trigger = _trigger(rule, participant, answers, by_id, at)
        if trigger is None or trigger > at:
            continue
        assert state.state in OPENED, (rule, state, answers.get(rule.release.prompt_id))  # type: ignore[arg-type]
        assert state.opens_at == trigger
        closes_at = _expected_close(rule, trigger)
        assert state.closes_at == closes_at, (rule, state)
        answer = answers.get(rule.id)
        done = answer is not None and answer.entries_by(at) >= rule.expected_entries
        if done:
            assert state.state is State.answered, (rule, state)
        elif closes_at is not None and closes_at <= at:
            assert state.state is State.closed, (rule, state)
        else:
            assert state.state is State.open, (rule, state)


# --- an independent reading of the rules, as the module docstring writes them -------------


def _oracle_opening(
    prompt_id: uuid.UUID | None,
    rules: dict[uuid.UUID, PromptRule],
    participant: ParticipantFacts,
    answers: dict[uuid.UUID, Answer],
    at: datetime,
    visiting: frozenset[uuid.UUID] = frozenset(),
) -> datetime | _Unknown | None:
    rule = rules.get(prompt_id) if prompt_id is not None else None
    if rule is None or rule.id in visiting or not _targets(rule, participant):
        return None
    release = rule.release
    if release.kind is ReleaseKind.manual:
        return release.released_at or UNKNOWN
    if release.kind is ReleaseKind.at:
        return release.at
    if release.kind is ReleaseKind.after_join:
        return participant.joined_at + release.delay
    awaited = _oracle_opening(
        release.prompt_id, rules, participant, answers, at, visiting | {rule.id}
    )
    if awaited is None:
        return None
    answer = answers.get(release.prompt_id)  # type: ignore[arg-type]
    if answer is None or not answer.entry_times or answer.first_at > at:
        return UNKNOWN
    if release.kind is ReleaseKind.when_answer and not answer.option_keys & release.option_keys:
        return None
    return answer.first_at


def _oracle(
    rule: PromptRule,
    rules: dict[uuid.UUID, PromptRule],
    participant: ParticipantFacts,
    answers: dict[uuid.UUID, Answer],
    at: datetime,
) -> PromptState:
    opening = _oracle_opening(rule.id, rules, participant, answers, at)
    if opening is None:
        return PromptState(rule.id, State.hidden)
    if isinstance(opening, _Unknown):
        return PromptState(rule.id, State.upcoming)
    closes_at = _expected_close(rule, opening)
    if opening > at:
        return PromptState(rule.id, State.upcoming, opening, closes_at)
    answer = answers.get(rule.id)
    if answer is not None and answer.entries_by(at) >= rule.expected_entries:
        state = State.answered
    elif closes_at is not None and closes_at <= at:
        state = State.closed
    else:
        state = State.open
    return PromptState(rule.id, state, opening, closes_at)


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_every_state_and_date_is_what_the_rules_say(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(reordered_scripts())
    answers = data.draw(answer_sets(rules))
    by_id = {rule.id: rule for rule in rules}
    expected = [
        _oracle(rule, by_id, participant, answers, at)
        for rule in sorted(rules, key=lambda rule: (rule.position, rule.id))
    ]
    assert timeline(rules, participant, answers, at) == expected


# --- sequences and branches in any order ---------------------------------------------------


@FAST
@given(
    length=st.integers(2, 7),
    data=st.data(),
    answered=st.integers(0, 7),
    extra_hours=st.integers(0, 5),
)
def test_a_sequence_opens_one_step_per_answer_whatever_the_order(
    length: int, data: st.DataObject, answered: int, extra_hours: int
) -> None:
    ids = [uuid.UUID(int=100 + index) for index in range(length)]
    positions = data.draw(st.permutations(range(length)))
    rules = [
        PromptRule(
            id=prompt_id,
            position=positions[index],
            release=Release(ReleaseKind.at, at=T0)
            if index == 0
            else Release(ReleaseKind.after_prompt, prompt_id=ids[index - 1]),
        )
        for index, prompt_id in enumerate(ids)
    ]
    answered = min(answered, length)
    answers = {ids[index]: Answer(entry_times=(T0 + index * HOUR,)) for index in range(answered)}
    at = T0 + max(answered - 1, 0) * HOUR + extra_hours * timedelta(minutes=1)
    states = {state.prompt_id: state for state in timeline(rules, JOINED, answers, at)}
    for index, prompt_id in enumerate(ids):
        state = states[prompt_id]
        if index < answered:
            assert state.state is State.answered, (index, state)
        elif index == answered:
            assert state.state is State.open, (index, state)
            expected_open = T0 if index == 0 else T0 + (index - 1) * HOUR
            assert state.opens_at == expected_open
        else:
            assert (state.state, state.opens_at) == (State.upcoming, None), (index, state)


@FAST
@given(
    chosen=st.frozensets(st.sampled_from(OPTIONS), min_size=1),
    opening=st.frozensets(st.sampled_from(OPTIONS), min_size=1),
    branch_first=st.booleans(),
)
def test_a_branch_opens_exactly_when_a_chosen_option_is_one_of_its_options(
    chosen: frozenset[str], opening: frozenset[str], branch_first: bool
) -> None:
    poll_id, branch_id = uuid.UUID(int=1), uuid.UUID(int=2)
    rules = [
        PromptRule(
            id=poll_id, position=1 if branch_first else 0, release=Release(ReleaseKind.at, at=T0)
        ),
        PromptRule(
            id=branch_id,
            position=0 if branch_first else 1,
            release=Release(ReleaseKind.when_answer, prompt_id=poll_id, option_keys=opening),
            close=Close(CloseKind.after_open, delay=HOUR),
        ),
    ]
    answers = {poll_id: Answer(entry_times=(T0 + HOUR,), option_keys=chosen)}
    before = {s.prompt_id: s for s in timeline(rules, JOINED, answers, T0)}
    assert before[branch_id] == PromptState(branch_id, State.upcoming)
    after = {s.prompt_id: s for s in timeline(rules, JOINED, answers, T0 + HOUR)}
    if chosen & opening:
        assert after[branch_id] == PromptState(branch_id, State.open, T0 + HOUR, T0 + 2 * HOUR)
        later = {s.prompt_id: s for s in timeline(rules, JOINED, answers, T0 + 2 * HOUR)}
        assert later[branch_id].state is State.closed
    else:
        assert after[branch_id] == PromptState(branch_id, State.hidden)


# --- worked examples at the edges ------------------------------------------------------------


def _one(rule: PromptRule, at: datetime = T0, **facts: object) -> PromptState:
    participant = replace(JOINED, **facts)  # type: ignore[arg-type]
    return timeline([rule], participant, {}, at)[0]


def test_dates_beyond_the_calendar_never_open_and_never_close() -> None:
    end = datetime.max.replace(tzinfo=UTC) - HOUR
    late_join = PromptRule(
        id=uuid.UUID(int=1), position=0, release=Release(ReleaseKind.after_join, delay=2 * HOUR)
    )
    assert _one(late_join, joined_at=end) == PromptState(late_join.id, State.hidden)
    endless = PromptRule(
        id=uuid.UUID(int=2),
        position=0,
        release=Release(ReleaseKind.at, at=end),
        close=Close(CloseKind.after_open, delay=2 * HOUR),
    )
    assert _one(endless, at=end) == PromptState(endless.id, State.open, end, None)


def test_a_dated_release_without_its_date_never_opens() -> None:
    undated = PromptRule(id=uuid.UUID(int=1), position=0, release=Release(ReleaseKind.at))
    assert _one(undated, at=T0 + 1000 * HOUR) == PromptState(undated.id, State.hidden)


def test_a_follow_up_of_nothing_never_opens() -> None:
    orphan = PromptRule(id=uuid.UUID(int=1), position=0, release=Release(ReleaseKind.after_prompt))
    assert _one(orphan) == PromptState(orphan.id, State.hidden)


def test_an_answer_without_entries_does_not_open_the_follow_up() -> None:
    first = PromptRule(id=uuid.UUID(int=1), position=0, release=Release(ReleaseKind.at, at=T0))
    then = PromptRule(
        id=uuid.UUID(int=2),
        position=1,
        release=Release(ReleaseKind.after_prompt, prompt_id=first.id),
    )
    states = timeline([first, then], JOINED, {first.id: Answer(entry_times=())}, T0 + HOUR)
    assert states[1] == PromptState(then.id, State.upcoming)


def test_closing_exactly_at_the_moment_is_closed_and_one_moment_before_is_open() -> None:
    rule = PromptRule(
        id=uuid.UUID(int=1),
        position=0,
        release=Release(ReleaseKind.at, at=T0),
        close=Close(CloseKind.at, at=T0 + HOUR),
    )
    tick = timedelta(microseconds=1)
    assert _one(rule, at=T0 + HOUR - tick).state is State.open
    assert _one(rule, at=T0 + HOUR).state is State.closed
    assert _one(rule, at=T0) == PromptState(rule.id, State.open, T0, T0 + HOUR)
    assert _one(rule, at=T0 - tick) == PromptState(rule.id, State.upcoming, T0, T0 + HOUR)


def test_a_manual_close_closes_when_an_animator_closed_it() -> None:
    rule = PromptRule(
        id=uuid.UUID(int=1),
        position=0,
        release=Release(ReleaseKind.manual, released_at=T0),
        close=Close(CloseKind.manual, closed_at=T0 + HOUR),
    )
    assert _one(rule, at=T0 + HOUR) == PromptState(rule.id, State.closed, T0, T0 + HOUR)
    not_yet = replace(rule, close=Close(CloseKind.manual))
    assert _one(not_yet, at=T0 + 100 * HOUR) == PromptState(rule.id, State.open, T0, None)
    unreleased = replace(rule, release=Release(ReleaseKind.manual))
    assert _one(unreleased) == PromptState(rule.id, State.upcoming)


def test_entries_count_up_to_the_moment_and_the_first_is_the_earliest() -> None:
    answer = Answer(entry_times=(T0 + 2 * HOUR, T0, T0 + HOUR))
    assert answer.first_at == T0
    assert [answer.entries_by(T0 + k * HOUR) for k in (-1, 0, 1, 2, 3)] == [0, 1, 2, 3, 3]
    assert PromptState(uuid.UUID(int=1), State.upcoming).visible
    assert not PromptState(uuid.UUID(int=1), State.hidden).visible


def test_a_segment_targeted_prompt_opens_for_its_members() -> None:
    rule = PromptRule(
        id=uuid.UUID(int=1),
        position=0,
        release=Release(ReleaseKind.at, at=T0),
        segment_ids=frozenset({VIP, uuid.UUID(int=77)}),
    )
    assert _one(rule).state is State.open
    assert _one(rule, segment_ids=frozenset()).state is State.hidden
