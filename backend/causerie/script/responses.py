"""Answers to prompts, and what each person may see of them.

Visibility is enforced here, on every read path: ``open`` — participants see each other's
answers; ``uninfluenced`` — only after posting their own; ``private`` — only the brand.
Staff of the organization see everything.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.conversations.counts import reactions_for, reply_counts
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from causerie.core.markdown import render_markdown
from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
    Response,
    ResponseVersion,
    Space,
    SpaceStatus,
    Visibility,
)
from causerie.notifications import service as notifications_service
from causerie.notifications.release import newly_open
from causerie.notifications.service import Opening, announce_openings
from causerie.organizations import service as organizations_service
from causerie.participants import service as participants_service
from causerie.realtime import service as realtime
from causerie.realtime.audience import answer_readers
from causerie.script import rules as script_rules
from causerie.script.schemas import (
    Aggregate,
    DiaryConfig,
    PollConfig,
    PollResult,
    RatingConfig,
    ResponsePage,
    ResponseRead,
    ResponseWrite,
    TimelineItem,
    TimelineRead,
)
from causerie.script.service import to_utc
from causerie.script.timeline import (
    Answer,
    ParticipantFacts,
    PromptRule,
    PromptState,
    ReleaseKind,
    State,
    timeline,
)
from causerie.spaces import service as spaces_service


class PromptNotOpen(Conflict):
    code = "prompt.not_open"
    title = "This prompt is not open"


class AlreadyAnswered(Conflict):
    code = "response.exists"
    title = "You already answered"


class InvalidAnswer(InvalidInput):
    code = "response.invalid"
    title = "This answer does not fit the prompt"


class EditWindowOver(Conflict):
    code = "response.edit_window_over"
    title = "This answer can no longer be edited"


class BranchingAnswer(Conflict):
    code = "response.branching"
    title = "This choice opened other questions"


class SpaceReadOnly(Conflict):
    code = "space.read_only"
    title = "This space is closed"


class ParticipantsOnly(Forbidden):
    code = "response.participants_only"
    title = "Only participants answer prompts"


class AuthorOnly(Forbidden):
    code = "response.author_only"
    title = "Only its author can change this"


async def _refuse_staff(
    session: AsyncSession, principal: Principal, space: Space, error: type[Forbidden]
) -> None:
    """Staff of the space's organization see it, so they get a 403 rather than a 404."""
    if await organizations_service.staff_role(session, principal, space.organization_id):
        raise error(error.title + ".")


@dataclass(frozen=True)
class Viewer:
    """Who reads a prompt's answers: staff, or a participant of the space."""

    staff: bool
    participant: Participant | None


async def _prompt(session: AsyncSession, prompt_id: uuid.UUID) -> tuple[Prompt, Space]:
    row = (
        await session.execute(
            select(Prompt, Space)
            .join(Space, Space.id == Prompt.space_id)
            .where(Prompt.id == prompt_id, Prompt.deleted_at.is_(None), Space.deleted_at.is_(None))
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such prompt.")
    return row[0], row[1]


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
        return timeline(self.rules, self.facts, self.answers if answers is None else answers, at)


async def load_view(session: AsyncSession, participant: Participant) -> ScriptView:
    prompts = await script_rules.load_prompts(session, participant.space_id)
    return ScriptView(
        prompts=prompts,
        rules=await script_rules.load_rules(session, prompts),
        facts=await script_rules.participant_facts(session, participant),
        answers=await script_rules.answers_of(session, participant.id),
    )


def _pick(states: list[PromptState], prompt_id: uuid.UUID) -> PromptState:
    return next(
        (s for s in states if s.prompt_id == prompt_id), PromptState(prompt_id, State.hidden)
    )


async def state_for(
    session: AsyncSession, participant: Participant, prompt_id: uuid.UUID, at: datetime
) -> PromptState:
    """The prompt's state for this participant, through the one timeline function."""
    return _pick((await load_view(session, participant)).states(at), prompt_id)


def _check_shape(prompt: Prompt, data: ResponseWrite) -> dict[str, Any]:
    config = prompt.config or {}
    if prompt.kind in (PromptKind.discussion, PromptKind.diary):
        if not data.text or data.choices is not None or data.rating is not None:
            raise InvalidAnswer("Write your answer as text.")
        return {"text": data.text, "text_html": render_markdown(data.text)}
    if prompt.kind is PromptKind.poll:
        options = {option["key"] for option in config.get("options", [])}
        choices = list(dict.fromkeys(data.choices or []))
        if data.text is not None or data.rating is not None:
            raise InvalidAnswer("Choose among the options.")
        if data.other_text and not config.get("allow_other"):
            raise InvalidAnswer("This poll has no 'other' answer.")
        if not choices and not data.other_text:
            raise InvalidAnswer("Choose at least one option.")
        if len(choices) > 1 and not config.get("multiple"):
            raise InvalidAnswer("Choose a single option.")
        unknown = [choice for choice in choices if choice not in options]
        if unknown:
            raise InvalidAnswer(f"Unknown option: {', '.join(unknown)}.")
        return {"choices": choices, "other_text": data.other_text}
    # rating
    low, high = int(config.get("min", 1)), int(config.get("max", 5))
    if data.rating is None or not low <= data.rating <= high:
        raise InvalidAnswer(f"Give a rating from {low} to {high}.")
    if data.choices is not None or (data.text and not config.get("comment", True)):
        raise InvalidAnswer("A rating takes a number and, if allowed, a comment.")
    return {
        "rating": data.rating,
        "text": data.text,
        "text_html": render_markdown(data.text) if data.text else None,
    }


def _entry_index(prompt: Prompt, opens_at: datetime | None, now: datetime) -> int:
    if prompt.kind is not PromptKind.diary or opens_at is None:
        return 0
    period = script_rules.DIARY_PERIODS[(prompt.config or {}).get("period", "day")]
    return int((now - opens_at) / period)


async def respond(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    prompt_id: uuid.UUID,
    data: ResponseWrite,
) -> ResponseRead:
    prompt, space = await _prompt(session, prompt_id)
    participant = await participants_service.my_participation(session, principal, space.id)
    now = utcnow()
    if participant is None:
        await _refuse_staff(session, principal, space, ParticipantsOnly)
        raise NotFound("No such prompt.")
    view = await load_view(session, participant)
    before = view.states(now)
    state = _pick(before, prompt.id)
    if state.state is State.hidden:
        raise NotFound("No such prompt.")
    if space.status is not SpaceStatus.open:
        raise SpaceReadOnly("This space is not open for answers.")
    if state.state is State.answered:
        raise AlreadyAnswered("You already answered this prompt; edit your answer instead.")
    if state.state is not State.open:
        raise PromptNotOpen(
            "This prompt is not open yet."
            if state.state is State.upcoming
            else "This prompt is closed."
        )
    fields = _check_shape(prompt, data)
    response = Response(
        organization_id=space.organization_id,
        space_id=space.id,
        prompt_id=prompt.id,
        participant_id=participant.id,
        entry_index=_entry_index(prompt, state.opens_at, now),
        **fields,
    )
    try:
        async with session.begin_nested():
            session.add(response)
    except IntegrityError as error:  # the same period twice, or a concurrent double post
        raise AlreadyAnswered("You already answered for this period.") from error
    await _announce_what_opened(session, settings, space, participant, view, before, response, now)
    language = "fr" if space.language.value == "fr" else "en"
    await notifications_service.notify_staff(
        session,
        space=space,
        user_ids=await notifications_service.animators_of(session, space.organization_id),
        message=notifications_service.Message(
            kind="new_response",
            dedup_key=f"new_response:{response.id}",
            title=translate(language, "staff.new_response", space=space.title),
            body=translate(
                language,
                "staff.new_response_body",
                author=participant.pseudonym,
                title=prompt.title,
            ),
            link_path=f"/spaces/{space.id}?tab=console",
            prompt_id=prompt.id,
        ),
    )
    readers = await answer_readers(session, space, prompt, now)
    await realtime.emit(
        session,
        await realtime.staff_of(session, space.organization_id) | readers,
        "response.created",
        {"response_id": str(response.id), "prompt_id": str(prompt.id)},
        space_id=space.id,
    )
    return _read(response, participant.pseudonym, mine=True, window=_window(settings))


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.response_edit_minutes)


async def _announce_what_opened(
    session: AsyncSession,
    settings: Settings,
    space: Space,
    participant: Participant,
    view: ScriptView,
    before: list[PromptState],
    response: Response,
    now: datetime,
) -> None:
    """Answers open follow-ups (sequences, branches): announce them in this transaction."""
    previous = view.answers.get(response.prompt_id)
    answers = {
        **view.answers,
        response.prompt_id: Answer(
            entry_times=(*(previous.entry_times if previous else ()), now),
            option_keys=(previous.option_keys if previous else frozenset())
            | frozenset(response.choices or ()),
        ),
    }
    opened = newly_open(before, view.states(now, answers))
    by_id = {prompt.id: prompt for prompt in view.prompts}
    await announce_openings(
        session,
        settings=settings,
        space=space,
        openings=[Opening(participant=participant, prompt=by_id[p]) for p in opened],
    )


def _read(response: Response, pseudonym: str, *, mine: bool, window: timedelta) -> ResponseRead:
    editable_until = response.created_at + window if mine else None
    return ResponseRead(
        id=response.id,
        prompt_id=response.prompt_id,
        participant_id=response.participant_id,
        author_pseudonym=pseudonym,
        mine=mine,
        entry_index=response.entry_index,
        text=response.text,
        text_html=response.text_html,
        choices=list(response.choices or []),
        other_text=response.other_text,
        rating=response.rating,
        created_at=response.created_at,
        updated_at=response.updated_at,
        edited_at=response.edited_at,
        editable_until=editable_until if editable_until and editable_until > utcnow() else None,
    )


async def edit(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    response_id: uuid.UUID,
    data: ResponseWrite,
) -> ResponseRead:
    """The author edits within the window; the previous version is kept."""
    row = (
        await session.execute(
            select(Response, Participant, Prompt)
            .join(Participant, Participant.id == Response.participant_id)
            .join(Prompt, Prompt.id == Response.prompt_id)
            .where(Response.id == response_id, Response.deleted_at.is_(None))
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such answer.")
    if row[1].user_id != principal.user_id or row[1].status is ParticipantStatus.left:
        space = await session.get_one(Space, row[2].space_id)
        # Visible, then permitted: staff read every answer, but only its author edits it.
        await _refuse_staff(session, principal, space, AuthorOnly)
        # A participant of this space who is suspended learns that first.
        await participants_service.my_participation(session, principal, space.id)
        raise NotFound("No such answer.")
    response, participant, prompt = row[0], row[1], row[2]
    participants_service.require_active(participant)
    space = await session.get_one(Space, prompt.space_id)
    if space.status is not SpaceStatus.open:
        raise SpaceReadOnly("This space is not open for answers.")
    state = await state_for(session, participant, prompt.id, utcnow())
    if state.state is State.closed:
        raise PromptNotOpen("This prompt is closed.")
    if prompt.kind is PromptKind.poll and sorted(data.choices or []) != sorted(
        response.choices or []
    ):
        branches = await session.scalar(
            select(Prompt.id).where(
                Prompt.release_prompt_id == prompt.id,
                Prompt.release_kind == ReleaseKind.when_answer,
                Prompt.deleted_at.is_(None),
            )
        )
        if branches is not None:
            raise BranchingAnswer("Other questions depend on this choice; it can no longer change.")
    if utcnow() > response.created_at + _window(settings):
        raise EditWindowOver(
            f"Answers can be edited for {settings.response_edit_minutes} minutes after posting."
        )
    fields = _check_shape(prompt, data)
    session.add(
        ResponseVersion(
            response_id=response.id,
            text=response.text,
            choices=list(response.choices or []),
            other_text=response.other_text,
            rating=response.rating,
        )
    )
    for key, value in {"text": None, "text_html": None, "choices": [], "other_text": None,
                       "rating": None, **fields}.items():  # fmt: skip
        setattr(response, key, value)
    response.edited_at = utcnow()
    await session.flush()
    return _read(response, participant.pseudonym, mine=True, window=_window(settings))


async def _viewer(session: AsyncSession, principal: Principal, space: Space) -> Viewer:
    role = await organizations_service.staff_role(session, principal, space.organization_id)
    if role is not None:
        return Viewer(staff=True, participant=None)
    participant = await participants_service.my_participation(session, principal, space.id)
    if participant is None:
        raise NotFound("No such prompt.")
    return Viewer(staff=False, participant=participant)


async def list_responses(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    prompt_id: uuid.UUID,
    params: PageParams,
    order: Literal["newest", "oldest"],
) -> ResponsePage:
    prompt, space = await _prompt(session, prompt_id)
    viewer = await _viewer(session, principal, space)
    stmt = (
        select(Response, Participant.pseudonym)
        .join(Participant, Participant.id == Response.participant_id)
        .where(Response.prompt_id == prompt.id, Response.deleted_at.is_(None))
    )
    sees_others = True
    withheld = False
    mine_id: uuid.UUID | None = None
    if viewer.participant is not None:
        mine_id = viewer.participant.id
        state = await state_for(session, viewer.participant, prompt.id, utcnow())
        if state.state in (State.hidden, State.upcoming):
            # Nothing of a prompt is readable before it opens for this participant.
            raise NotFound("No such prompt.")
        answered = await session.scalar(
            select(Response.id).where(
                Response.prompt_id == prompt.id,
                Response.participant_id == mine_id,
                Response.deleted_at.is_(None),
            )
        )
        sees_others = prompt.visibility is Visibility.open or (
            prompt.visibility is Visibility.uninfluenced and answered is not None
        )
        withheld = prompt.visibility is Visibility.uninfluenced and answered is None
        if not sees_others:
            stmt = stmt.where(Response.participant_id == mine_id)
    rows, next_cursor = await keyset_page(
        session,
        stmt,
        created_at=Response.created_at,
        row_id=Response.id,
        params=params,
        descending=order == "newest",
    )
    window = _window(settings)
    items = [
        _read(row[0], row[1], mine=row[0].participant_id == mine_id, window=window) for row in rows
    ]
    ids = [item.id for item in items]
    replies, branded = await reply_counts(session, ids, viewer_participant_id=mine_id)
    reactions, my_reactions = await reactions_for(session, ids, principal.user_id)
    for item in items:
        item.reply_count = replies.get(item.id, 0)
        item.brand_replied = item.id in branded
        item.reactions = reactions.get(item.id, {})
        item.my_reactions = [kind.value for kind in my_reactions.get(item.id, [])]
    aggregate = await _aggregate(session, prompt) if sees_others else None
    return ResponsePage(
        items=items, next_cursor=next_cursor, aggregate=aggregate, hidden_until_answered=withheld
    )


async def _aggregate(session: AsyncSession, prompt: Prompt) -> Aggregate | None:
    if prompt.kind not in (PromptKind.poll, PromptKind.rating):
        return None
    rows = (
        await session.execute(
            select(Response.choices, Response.other_text, Response.rating).where(
                Response.prompt_id == prompt.id, Response.deleted_at.is_(None)
            )
        )
    ).all()
    if prompt.kind is PromptKind.poll:
        counts: Counter[str] = Counter()
        for choices, _other, _rating in rows:
            counts.update(choices or ())
        return Aggregate(
            responses=len(rows),
            options=[
                PollResult(key=o["key"], label=o["label"], count=counts.get(o["key"], 0))
                for o in (prompt.config or {}).get("options", [])
            ],
            other=sum(1 for _c, other, _r in rows if other),
        )
    ratings = [rating for _c, _o, rating in rows if rating is not None]
    return Aggregate(
        responses=len(rows),
        rating_average=round(sum(ratings) / len(ratings), 2) if ratings else None,
        rating_counts=dict(sorted(Counter(ratings).items())),
    )


# --- timelines ------------------------------------------------------------------------------


async def _timeline_read(
    session: AsyncSession,
    space: Space,
    facts: ParticipantFacts,
    participant_id: uuid.UUID | None,
    at: datetime,
) -> TimelineRead:
    prompts = await script_rules.load_prompts(session, space.id)
    rules = await script_rules.load_rules(session, prompts)
    answers = await script_rules.answers_of(session, participant_id) if participant_id else {}
    by_id = {prompt.id: prompt for prompt in prompts}
    expected_by_id = {rule.id: rule.expected_entries for rule in rules}
    items = []
    for state in timeline(rules, facts, answers, at):
        if state.state is State.hidden:
            continue
        prompt = by_id[state.prompt_id]
        answer = answers.get(prompt.id)
        opened = state.state is not State.upcoming
        config = prompt.config or {}
        items.append(
            TimelineItem(
                prompt_id=prompt.id,
                key=prompt.key,
                title=prompt.title,
                kind=prompt.kind,
                required=prompt.required,
                visibility=prompt.visibility,
                body_html=render_markdown(prompt.body) if opened else None,
                image_url=spaces_service.logo_url(prompt.image_file) if opened else None,
                poll=PollConfig.model_validate(config)
                if opened and prompt.kind is PromptKind.poll
                else None,
                rating=RatingConfig.model_validate(config)
                if opened and prompt.kind is PromptKind.rating
                else None,
                diary=DiaryConfig.model_validate(config)
                if prompt.kind is PromptKind.diary
                else None,
                state=state.state,
                opens_at=state.opens_at,
                closes_at=state.closes_at,
                entries_done=answer.entries_by(at) if answer else 0,
                entries_expected=expected_by_id[prompt.id],
            )
        )
    return TimelineRead(
        at=at,
        time_zone=space.time_zone,
        items=items,
        answered=sum(1 for item in items if item.state is State.answered),
        expected=len(items),
    )


async def my_timeline(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID
) -> TimelineRead:
    space = await session.scalar(
        select(Space).where(Space.id == space_id, Space.deleted_at.is_(None))
    )
    participant = (
        await participants_service.my_participation(session, principal, space_id) if space else None
    )
    if space is None or participant is None:
        raise NotFound("You are not a participant of this space.")
    facts = await script_rules.participant_facts(session, participant)
    return await _timeline_read(session, space, facts, participant.id, utcnow())


async def preview_timeline(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    participant_id: uuid.UUID | None,
    segment_id: uuid.UUID | None,
    at: datetime | None,
) -> TimelineRead:
    """The script as a participant (or a newcomer of a segment) would see it at ``at``."""
    space, _role = await spaces_service.get_space_for_staff(session, principal, space_id)
    moment = to_utc(at, space.time_zone) or utcnow()
    if participant_id is not None:
        participant = await session.scalar(
            select(Participant).where(
                Participant.id == participant_id, Participant.space_id == space.id
            )
        )
        if participant is None:
            raise NotFound("No such participant.")
        facts = await script_rules.participant_facts(session, participant)
        return await _timeline_read(session, space, facts, participant.id, moment)
    segments: frozenset[uuid.UUID] = frozenset()
    if segment_id is not None:
        segments = frozenset(await spaces_service.live_segment_ids(session, space.id, [segment_id]))
    # A newcomer who joined when the space opened (or now, for a draft).
    facts = ParticipantFacts(segment_ids=segments, joined_at=space.opened_at or moment)
    return await _timeline_read(session, space, facts, None, moment)
