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

The rule itself is a handful of pure functions; ``load_view`` is its one loader and
``answer_readers`` applies it to a whole space in a constant number of queries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, SQLColumnExpression, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.models import Participant, ParticipantStatus, Prompt, Visibility
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
    viewer_id: uuid.UUID,
) -> ColumnElement[bool]:
    """``reads_private_item`` for a participant, as SQL over many items (counts, lists)."""
    return or_(private.is_(False), answer_author_id == viewer_id)


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

    def answered(self, prompt_id: uuid.UUID) -> bool:
        return prompt_id in self.answers


def state_in(states: list[PromptState], prompt_id: uuid.UUID) -> PromptState:
    """The prompt's state among a timeline's; hidden when the timeline does not hold it."""
    return next(
        (s for s in states if s.prompt_id == prompt_id), PromptState(prompt_id, State.hidden)
    )


def newly_open(before: list[PromptState], after: list[PromptState]) -> list[uuid.UUID]:
    """Prompts open in ``after`` that were not open in ``before`` (what an answer opened)."""
    was_open = {s.prompt_id for s in before if s.state is State.open}
    return [s.prompt_id for s in after if s.state is State.open and s.prompt_id not in was_open]


async def load_view(session: AsyncSession, participant: Participant) -> ScriptView:
    prompts = await script_rules.load_prompts(session, participant.space_id)
    return ScriptView(
        prompts=prompts,
        rules=await script_rules.load_rules(session, prompts),
        facts=await script_rules.participant_facts(session, participant),
        answers=await script_rules.answers_of(session, participant.id),
    )


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


async def answer_readers(
    session: AsyncSession, space_id: uuid.UUID, prompt: Prompt, now: datetime
) -> set[uuid.UUID]:
    """Users (active participants) who may read others' answers to the prompt right now.

    Computed for the whole space in a constant number of queries.
    """
    if prompt.visibility is Visibility.private:
        return set()
    participants = list(
        (
            await session.scalars(
                select(Participant).where(
                    Participant.space_id == space_id,
                    Participant.status == ParticipantStatus.active,
                )
            )
        ).all()
    )
    rules = await space_rules(session, space_id)
    return {
        standing.participant.user_id
        for standing in await standings(session, participants, prompt.id, now, rules=rules)
        if reads_answer(
            prompt.visibility, standing.state.state, answered=standing.answered, author=False
        )
    }
