"""Liveness of the timeline: what must open does open, with the right dates.

``test_timeline.py`` proves that nothing opens too early; these properties prove the other
half — a released, targeted prompt whose awaited answer exists is never hidden nor
upcoming, whatever the script order — and that ``closes_at`` and the state follow the
close rule and the expected number of entries. The scripts, answers and participants are
the strategies of ``test_timeline.py``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from causerie.script.timeline import (
    Answer,
    Close,
    CloseKind,
    ParticipantFacts,
    PromptRule,
    PromptState,
    Release,
    ReleaseKind,
    State,
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


@dataclass(frozen=True)
class Pending:
    """Opens on the participant's answer to what it follows, which can come from ``since``."""

    since: datetime


def _oracle_opening(
    prompt_id: uuid.UUID | None,
    rules: dict[uuid.UUID, PromptRule],
    participant: ParticipantFacts,
    answers: dict[uuid.UUID, Answer],
    at: datetime,
    visiting: frozenset[uuid.UUID] = frozenset(),
) -> datetime | Pending | None:
    rule = rules.get(prompt_id) if prompt_id is not None else None
    if rule is None or rule.id in visiting or not _targets(rule, participant):
        return None
    release = rule.release
    if release.kind is ReleaseKind.manual:
        return release.released_at
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
    given = answer is not None and any(time <= at for time in answer.entry_times)
    if release.kind is ReleaseKind.when_answer:
        chosen = answer.option_keys if given and answer else frozenset()
        return answer.first_at if answer and chosen & release.option_keys else None
    if given and answer:
        return answer.first_at
    # A follow-up waits for an answer the awaited prompt can still take, now or later.
    awaited_opens = awaited.since if isinstance(awaited, Pending) else awaited
    since = max(awaited_opens, at)
    closes_at = _expected_close(rules[release.prompt_id], awaited_opens)  # type: ignore[index]
    return Pending(since) if closes_at is None or since < closes_at else None


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
    if isinstance(opening, Pending):
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


# --- what is listed under "coming next" opens ----------------------------------------------


def _given_by(answers: dict[uuid.UUID, Answer], at: datetime) -> dict[uuid.UUID, Answer]:
    """The answers as they stood at ``at``: entries given later are not known yet."""
    kept = {}
    for prompt_id, answer in answers.items():
        times = tuple(time for time in answer.entry_times if time <= at)
        if times:
            kept[prompt_id] = replace(answer, entry_times=times)
    return kept


def _keep_answering(
    rules: list[PromptRule],
    participant: ParticipantFacts,
    answers: dict[uuid.UUID, Answer],
    at: datetime,
    watched: uuid.UUID,
) -> PromptState:
    """Let time pass, the participant answering whatever opens at once, until ``watched``
    opens or nothing more can happen; its state then."""
    answers, moment = dict(answers), at
    for _ in range(2 * len(rules) + 2):
        states = timeline(rules, participant, answers, moment)
        state = next(s for s in states if s.prompt_id == watched)
        assert state.state is not State.hidden, "what was coming next disappeared"
        if state.state is not State.upcoming:
            return state
        to_answer = [s.prompt_id for s in states if s.state is State.open]
        fresh = [prompt_id for prompt_id in to_answer if prompt_id not in answers]
        for prompt_id in fresh:
            answers[prompt_id] = Answer(entry_times=(moment,), option_keys=frozenset(OPTIONS[:1]))
        if not fresh:
            dates = [s.opens_at for s in states if s.opens_at and s.opens_at > moment]
            if not dates:
                return state
            moment = min(dates)
    return state


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_what_is_coming_next_opens_once_time_passes_and_its_awaited_steps_are_answered(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(reordered_scripts())
    answers = _given_by(data.draw(answer_sets(rules)), at)
    for state in timeline(rules, participant, answers, at):
        if state.state is State.upcoming:
            later = _keep_answering(rules, participant, answers, at, state.prompt_id)
            assert later.state in OPENED, (state, later)
            if state.opens_at is not None:
                assert later.opens_at == state.opens_at, "it opens on the date announced"


@FAST
@given(data=st.data(), participant=PARTICIPANTS, at=MOMENTS)
def test_a_branch_is_listed_only_once_its_poll_was_answered_with_one_of_its_options(
    data: st.DataObject, participant: ParticipantFacts, at: datetime
) -> None:
    rules = data.draw(reordered_scripts())
    answers = data.draw(answer_sets(rules))
    by_id = {rule.id: rule for rule in rules}
    for state in timeline(rules, participant, answers, at):
        release = by_id[state.prompt_id].release
        if release.kind is ReleaseKind.manual and release.released_at is None:
            assert state.state is State.hidden, "an animator may never release it"
        if release.kind is not ReleaseKind.when_answer:
            continue
        assert state.state is not State.upcoming, "a branch is never announced in advance"
        poll = answers.get(release.prompt_id)  # type: ignore[arg-type]
        chosen = poll.option_keys if poll and poll.first_at <= at else frozenset()
        if not chosen & release.option_keys:
            assert state.state is State.hidden, (release, poll, state)


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
    assert before[branch_id] == PromptState(branch_id, State.hidden), "not before the answer"
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
    assert _one(unreleased) == PromptState(rule.id, State.hidden), "it may never be released"


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


def _follow_up(number: int, follows: PromptRule, close: Close = Close()) -> PromptRule:
    release = Release(ReleaseKind.after_prompt, prompt_id=follows.id)
    return PromptRule(id=uuid.UUID(int=number), position=number, release=release, close=close)


def _dated(number: int, at: datetime, close: Close = Close()) -> PromptRule:
    release = Release(ReleaseKind.at, at=at)
    return PromptRule(id=uuid.UUID(int=number), position=number, release=release, close=close)


def _state_of(rules: list[PromptRule], rule: PromptRule, at: datetime, **answers: Answer) -> State:
    given = {uuid.UUID(int=int(key[1:])): answer for key, answer in answers.items()}
    return next(s.state for s in timeline(rules, JOINED, given, at) if s.prompt_id == rule.id)


def test_a_follow_up_is_listed_while_what_it_follows_can_still_be_answered() -> None:
    tick = timedelta(microseconds=1)
    first = _dated(1, T0, Close(CloseKind.at, at=T0 + HOUR))
    then = _follow_up(2, first)
    rules = [first, then]
    assert _state_of(rules, then, T0 + HOUR - tick) is State.upcoming
    assert _state_of(rules, then, T0 + HOUR) is State.hidden, "the first closed unanswered"
    answered = Answer(entry_times=(T0 + HOUR - tick,))
    assert _state_of(rules, then, T0 + HOUR, p1=answered) is State.open
    by_hand = replace(first, close=Close(CloseKind.manual, closed_at=T0 + HOUR))
    assert _state_of([by_hand, then], then, T0 + HOUR) is State.hidden
    assert _state_of([by_hand, then], then, T0 + HOUR - tick) is State.upcoming


def test_a_follow_up_of_a_prompt_that_closes_as_it_opens_is_not_listed() -> None:
    tick = timedelta(microseconds=1)
    opens = T0 + 2 * HOUR
    for closes, expected in ((opens, State.hidden), (opens + tick, State.upcoming)):
        first = _dated(1, opens, Close(CloseKind.at, at=closes))
        then = _follow_up(2, first)
        assert _state_of([first, then], then, T0) is expected, closes
        gone = replace(first, close=Close(CloseKind.after_open, delay=closes - opens))
        assert _state_of([gone, then], then, T0) is expected, closes - opens


def test_a_chain_is_listed_only_as_far_as_each_step_can_be_answered_in_turn() -> None:
    tick = timedelta(microseconds=1)
    opens = T0 + 2 * HOUR
    first = _dated(1, opens)
    for closes, expected in (
        (T0 + HOUR, State.hidden),
        (opens, State.hidden),
        (opens + tick, State.upcoming),
    ):
        middle = _follow_up(2, first, Close(CloseKind.at, at=closes))
        last = _follow_up(3, middle)
        rules = [first, middle, last]
        assert _state_of(rules, middle, T0) is State.upcoming, "the middle step opens"
        assert _state_of(rules, last, T0) is expected, f"the middle step closes at {closes}"
    # Once the first is open, the middle step can be answered from now on, not before.
    now = opens + HOUR
    for closes, expected in ((now, State.hidden), (now + tick, State.upcoming)):
        middle = _follow_up(2, first, Close(CloseKind.at, at=closes))
        last = _follow_up(3, middle)
        assert _state_of([first, middle, last], last, now) is expected, closes
    for delay, expected in ((timedelta(0), State.hidden), (tick, State.upcoming)):
        middle = _follow_up(2, first, Close(CloseKind.after_open, delay=delay))
        last = _follow_up(3, middle)
        assert _state_of([first, middle, last], last, now) is expected, delay
