"""What a participant sees of a space's script at a moment: one pure function.

``timeline(script, participant, answers, at)`` depends on nothing else — no database, no
clock — so the participant API, the animator's "preview as", the release notifications
and the SPA all agree, and property tests can hold its invariants.

For each prompt the state is one of:

- ``hidden``: not for this participant, or not yet known to be: a draft, other segments, a
  manual release not released yet, a branch whose poll is not answered or answered with
  other options, a follow-up of something they can no longer answer;
- ``upcoming``: will open — at ``opens_at`` when that date is known, otherwise once they
  answer the prompt it follows (which is open or upcoming for them, and still takes answers);
- ``open``: can be answered now, until ``closes_at`` when known;
- ``answered``: the participant gave what was expected (all entries, for a diary);
- ``closed``: it opened, was not (fully) answered, and takes no more answers.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from causerie.models.script import CloseKind, ReleaseKind


class State(enum.StrEnum):
    hidden = "hidden"
    upcoming = "upcoming"
    open = "open"
    answered = "answered"
    closed = "closed"


@dataclass(frozen=True)
class Release:
    kind: ReleaseKind
    at: datetime | None = None  # `at`
    delay: timedelta = timedelta(0)  # `after_join`
    prompt_id: uuid.UUID | None = None  # `after_prompt`, `when_answer`
    option_keys: frozenset[str] = frozenset()  # `when_answer`
    released_at: datetime | None = None  # `manual`: when an animator released it


@dataclass(frozen=True)
class Close:
    kind: CloseKind = CloseKind.never
    at: datetime | None = None  # `at`
    delay: timedelta = timedelta(0)  # `after_open`, counted from when it opened for them
    closed_at: datetime | None = None  # `manual`: when an animator closed it


@dataclass(frozen=True)
class PromptRule:
    id: uuid.UUID
    position: int
    release: Release
    close: Close = Close()
    published: bool = True
    segment_ids: frozenset[uuid.UUID] = frozenset()  # empty: everyone
    expected_entries: int = 1  # a diary expects several


@dataclass(frozen=True)
class ParticipantFacts:
    segment_ids: frozenset[uuid.UUID]
    joined_at: datetime


@dataclass(frozen=True)
class Answer:
    """What the participant gave to one prompt: when (each entry), and which options."""

    entry_times: tuple[datetime, ...]
    option_keys: frozenset[str] = frozenset()

    @property
    def first_at(self) -> datetime:
        return min(self.entry_times)

    def entries_by(self, moment: datetime) -> int:
        return sum(1 for time in self.entry_times if time <= moment)


@dataclass(frozen=True)
class PromptState:
    prompt_id: uuid.UUID
    state: State
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @property
    def visible(self) -> bool:
        return self.state is not State.hidden


@dataclass
class _Context:
    rules: Mapping[uuid.UUID, PromptRule]
    participant: ParticipantFacts
    answers: Mapping[uuid.UUID, Answer]
    at: datetime
    # Memo of each prompt's opening: None = hidden, a datetime, or _Awaiting an answer.
    openings: dict[uuid.UUID, datetime | _Awaiting | None] = field(default_factory=dict)


@dataclass(frozen=True)
class _Awaiting:
    """Opens when the participant answers the prompt it follows, which they can do from
    ``earliest`` on (not before ``at``, nor before that prompt opens)."""

    earliest: datetime


def _targets(rule: PromptRule, participant: ParticipantFacts) -> bool:
    return not rule.segment_ids or bool(rule.segment_ids & participant.segment_ids)


def _opening(ctx: _Context, prompt_id: uuid.UUID, depth: int = 0) -> datetime | _Awaiting | None:
    """When the prompt opens for the participant; None when it never will (hidden)."""
    if prompt_id in ctx.openings:
        return ctx.openings[prompt_id]
    rule = ctx.rules.get(prompt_id)
    if rule is None or depth > len(ctx.rules):  # unknown reference or a cycle: never opens
        return None
    result: datetime | _Awaiting | None
    if not rule.published or not _targets(rule, ctx.participant):
        result = None
    else:
        result = _rule_opening(ctx, rule, depth)
    ctx.openings[prompt_id] = result
    return result


def _rule_opening(ctx: _Context, rule: PromptRule, depth: int) -> datetime | _Awaiting | None:
    release = rule.release
    if release.kind is ReleaseKind.manual:
        return release.released_at  # an animator may never release it
    if release.kind is ReleaseKind.at:
        return release.at
    if release.kind is ReleaseKind.after_join:
        try:
            return ctx.participant.joined_at + release.delay
        except OverflowError:
            return None
    # after_prompt / when_answer: follows the participant's own answer to another prompt.
    if release.prompt_id is None:
        return None
    awaited = _opening(ctx, release.prompt_id, depth + 1)
    if awaited is None:
        return None  # depends on something they will never see
    answer = ctx.answers.get(release.prompt_id)
    if answer is None or not answer.entry_times or answer.first_at > ctx.at:
        # Not answered yet: a branch may never open (they may choose another option); a
        # follow-up opens once they answer, if what it follows still takes answers.
        if release.kind is ReleaseKind.when_answer:
            return None
        return _first_answer(ctx, ctx.rules[release.prompt_id], awaited)
    if release.kind is ReleaseKind.when_answer and not (answer.option_keys & release.option_keys):
        return None  # the branch not taken
    return answer.first_at


def _first_answer(
    ctx: _Context, rule: PromptRule, opening: datetime | _Awaiting
) -> _Awaiting | None:
    """From when the participant can answer this not yet answered prompt; None if never
    (it closed, or will close before it opens for them)."""
    opens_at = opening.earliest if isinstance(opening, _Awaiting) else opening
    earliest = max(opens_at, ctx.at)
    closes_at = _closing(rule, opens_at)
    return _Awaiting(earliest) if closes_at is None or closes_at > earliest else None


def _closing(rule: PromptRule, opens_at: datetime) -> datetime | None:
    close = rule.close
    if close.kind is CloseKind.at:
        return close.at
    if close.kind is CloseKind.after_open:
        try:
            return opens_at + close.delay
        except OverflowError:
            return None  # beyond the calendar: never closes
    if close.kind is CloseKind.manual:
        return close.closed_at
    return None


def _state(ctx: _Context, rule: PromptRule) -> PromptState:
    opening = _opening(ctx, rule.id)
    if opening is None:
        return PromptState(rule.id, State.hidden)
    if isinstance(opening, _Awaiting):
        return PromptState(rule.id, State.upcoming)
    closes_at = _closing(rule, opening)
    if opening > ctx.at:
        return PromptState(rule.id, State.upcoming, opening, closes_at)
    answer = ctx.answers.get(rule.id)
    if answer is not None and answer.entries_by(ctx.at) >= rule.expected_entries:
        return PromptState(rule.id, State.answered, opening, closes_at)
    if closes_at is not None and closes_at <= ctx.at:
        return PromptState(rule.id, State.closed, opening, closes_at)
    return PromptState(rule.id, State.open, opening, closes_at)


def timeline(
    script: Iterable[PromptRule],
    participant: ParticipantFacts,
    answers: Mapping[uuid.UUID, Answer],
    at: datetime,
) -> list[PromptState]:
    """Every prompt's state for the participant at ``at``, in script order."""
    rules = sorted(script, key=lambda rule: (rule.position, rule.id))
    ctx = _Context({rule.id: rule for rule in rules}, participant, answers, at)
    return [_state(ctx, rule) for rule in rules]
