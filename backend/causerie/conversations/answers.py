"""Answers to prompts: posting, editing, and reading them under the access rule.

What a participant reads of others' answers is decided by ``access.participants``: staff of
the organization read everything.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.conversations.context import (
    AuthorOnly,
    check_edit_window,
    edit_window,
    prompt_and_space,
    refuse_staff,
)
from causerie.conversations.counts import Tallies, page_tallies
from causerie.conversations.schemas import (
    Aggregate,
    PollResult,
    ResponsePage,
    ResponseRead,
    ResponseWrite,
)
from causerie.core import events
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from causerie.core.event_catalogue import PromptOpened, ResponseCreated, ResponseEdited
from causerie.core.markdown import render_markdown
from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.models import (
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
    Response,
    ResponseVersion,
    Space,
)
from causerie.models.script import ReleaseKind
from causerie.participants import service as participants_service
from causerie.script import rules as script_rules
from causerie.script.timeline import Answer, State
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


class BranchingAnswer(Conflict):
    code = "response.branching"
    title = "This choice opened other questions"


class ParticipantsOnly(Forbidden):
    code = "response.participants_only"
    title = "Only participants answer prompts"


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


async def respond(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    prompt_id: uuid.UUID,
    data: ResponseWrite,
) -> ResponseRead:
    prompt, space = await prompt_and_space(session, prompt_id)
    participant = await participants_service.my_participation(session, principal, space.id)
    now = utcnow()
    if participant is None:
        await refuse_staff(session, principal, space, ParticipantsOnly)
        raise NotFound("No such prompt.")
    view = await access.load_view(session, participant)
    before = view.states(now)
    state = access.state_in(before, prompt.id)
    if state.state is State.hidden:
        raise NotFound("No such prompt.")
    spaces_service.require_open(space)
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
        entry_index=script_rules.entry_index(prompt, state.opens_at, now),
        **fields,
    )
    try:
        async with session.begin_nested():
            session.add(response)
    except IntegrityError as error:  # the same period twice, or a concurrent double post
        raise AlreadyAnswered("You already answered for this period.") from error
    # The answer may open follow-ups (sequences, branches) for its author.
    previous = view.answers.get(prompt.id)
    with_it = {
        **view.answers,
        prompt.id: Answer(
            entry_times=(*(previous.entry_times if previous else ()), now),
            option_keys=(previous.option_keys if previous else frozenset())
            | frozenset(response.choices or ()),
        ),
    }
    for opened in access.newly_open(before, view.states(now, with_it)):
        await events.record(
            session,
            PromptOpened(
                organization_id=space.organization_id,
                space_id=space.id,
                prompt_id=opened,
                participant_id=participant.id,
            ),
        )
    await events.record(session, _event(ResponseCreated, response))
    return _read(response, participant.pseudonym, mine=True, settings=settings)


def _event(
    kind: type[ResponseCreated | ResponseEdited], response: Response
) -> ResponseCreated | ResponseEdited:
    return kind(
        organization_id=response.organization_id,
        space_id=response.space_id,
        prompt_id=response.prompt_id,
        response_id=response.id,
        participant_id=response.participant_id,
    )


def _read(response: Response, pseudonym: str, *, mine: bool, settings: Settings) -> ResponseRead:
    editable_until = response.created_at + edit_window(settings) if mine else None
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
        await refuse_staff(session, principal, space, AuthorOnly)
        # A participant of this space who is suspended learns that first.
        await participants_service.my_participation(session, principal, space.id)
        raise NotFound("No such answer.")
    response, participant, prompt = row[0], row[1], row[2]
    participants_service.require_active(participant)
    space = await session.get_one(Space, prompt.space_id)
    spaces_service.require_open(space)
    view = await access.load_view(session, participant)
    if view.state(prompt.id, utcnow()).state is State.closed:
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
    check_edit_window(response.created_at, settings, "Answers")
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
    await events.record(session, _event(ResponseEdited, response))
    return _read(response, participant.pseudonym, mine=True, settings=settings)


# What a page of answers shows, read as columns (no ORM objects for a list).
_PAGE_COLUMNS = (
    Response.id,
    Response.prompt_id,
    Response.participant_id,
    Participant.pseudonym.label("author_pseudonym"),
    Response.entry_index,
    Response.text,
    Response.text_html,
    Response.choices,
    Response.other_text,
    Response.rating,
    Response.created_at,
    Response.updated_at,
    Response.edited_at,
)
_PAGE_FIELDS = tuple(column.key for column in _PAGE_COLUMNS if column.key != "choices")


async def list_responses(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    prompt_id: uuid.UUID,
    params: PageParams,
    order: Literal["newest", "oldest"],
) -> ResponsePage:
    """A page of answers in four statements whatever its size: the caller, the prompt with
    what the caller is to it, the page, and its counts and totals (one ``UNION ALL``)."""
    now = utcnow()
    found = await access.prompt_sight(session, principal, prompt_id, now)
    if found is None:
        raise NotFound("No such prompt.")
    prompt, _space, sight = found
    stmt = (
        select(*_PAGE_COLUMNS)
        .join(Participant, Participant.id == Response.participant_id)
        .where(Response.prompt_id == prompt.id, Response.deleted_at.is_(None))
    )
    sees_others, withheld = True, False
    mine_id: uuid.UUID | None = None
    if sight.viewer.role is None:
        participant = sight.viewer.participant
        # Nothing of a prompt is readable before it opens for this participant.
        if participant is None or not access.reads_prompt(sight.state):
            raise NotFound("No such prompt.")
        mine_id = participant.id
        sees_others = access.sees_others(prompt.visibility, answered=sight.answered)
        withheld = access.withholds_others(prompt.visibility, answered=sight.answered)
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
    ids = [row.id for row in rows]
    tallies = await page_tallies(
        session,
        response_ids=ids,
        reaction_target_ids=ids,
        user_id=principal.user_id,
        viewer_participant_id=mine_id,
        totals_of=prompt if sees_others else None,
    )
    window = edit_window(settings)
    items = [
        ResponseRead(
            **{name: row._mapping[name] for name in _PAGE_FIELDS},
            choices=list(row.choices or []),
            mine=row.participant_id == mine_id,
            editable_until=row.created_at + window
            if row.participant_id == mine_id and row.created_at + window > now
            else None,
            reply_count=tallies.replies.get(row.id, 0),
            brand_replied=row.id in tallies.branded,
            reactions=tallies.reactions.get(row.id, {}),
            my_reactions=[kind.value for kind in tallies.my_reactions.get(row.id, [])],
        )
        for row in rows
    ]
    return ResponsePage(
        items=items,
        next_cursor=next_cursor,
        aggregate=_aggregate(prompt, tallies) if sees_others else None,
        hidden_until_answered=withheld,
    )


def _aggregate(prompt: Prompt, tallies: Tallies) -> Aggregate | None:
    """A poll's or rating's results, from totals counted in SQL."""
    if prompt.kind is PromptKind.poll:
        return Aggregate(
            responses=tallies.responses,
            options=[
                PollResult(key=o["key"], label=o["label"], count=tallies.options.get(o["key"], 0))
                for o in (prompt.config or {}).get("options", [])
            ],
            other=tallies.others,
        )
    if prompt.kind is PromptKind.rating:
        rated = sum(tallies.ratings.values())
        total = sum(rating * count for rating, count in tallies.ratings.items())
        return Aggregate(
            responses=tallies.responses,
            rating_average=round(total / rated, 2) if rated else None,
            rating_counts=dict(sorted(tallies.ratings.items())),
        )
    return None
