"""The participant access rule, tested once and exhaustively.

visibility × answered × who (staff, the author, another participant) × segment (in or
out of the prompt's target segment) × moment (before or after the prompt opens), each
case checked against the rule as the product states it (DESIGN.md). The paths that use
the rule (answers, replies, probes, live events, notifications) keep their own tests.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from causerie.access import participants as access
from causerie.models import Visibility
from causerie.models.script import ReleaseKind
from causerie.script.timeline import (
    Answer,
    ParticipantFacts,
    PromptRule,
    PromptState,
    Release,
    State,
    timeline,
)

OPENS = datetime(2026, 3, 1, 9, tzinfo=UTC)
VIP = uuid.uuid4()
PROMPT = uuid.uuid4()
WHO = ("staff", "author", "other")
CASES = list(
    itertools.product(
        list(Visibility), (False, True), WHO, ("in_segment", "out_of_segment"), ("before", "after")
    )
)


def _state(*, segment: str, moment: str, answered: bool) -> State:
    """The prompt's state for the reader, from the one timeline function."""
    rule = PromptRule(
        id=PROMPT,
        position=0,
        release=Release(kind=ReleaseKind.at, at=OPENS),
        segment_ids=frozenset({VIP}),
    )
    facts = ParticipantFacts(
        segment_ids=frozenset({VIP}) if segment == "in_segment" else frozenset(),
        joined_at=OPENS - timedelta(days=10),
    )
    at = OPENS + timedelta(hours=1) if moment == "after" else OPENS - timedelta(hours=1)
    answers = {PROMPT: Answer(entry_times=(OPENS,))} if answered and moment == "after" else {}
    return access.state_in(timeline([rule], facts, answers, at), PROMPT).state


def _expected(visibility: Visibility, answered: bool, who: str, segment: str, moment: str) -> bool:
    """The rule in the product's words."""
    if who in ("staff", "author"):
        return True  # the brand reads everything; everyone reads their own answer
    opened_for_reader = segment == "in_segment" and moment == "after"
    if not opened_for_reader:
        return False  # nothing of a prompt is readable before it opens for you
    answered = answered and moment == "after"
    return {
        Visibility.open: True,
        Visibility.uninfluenced: answered,
        Visibility.private: False,
    }[visibility]


@pytest.mark.parametrize(("visibility", "answered", "who", "segment", "moment"), CASES)
def test_who_reads_an_answer(
    visibility: Visibility, answered: bool, who: str, segment: str, moment: str
) -> None:
    state = _state(segment=segment, moment=moment, answered=answered)
    reads = access.reads_answer(
        visibility,
        state,
        answered=answered and moment == "after",
        author=who == "author",
        staff=who == "staff",
    )
    assert reads is _expected(visibility, answered, who, segment, moment)


def test_the_cases_cover_every_combination() -> None:
    assert len(CASES) == 3 * 2 * 3 * 2 * 2
    readable = [case for case in CASES if _expected(*case)]
    assert 0 < len(readable) < len(CASES)


@pytest.mark.parametrize("state", list(State))
def test_a_prompt_is_readable_once_it_opened(state: State) -> None:
    assert access.reads_prompt(state) is (state in (State.open, State.answered, State.closed))


@pytest.mark.parametrize(
    ("visibility", "answered", "sees", "withheld"),
    [
        (Visibility.open, False, True, False),
        (Visibility.open, True, True, False),
        (Visibility.uninfluenced, False, False, True),
        (Visibility.uninfluenced, True, True, False),
        (Visibility.private, False, False, False),
        (Visibility.private, True, False, False),
    ],
)
def test_others_answers_are_seen_or_withheld_until_answering(
    visibility: Visibility, answered: bool, sees: bool, withheld: bool
) -> None:
    assert access.sees_others(visibility, answered=answered) is sees
    assert access.withholds_others(visibility, answered=answered) is withheld


@pytest.mark.parametrize(
    ("private", "staff", "author", "reads"),
    [
        (False, False, False, True),
        (False, True, False, True),
        (False, False, True, True),
        (True, False, False, False),
        (True, True, False, True),
        (True, False, True, True),
    ],
)
def test_private_replies_and_probes_are_for_the_author_and_staff(
    private: bool, staff: bool, author: bool, reads: bool
) -> None:
    assert access.reads_private_item(private=private, staff=staff, answer_author=author) is reads


def test_a_prompt_missing_from_the_timeline_is_hidden() -> None:
    other = uuid.uuid4()
    states = [PromptState(other, State.open)]
    assert access.state_in(states, PROMPT) == PromptState(PROMPT, State.hidden)
    assert access.state_in(states, other).state is State.open


def test_what_an_answer_opened_is_what_is_open_now_and_was_not_before() -> None:
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    before = [
        PromptState(first, State.open),
        PromptState(second, State.upcoming),
        PromptState(third, State.hidden),
    ]
    after = [
        PromptState(first, State.answered),
        PromptState(second, State.open),
        PromptState(third, State.open),
    ]
    assert access.newly_open(before, after) == [second, third]
    assert access.newly_open(after, after) == []
