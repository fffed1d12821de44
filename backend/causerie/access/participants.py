"""The participant access rule, in one place.

Who is the participant in this space (``participants.service.my_participation``), may they
read this prompt, do they see others' answers, may they read this reply or probe, and who
are the readers of an answer: every read path, count, live event and notification asks
this module, so a change of the rule is made once.

- A prompt is readable once it has opened for the participant (open, answered, closed);
  nothing of it is readable while hidden or upcoming.
- Others' answers: ``open`` — visible; ``uninfluenced`` — visible once the participant
  answered; ``private`` — never (only the brand and the author).
- The author always reads their own answer, and the replies and probes under it, private
  ones included. Private replies and probes are for the author and staff only.
- Staff of the organization read everything (``organizations.service.staff_role``).

The rule itself is a handful of pure functions; ``load_view`` is its one loader,
``standings`` applies it to many participants of a space in a constant number of queries,
and ``prompt_sight`` / ``answer_sight`` read one prompt or answer with what its reader
is to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    ColumnElement,
    SQLColumnExpression,
    Uuid,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from causerie.core.database import dialect_of
from causerie.core.pagination import AnyRow, AnySelect
from causerie.core.principal import Principal
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    Response,
    Role,
    Space,
    Visibility,
)
from causerie.models.participants import participant_segment
from causerie.models.script import ReleaseKind, prompt_segment
from causerie.organizations import service as organizations_service
from causerie.participants import service as participants_service
from causerie.script import rules as script_rules
from causerie.script.timeline import Answer, ParticipantFacts, PromptRule, PromptState, State
from causerie.script.timeline import timeline as compute_timeline

OPENED = frozenset({State.open, State.answered, State.closed})


# --- the rule ---------------------------------------------------------------------------------


def reads_prompt(state: State) -> bool:
    """Whether the participant may read the prompt and what was said under it."""
    return state in OPENED


def sees_others(visibility: Visibility, *, answered: bool) -> bool:
    """Whether the participant sees other participants' answers to a prompt they read."""
    if visibility is Visibility.open:
        return True
    return visibility is Visibility.uninfluenced and answered


def withholds_others(visibility: Visibility, *, answered: bool) -> bool:
    """Others' answers exist for this participant once they answer (``uninfluenced``)."""
    return visibility is Visibility.uninfluenced and not answered


def reads_answer(
    visibility: Visibility, state: State, *, answered: bool, author: bool, staff: bool = False
) -> bool:
    """Whether one reads an answer: staff and its author always; another participant when
    the prompt has opened for them and its visibility shows others' answers."""
    if staff or author:
        return True
    return reads_prompt(state) and sees_others(visibility, answered=answered)


def reads_private_item(*, private: bool, staff: bool, answer_author: bool) -> bool:
    """A reply or probe under an answer one reads: private ones are for the answer's author
    and staff only."""
    return not private or staff or answer_author


def private_items_filter(
    private: SQLColumnExpression[bool],
    answer_author_id: SQLColumnExpression[uuid.UUID],
    viewer_id: uuid.UUID | SQLColumnExpression[uuid.UUID],
) -> ColumnElement[bool]:
    """``reads_private_item`` for a participant, as SQL over many items (counts, lists)."""
    return or_(private.is_(False), answer_author_id == viewer_id)


@dataclass(frozen=True)
class Viewer:
    """Who reads in a space: staff (with their role), or a participant (with their
    segments, so that their script view needs no query of its own), or nobody."""

    role: Role | None
    participant: Participant | None
    segment_ids: frozenset[uuid.UUID] = frozenset()


# --- the loader -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptView:
    """Everything the timeline needs for one participant, loaded once."""

    prompts: list[Prompt]
    rules: list[PromptRule]
    facts: ParticipantFacts
    answers: dict[uuid.UUID, Answer]

    def states(
        self, at: datetime, answers: dict[uuid.UUID, Answer] | None = None
    ) -> list[PromptState]:
        return compute_timeline(
            self.rules, self.facts, self.answers if answers is None else answers, at
        )

    def state(self, prompt_id: uuid.UUID, at: datetime) -> PromptState:
        return state_in(self.states(at), prompt_id)

    def to_do(self, at: datetime) -> list[uuid.UUID]:
        """The prompts the participant can answer at ``at``: open, and for a diary, its
        entry for the current period not yet written."""
        prompts = {prompt.id: prompt for prompt in self.prompts}
        return [
            state.prompt_id
            for state in self.states(at)
            if state.state is State.open
            and script_rules.next_entry_at(
                prompts[state.prompt_id],
                state.opens_at,
                answer.entry_times if (answer := self.answers.get(state.prompt_id)) else (),
                at,
            )
            is None
        ]


def state_in(states: list[PromptState], prompt_id: uuid.UUID) -> PromptState:
    """The prompt's state among a timeline's; hidden when the timeline does not hold it."""
    return next(
        (s for s in states if s.prompt_id == prompt_id), PromptState(prompt_id, State.hidden)
    )


def newly_open(before: list[PromptState], after: list[PromptState]) -> list[uuid.UUID]:
    """Prompts open in ``after`` that were not open in ``before`` (what an answer opened)."""
    was_open = {s.prompt_id for s in before if s.state is State.open}
    return [s.prompt_id for s in after if s.state is State.open and s.prompt_id not in was_open]


def _mine(participant_id: uuid.UUID | SQLColumnExpression[uuid.UUID]) -> ColumnElement[bool]:
    """The participant's own live answers to the prompt of the row."""
    return and_(
        Response.prompt_id == Prompt.id,
        Response.participant_id == participant_id,
        Response.deleted_at.is_(None),
    )


_VIEW_COLUMNS = (
    Prompt,
    prompt_segment.c.segment_id,
    Response.id,
    Response.created_at,
    Response.choices,
)


def _view(rows: Iterable[Sequence[Any]], facts: ParticipantFacts) -> ScriptView:
    """A script view from rows of (prompt, one of its target segments, one of the
    participant's answers to it), the outer joins of ``load_view``, in script order."""
    prompts: dict[uuid.UUID, Prompt] = {}
    targets: dict[uuid.UUID, set[uuid.UUID]] = {}
    entries: dict[uuid.UUID, dict[uuid.UUID, tuple[datetime, list[str]]]] = {}
    for prompt, segment_id, response_id, created_at, choices in rows:
        prompts.setdefault(prompt.id, prompt)
        targets.setdefault(prompt.id, set())
        if segment_id is not None:
            targets[prompt.id].add(segment_id)
        if response_id is not None:
            entries.setdefault(prompt.id, {})[response_id] = (created_at, choices or [])
    answers = {
        prompt_id: Answer(
            entry_times=tuple(sorted(time for time, _choices in given.values())),
            option_keys=frozenset(key for _time, choices in given.values() for key in choices),
        )
        for prompt_id, given in entries.items()
    }
    return ScriptView(
        prompts=list(prompts.values()),
        rules=[script_rules.rule_of(p, frozenset(targets[p.id])) for p in prompts.values()],
        facts=facts,
        answers=answers,
    )


async def load_view(
    session: AsyncSession,
    participant: Participant,
    segment_ids: frozenset[uuid.UUID] | None = None,
) -> ScriptView:
    """The participant's script view in two queries: the space's prompts with their target
    segments and the participant's own answers (outer joins), and the participant's
    segments."""
    rows = await session.execute(
        select(*_VIEW_COLUMNS)
        .outerjoin(prompt_segment, prompt_segment.c.prompt_id == Prompt.id)
        .outerjoin(Response, _mine(participant.id))
        .where(Prompt.space_id == participant.space_id, Prompt.deleted_at.is_(None))
        .order_by(Prompt.position, Prompt.id)
    )
    facts = (
        await script_rules.participant_facts(session, participant.id, participant.joined_at)
        if segment_ids is None
        else ParticipantFacts(segment_ids=segment_ids, joined_at=participant.joined_at)
    )
    return _view(rows, facts)


async def load_views(
    session: AsyncSession, participations: Sequence[tuple[Participant, frozenset[uuid.UUID]]]
) -> dict[uuid.UUID, ScriptView]:
    """``load_view`` for one person's participations in several spaces (each with its
    segments), in one query whatever their number."""
    if not participations:
        return {}
    rows: dict[uuid.UUID, list[Sequence[Any]]] = {p.id: [] for p, _segments in participations}
    result = await session.execute(
        select(Participant.id, *_VIEW_COLUMNS)
        .select_from(Prompt)
        .join(Participant, Participant.space_id == Prompt.space_id)
        .outerjoin(prompt_segment, prompt_segment.c.prompt_id == Prompt.id)
        .outerjoin(Response, _mine(Participant.id))
        .where(Participant.id.in_(list(rows)), Prompt.deleted_at.is_(None))
        .order_by(Prompt.position, Prompt.id)
    )
    for participant_id, *row in result:
        rows[participant_id].append(row)
    return {
        participant.id: _view(
            rows[participant.id],
            ParticipantFacts(segment_ids=segments, joined_at=participant.joined_at),
        )
        for participant, segments in participations
    }


@dataclass(frozen=True)
class Standing:
    """Where one participant stands with one prompt."""

    participant: Participant
    state: PromptState
    answered: bool


async def space_rules(session: AsyncSession, space_id: uuid.UUID) -> list[PromptRule]:
    return await script_rules.load_rules(
        session, await script_rules.load_prompts(session, space_id)
    )


async def standings(
    session: AsyncSession,
    participants: list[Participant],
    prompt_id: uuid.UUID,
    now: datetime,
    *,
    rules: list[PromptRule],
) -> list[Standing]:
    """The prompt's state for each of many participants of one space, in two queries
    (their segments and their answers), through the one timeline function."""
    facts = await script_rules.facts_for(session, participants)
    answers = await script_rules.answers_for(session, [p.id for p in participants])
    result = []
    for participant in participants:
        mine = answers.get(participant.id, {})
        state = state_in(compute_timeline(rules, facts[participant.id], mine, now), prompt_id)
        result.append(Standing(participant, state, prompt_id in mine))
    return result


# --- one prompt or one answer, as its reader sees it -------------------------------------------

FOLLOWS_ANOTHER = frozenset({ReleaseKind.after_prompt, ReleaseKind.when_answer})
_MINE = aliased(Response, name="mine")  # the reader's own answers, beside the answer read


def state_alone(
    rule: PromptRule, facts: ParticipantFacts, entry_times: tuple[datetime, ...], at: datetime
) -> PromptState | None:
    """A prompt's state for a participant from its own rule and their own entries, through
    the one timeline function. Exact when its release does not follow another prompt (a
    date, a delay after joining, an animator's hand: the timeline then reads nothing else);
    None when it does, and the participant's whole view is needed (``load_view``)."""
    if rule.release.kind in FOLLOWS_ANOTHER:
        return None
    answers = {rule.id: Answer(entry_times=entry_times)} if entry_times else {}
    return state_in(compute_timeline([rule], facts, answers, at), rule.id)


@dataclass(frozen=True)
class Sight:
    """What one principal sees of a prompt: who they are in its space and, for a
    participant, the prompt's state for them and whether they answered it."""

    viewer: Viewer
    state: State = State.hidden
    answered: bool = False


def _ids(values: list[Any] | None) -> frozenset[uuid.UUID]:
    return frozenset(uuid.UUID(str(value)) for value in (values or []) if value)


def _times(values: list[Any] | None) -> tuple[datetime, ...]:
    """Moments aggregated as JSON: ISO text on PostgreSQL, the stored UTC text on SQLite."""
    moments = (datetime.fromisoformat(str(value)) for value in (values or []) if value)
    return tuple(sorted(m.astimezone(UTC) if m.tzinfo else m.replace(tzinfo=UTC) for m in moments))


@cache
def _sight_statement(dialect: str, subject: Literal["prompt", "answer"]) -> AnySelect:
    """The one query behind ``prompt_sight`` / ``answer_sight``, built once per dialect:
    the subject (``:subject_id``) with its prompt and space, and, for the person
    ``:user_id``, their staff role in the space's organization, their participation, their
    segments, the prompt's target segments and their own entries to it."""
    json_array = func.json_agg if dialect == "postgresql" else func.json_group_array
    user_id = bindparam("user_id", type_=Uuid)
    live = (Prompt.deleted_at.is_(None), Space.deleted_at.is_(None))
    stmt: AnySelect
    if subject == "prompt":
        stmt = (
            select(Prompt, Space)
            .join(Space, Space.id == Prompt.space_id)
            .where(Prompt.id == bindparam("subject_id", type_=Uuid), *live)
        )
    else:
        stmt = (
            select(Response, Prompt, Space)
            .join(Prompt, Prompt.id == Response.prompt_id)
            .join(Space, Space.id == Response.space_id)
            .where(
                Response.id == bindparam("subject_id", type_=Uuid),
                Response.deleted_at.is_(None),
                *live,
            )
        )
    return stmt.add_columns(
        organizations_service.staff_role_column(user_id, Space.organization_id),
        Participant,
        select(json_array(participant_segment.c.segment_id, type_=JSON))
        .where(participant_segment.c.participant_id == Participant.id)
        .scalar_subquery(),
        select(json_array(prompt_segment.c.segment_id, type_=JSON))
        .where(prompt_segment.c.prompt_id == Prompt.id)
        .scalar_subquery(),
        select(json_array(_MINE.created_at, type_=JSON))
        .where(
            _MINE.prompt_id == Prompt.id,
            _MINE.participant_id == Participant.id,
            _MINE.deleted_at.is_(None),
        )
        .scalar_subquery(),
    ).outerjoin(
        Participant,
        and_(
            Participant.user_id == user_id,
            Participant.space_id == Space.id,
            Participant.status != ParticipantStatus.left,
        ),
    )


async def _sighted(
    session: AsyncSession,
    principal: Principal,
    subject: Literal["prompt", "answer"],
    subject_id: uuid.UUID,
) -> tuple[AnyRow, Sight, Participant | None, frozenset[uuid.UUID], tuple[datetime, ...]] | None:
    """The subject's row and what the principal is to it, in one query."""
    if principal.kind != "user" or principal.user_id is None:
        return None  # only people read answers
    row = (
        await session.execute(
            _sight_statement(dialect_of(session), subject),
            {"subject_id": subject_id, "user_id": principal.user_id},
        )
    ).one_or_none()
    if row is None:
        return None
    staff_role, participant, segments, targets, entries = tuple(row)[-5:]
    staff_role = organizations_service.effective_role(principal, staff_role)
    if staff_role is not None:
        return row, Sight(Viewer(staff_role, None)), None, frozenset(), ()
    if participant is None:
        return row, Sight(Viewer(None, None)), None, frozenset(), ()
    participant = participants_service.require_active(participant)
    viewer = Viewer(None, participant, _ids(segments))
    return row, Sight(viewer), participant, _ids(targets), _times(entries)


async def _participant_sight(
    session: AsyncSession,
    prompt: Prompt,
    viewer: Viewer,
    targets: frozenset[uuid.UUID],
    entries: tuple[datetime, ...],
    now: datetime,
) -> Sight:
    participant = viewer.participant
    assert participant is not None
    facts = ParticipantFacts(segment_ids=viewer.segment_ids, joined_at=participant.joined_at)
    state = state_alone(script_rules.rule_of(prompt, targets), facts, entries, now)
    if state is None:  # it follows another prompt: read the participant's whole script
        state = (await load_view(session, participant, viewer.segment_ids)).state(prompt.id, now)
    return Sight(viewer, state.state, answered=bool(entries))


async def prompt_sight(
    session: AsyncSession, principal: Principal, prompt_id: uuid.UUID, now: datetime
) -> tuple[Prompt, Space, Sight] | None:
    """A live prompt of a live space and what the principal sees of it, in one query (two
    for a participant when the prompt follows another); None when there is no such prompt
    (or the caller is not a person).
    Staff: ``sight.viewer.role``; a participant: ``sight.state`` and ``sight.answered``;
    anyone else: neither."""
    found = await _sighted(session, principal, "prompt", prompt_id)
    if found is None:
        return None
    row, sight, participant, targets, entries = found
    prompt, space = row[0], row[1]
    if participant is not None:
        sight = await _participant_sight(session, prompt, sight.viewer, targets, entries, now)
    return prompt, space, sight


async def answer_sight(
    session: AsyncSession, principal: Principal, response_id: uuid.UUID, now: datetime
) -> tuple[Response, Prompt, Space, Sight] | None:
    """``prompt_sight`` for the prompt of a live answer, with the answer; the prompt's state
    is left hidden (not computed) when the participant is the answer's author, who reads
    their own answer whatever it is."""
    found = await _sighted(session, principal, "answer", response_id)
    if found is None:
        return None
    row, sight, participant, targets, entries = found
    response, prompt, space = row[0], row[1], row[2]
    if participant is not None and participant.id != response.participant_id:
        sight = await _participant_sight(session, prompt, sight.viewer, targets, entries, now)
    return response, prompt, space, sight
