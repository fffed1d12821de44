"""Dialogue: answers, and the replies, reactions, probes and backroom notes around them."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from causerie.accounts.deps import CurrentPrincipal
from causerie.conversations import (
    answers,
    context,
    notes,
    probes,
    reactions,
    replies,
    waiting,
)
from causerie.conversations.schemas import (
    MyProbePage,
    NotePage,
    NoteRead,
    ProbePage,
    ProbeRead,
    ProbeState,
    ProbeWrite,
    ReactionState,
    ReactionWrite,
    ReplyPage,
    ReplyRead,
    ResponsePage,
    ResponseRead,
    ResponseWrite,
    TextWrite,
    WaitingRead,
)
from causerie.core.errors import Forbidden, InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.http import SessionDep, SettingsDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.participants.service import ParticipantSuspended
from causerie.spaces import service as spaces_service

router = APIRouter(
    tags=["conversations"],
    route_class=UnitOfWorkRoute,
    responses=responses(NotAuthenticated, InvalidToken),
)
OPEN = (spaces_service.SpaceNotOpen, spaces_service.SpaceReadOnly)
WRITE = (NotFound, Forbidden, ParticipantSuspended, *OPEN)
READ = (NotFound, ParticipantSuspended)


# --- answers -------------------------------------------------------------------------------


@router.post(
    "/prompts/{prompt_id}/responses",
    status_code=status.HTTP_201_CREATED,
    responses=responses(
        NotFound,
        answers.ParticipantsOnly,
        ParticipantSuspended,
        answers.InvalidAnswer,
        answers.PromptNotOpen,
        answers.AlreadyAnswered,
        *OPEN,
    ),
)
async def respond(
    prompt_id: uuid.UUID,
    body: ResponseWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> ResponseRead:
    """Answer an open prompt, in the shape its kind requires."""
    return await answers.respond(
        session, settings=settings, principal=principal, prompt_id=prompt_id, data=body
    )


@router.get(
    "/prompts/{prompt_id}/responses",
    responses=responses(NotFound, ParticipantSuspended, InvalidCursor),
)
async def list_responses(
    prompt_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    page: PageParamsDep,
    order: Literal["newest", "oldest"] = "newest",
) -> ResponsePage:
    """Answers under the prompt's visibility rule, with poll and rating results."""
    return await answers.list_responses(
        session,
        settings=settings,
        principal=principal,
        prompt_id=prompt_id,
        params=page,
        order=order,
    )


@router.patch(
    "/responses/{response_id}",
    responses=responses(
        NotFound,
        ParticipantSuspended,
        context.AuthorOnly,
        answers.InvalidAnswer,
        context.EditWindowOver,
        answers.PromptNotOpen,
        answers.BranchingAnswer,
        *OPEN,
    ),
)
async def edit_response(
    response_id: uuid.UUID,
    body: ResponseWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> ResponseRead:
    """The author edits their answer within the edit window (15 minutes by default); the
    previous version is kept."""
    return await answers.edit(
        session, settings=settings, principal=principal, response_id=response_id, data=body
    )


# --- replies, reactions, probes, notes ---------------------------------------------------


@router.get("/responses/{response_id}/replies", responses=responses(*READ, InvalidCursor))
async def list_replies(
    response_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> ReplyPage:
    """The thread under an answer, oldest first, as far as the caller may see it."""
    return await replies.list_replies(
        session, principal=principal, response_id=response_id, params=page
    )


@router.post(
    "/responses/{response_id}/replies",
    status_code=status.HTTP_201_CREATED,
    responses=responses(*WRITE),
)
async def add_reply(
    response_id: uuid.UUID, body: TextWrite, principal: CurrentPrincipal, session: SessionDep
) -> ReplyRead:
    """Reply under an answer: participants who can see it, and the brand's staff."""
    return await replies.add_reply(
        session, principal=principal, response_id=response_id, text=body.text
    )


@router.patch(
    "/replies/{reply_id}",
    responses=responses(*WRITE, context.EditWindowOver, context.AuthorOnly),
)
async def edit_reply(
    reply_id: uuid.UUID,
    body: TextWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> ReplyRead:
    """The author edits their reply within the edit window; the previous text is kept."""
    return await replies.edit_reply(
        session, settings=settings, principal=principal, reply_id=reply_id, text=body.text
    )


@router.post("/responses/{response_id}/reactions", responses=responses(*WRITE))
async def react_to_response(
    response_id: uuid.UUID, body: ReactionWrite, principal: CurrentPrincipal, session: SessionDep
) -> ReactionState:
    """Toggle one of my reactions on an answer."""
    return await reactions.toggle_reaction(
        session, principal=principal, kind=body.kind, response_id=response_id
    )


@router.post("/replies/{reply_id}/reactions", responses=responses(*WRITE))
async def react_to_reply(
    reply_id: uuid.UUID, body: ReactionWrite, principal: CurrentPrincipal, session: SessionDep
) -> ReactionState:
    return await reactions.toggle_reaction(
        session, principal=principal, kind=body.kind, reply_id=reply_id
    )


@router.get("/responses/{response_id}/probes", responses=responses(*READ))
async def list_response_probes(
    response_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> list[ProbeRead]:
    """Follow-up questions on an answer: its author sees theirs; others see public ones."""
    return await probes.list_probes_on_response(
        session, principal=principal, response_id=response_id
    )


@router.post(
    "/responses/{response_id}/probes",
    status_code=status.HTTP_201_CREATED,
    responses=responses(*WRITE),
)
async def create_probe(
    response_id: uuid.UUID,
    body: ProbeWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> ProbeRead:
    """Ask the answer's author a follow-up, in the thread (public) or one to one (private)."""
    return await probes.create_probe(
        session,
        settings=settings,
        principal=principal,
        response_id=response_id,
        text=body.text,
        visibility=body.visibility,
    )


@router.post(
    "/probes/{probe_id}/answer",
    status_code=status.HTTP_201_CREATED,
    responses=responses(
        *WRITE,
        probes.ProbeAlreadyAnswered,
        probes.ProbeForParticipant,
    ),
)
async def answer_probe(
    probe_id: uuid.UUID, body: TextWrite, principal: CurrentPrincipal, session: SessionDep
) -> ReplyRead:
    """Answer a follow-up question addressed to me."""
    return await probes.answer_probe(
        session, principal=principal, probe_id=probe_id, text=body.text
    )


@router.get(
    "/me/spaces/{space_id}/probes",
    responses=responses(NotFound, ParticipantSuspended, InvalidCursor),
)
async def list_my_open_probes(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> MyProbePage:
    """The brand's questions to me in this space that still wait for my answer (mine only)."""
    return await probes.my_open_probes(session, principal=principal, space_id=space_id, params=page)


@router.get("/spaces/{space_id}/probes", responses=responses(NotFound, InvalidCursor))
async def probe_queue(
    space_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
    state: Annotated[ProbeState | None, Query(alias="status")] = None,
    prompt_id: uuid.UUID | None = None,
    segment_id: uuid.UUID | None = None,
    created_by: uuid.UUID | None = None,
) -> ProbePage:
    """The animators' probe queue: open, overdue or answered; by prompt, segment, animator."""
    return await probes.probe_queue(
        session,
        principal=principal,
        space_id=space_id,
        params=page,
        state=state,
        prompt_id=prompt_id,
        segment_id=segment_id,
        created_by=created_by,
    )


@router.get("/responses/{response_id}/notes", responses=responses(NotFound, InvalidCursor))
async def list_response_notes(
    response_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> NotePage:
    """Backroom notes on an answer (staff only)."""
    return await notes.list_notes(
        session, principal=principal, target_id=response_id, is_reply=False, params=page
    )


@router.post(
    "/responses/{response_id}/notes",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotFound, Forbidden, spaces_service.SpaceArchived),
)
async def add_response_note(
    response_id: uuid.UUID, body: TextWrite, principal: CurrentPrincipal, session: SessionDep
) -> NoteRead:
    """Add a backroom note on an answer (owners and animators; observers only read)."""
    return await notes.add_note(
        session, principal=principal, target_id=response_id, is_reply=False, text=body.text
    )


@router.get("/replies/{reply_id}/notes", responses=responses(NotFound, InvalidCursor))
async def list_reply_notes(
    reply_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> NotePage:
    return await notes.list_notes(
        session, principal=principal, target_id=reply_id, is_reply=True, params=page
    )


@router.post(
    "/replies/{reply_id}/notes",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotFound, Forbidden, spaces_service.SpaceArchived),
)
async def add_reply_note(
    reply_id: uuid.UUID, body: TextWrite, principal: CurrentPrincipal, session: SessionDep
) -> NoteRead:
    return await notes.add_note(
        session, principal=principal, target_id=reply_id, is_reply=True, text=body.text
    )


@router.get("/prompts/{prompt_id}/waiting", responses=responses(NotFound))
async def list_waiting(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> list[WaitingRead]:
    """Who has not answered this prompt yet, although it is open for them (staff)."""
    return await waiting.list_waiting(session, principal=principal, prompt_id=prompt_id)
