"""Replies, reactions, probes and backroom notes — with one rule for who sees what.

A participant sees a response when it is theirs, or when the prompt's visibility lets them
(``open``; ``uninfluenced`` once they answered; never for ``private``). They see the
replies under a response they can see, except private ones (answers to a private probe),
which only the response's author and staff see. They see their own probes, and public
probes on responses they can see. Backroom notes are for staff only. Staff see everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.conversations.counts import reactions_for
from causerie.conversations.schemas import (
    NotePage,
    NoteRead,
    NudgeResult,
    ProbePage,
    ProbeRead,
    ProbeState,
    ReactionState,
    ReplyPage,
    ReplyRead,
    WaitingRead,
    probe_state,
)
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, Forbidden, NotFound
from causerie.core.markdown import render_markdown
from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import (
    Membership,
    Participant,
    ParticipantStatus,
    Prompt,
    Response,
    Role,
    Space,
    SpaceStatus,
    User,
    Visibility,
)
from causerie.models.conversations import (
    AuthorKind,
    Note,
    Probe,
    ProbeStatus,
    ProbeVisibility,
    Reaction,
    ReactionKind,
    Reply,
    ReplyVersion,
)
from causerie.notifications import service as notifications_service
from causerie.organizations import service as organizations_service
from causerie.participants import service as participants_service
from causerie.realtime import service as realtime
from causerie.realtime.audience import answer_readers
from causerie.script import responses as responses_service
from causerie.script.timeline import State

EDITORS = (Role.owner, Role.animator)


class ProbeAlreadyAnswered(Conflict):
    code = "probe.answered"
    title = "This probe was already answered"


class ProbeForParticipant(Forbidden):
    code = "probe.participant_only"
    title = "Only the participant it was asked to answers a probe"


class SpaceNotOpen(Conflict):
    code = "space.read_only"
    title = "This space is closed"


@dataclass(frozen=True)
class Context:
    """A response, where it lives, and who is looking at it."""

    response: Response
    prompt: Prompt
    space: Space
    role: Role | None  # the viewer's staff role, if staff
    participant: Participant | None  # the viewer as participant, if not staff

    @property
    def staff(self) -> bool:
        return self.role is not None

    @property
    def is_author(self) -> bool:
        return self.participant is not None and self.participant.id == self.response.participant_id


async def can_see_others(session: AsyncSession, prompt: Prompt, participant: Participant) -> bool:
    """Whether the participant may see other participants' answers to the prompt."""
    if prompt.visibility is Visibility.open:
        return True
    if prompt.visibility is Visibility.private:
        return False
    answered = await session.scalar(
        select(Response.id).where(
            Response.prompt_id == prompt.id,
            Response.participant_id == participant.id,
            Response.deleted_at.is_(None),
        )
    )
    return answered is not None


async def response_context(
    session: AsyncSession, principal: Principal, response_id: uuid.UUID
) -> Context:
    """The response if the principal may see it; 404 otherwise (whatever the reason)."""
    row = (
        await session.execute(
            select(Response, Prompt, Space)
            .join(Prompt, Prompt.id == Response.prompt_id)
            .join(Space, Space.id == Response.space_id)
            .where(
                Response.id == response_id,
                Response.deleted_at.is_(None),
                Prompt.deleted_at.is_(None),
                Space.deleted_at.is_(None),
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such answer.")
    response, prompt, space = row[0], row[1], row[2]
    role = await organizations_service.staff_role(session, principal, space.organization_id)
    if role is not None:
        return Context(response, prompt, space, role, None)
    participant = await participants_service.my_participation(session, principal, space.id)
    if participant is None:
        raise NotFound("No such answer.")
    context = Context(response, prompt, space, None, participant)
    if context.is_author:
        return context
    state = await responses_service.state_for(session, participant, prompt.id, utcnow())
    unopened = state.state in (State.hidden, State.upcoming)
    if unopened or not await can_see_others(session, prompt, participant):
        raise NotFound("No such answer.")
    return context


async def _author_audience(session: AsyncSession, participant_id: uuid.UUID) -> set[uuid.UUID]:
    """The answer's author hears live of what happens around it, unless suspended."""
    author = await session.get_one(Participant, participant_id)
    return {author.user_id} if author.status is ParticipantStatus.active else set()


def _ensure_staff_can_write(context: Context) -> None:
    """Staff writes (replies, reactions, probes, notes) are for owners and animators;
    observers only read (403)."""
    organizations_service.require_role(context.role, *EDITORS)


def _ensure_can_write(context: Context) -> None:
    if context.staff:
        _ensure_staff_can_write(context)
    elif context.participant is None:
        raise NotFound("No such answer.")
    else:
        participants_service.require_active(context.participant)
    if context.space.status is not SpaceStatus.open:
        raise SpaceNotOpen("This space is not open.")


# --- reactions ------------------------------------------------------------------------------


async def toggle_reaction(
    session: AsyncSession,
    *,
    principal: Principal,
    kind: ReactionKind,
    response_id: uuid.UUID | None = None,
    reply_id: uuid.UUID | None = None,
) -> ReactionState:
    if reply_id is not None:
        reply = await _visible_reply(session, principal, reply_id)
        target_id, context = reply[0].id, reply[1]
    else:
        assert response_id is not None
        context = await response_context(session, principal, response_id)
        target_id = context.response.id
    _ensure_can_write(context)
    assert principal.user_id is not None
    existing = await session.scalar(
        select(Reaction).where(
            Reaction.user_id == principal.user_id,
            Reaction.target_id == target_id,
            Reaction.kind == kind,
        )
    )
    if existing is not None:
        await session.execute(delete(Reaction).where(Reaction.id == existing.id))
    else:
        try:
            async with session.begin_nested():
                session.add(
                    Reaction(
                        organization_id=context.space.organization_id,
                        user_id=principal.user_id,
                        target_id=target_id,
                        kind=kind,
                    )
                )
        except IntegrityError:
            pass  # a concurrent toggle added it first: it is on, as asked
    await session.flush()
    count = await session.scalar(
        select(func.count())
        .select_from(Reaction)
        .where(Reaction.target_id == target_id, Reaction.kind == kind)
    )
    # Whoever can read the item hears of the change (private replies: author and staff).
    audience = await realtime.staff_of(session, context.space.organization_id) | (
        await _author_audience(session, context.response.participant_id)
    )
    private_reply = reply_id is not None and reply[0].private
    if not private_reply:
        audience |= await answer_readers(session, context.space, context.prompt, utcnow())
    await realtime.emit(
        session,
        audience,
        "reaction.changed",
        {
            "target_id": str(target_id),
            "response_id": str(context.response.id),
            "prompt_id": str(context.prompt.id),
        },
        space_id=context.space.id,
    )
    return ReactionState(kind=kind, active=existing is None, count=int(count or 0))


# --- replies ------------------------------------------------------------------------------


async def _reply_reads(
    session: AsyncSession, rows: list[Reply], context: Context, principal: Principal
) -> list[ReplyRead]:
    participant_ids = {r.author_participant_id for r in rows if r.author_participant_id}
    user_ids = {r.author_user_id for r in rows if r.author_user_id}
    pseudonyms = (
        dict(
            (
                await session.execute(
                    select(Participant.id, Participant.pseudonym).where(
                        Participant.id.in_(participant_ids)
                    )
                )
            ).all()
        )
        if participant_ids
        else {}
    )
    staff: dict[uuid.UUID, tuple[str, Role | None]] = {}
    if user_ids:
        for user_id, display_name, staff_role in await session.execute(
            select(User.id, User.display_name, Membership.role)
            .outerjoin(
                Membership,
                (Membership.user_id == User.id)
                & (Membership.organization_id == context.space.organization_id)
                & Membership.deleted_at.is_(None),
            )
            .where(User.id.in_(user_ids))
        ):
            staff[user_id] = (display_name, staff_role)
    counts, mine = await reactions_for(session, [r.id for r in rows], principal.user_id)
    reads = []
    for reply in rows:
        name, role = _author(reply, staff, pseudonyms)
        reads.append(
            ReplyRead(
                id=reply.id,
                response_id=reply.response_id,
                author_kind=reply.author_kind,
                author_name=name,
                author_role=role,
                mine=(
                    reply.author_user_id == principal.user_id
                    if reply.author_kind is AuthorKind.staff
                    else context.participant is not None
                    and reply.author_participant_id == context.participant.id
                ),
                text=reply.text,
                text_html=reply.text_html,
                private=reply.private,
                probe_id=reply.probe_id,
                reactions=counts.get(reply.id, {}),
                my_reactions=mine.get(reply.id, []),
                created_at=reply.created_at,
                edited_at=reply.edited_at,
            )
        )
    return reads


def _author(
    reply: Reply,
    staff: dict[uuid.UUID, tuple[str, Role | None]],
    pseudonyms: dict[uuid.UUID, str],
) -> tuple[str, Role | None]:
    if reply.author_kind is AuthorKind.staff:
        if reply.author_user_id is None:
            return "Causerie", None
        return staff.get(reply.author_user_id, ("Causerie", None))
    if reply.author_participant_id is None:
        return "?", None
    return pseudonyms.get(reply.author_participant_id, "?"), None


def _visible_replies(context: Context) -> list[object]:
    conditions: list[object] = [
        Reply.response_id == context.response.id,
        Reply.deleted_at.is_(None),
    ]
    if not context.staff and not context.is_author:
        conditions.append(Reply.private.is_(False))
    return conditions


async def list_replies(
    session: AsyncSession, *, principal: Principal, response_id: uuid.UUID, params: PageParams
) -> ReplyPage:
    context = await response_context(session, principal, response_id)
    rows, next_cursor = await keyset_page(
        session,
        select(Reply).where(*_visible_replies(context)),  # type: ignore[arg-type]
        created_at=Reply.created_at,
        row_id=Reply.id,
        params=params,
    )
    replies = [row[0] for row in rows]
    return ReplyPage(
        items=await _reply_reads(session, replies, context, principal), next_cursor=next_cursor
    )


async def add_reply(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    response_id: uuid.UUID,
    text: str,
    probe: Probe | None = None,
) -> ReplyRead:
    context = await response_context(session, principal, response_id)
    _ensure_can_write(context)
    reply = Reply(
        organization_id=context.space.organization_id,
        space_id=context.space.id,
        response_id=context.response.id,
        author_kind=AuthorKind.staff if context.staff else AuthorKind.participant,
        author_participant_id=None if context.staff else context.participant.id,  # type: ignore[union-attr]
        author_user_id=principal.user_id,
        text=text,
        text_html=render_markdown(text),
        private=probe is not None and probe.visibility is ProbeVisibility.private,
        probe_id=probe.id if probe else None,
    )
    session.add(reply)
    await session.flush()
    (read,) = await _reply_reads(session, [reply], context, principal)
    recipients = await _notify_thread(session, settings, context, reply, read.author_name)
    if reply.author_kind is AuthorKind.participant:
        language = "fr" if context.space.language.value == "fr" else "en"
        await notifications_service.notify_staff(
            session,
            space=context.space,
            user_ids=await notifications_service.animators_of(
                session, context.space.organization_id
            ),
            message=notifications_service.Message(
                kind="new_reply",
                dedup_key=f"new_reply:{reply.id}",
                title=translate(language, "staff.new_reply", space=context.space.title),
                body=translate(
                    language,
                    "staff.new_reply_body",
                    author=read.author_name,
                    title=context.prompt.title,
                ),
                link_path=f"/spaces/{context.space.id}?tab=console",
                prompt_id=context.prompt.id,
            ),
        )
    audience = await _author_audience(session, context.response.participant_id) | recipients
    if not reply.private:
        audience |= await answer_readers(session, context.space, context.prompt, utcnow())
    await realtime.emit(
        session,
        await realtime.staff_of(session, context.space.organization_id) | audience,
        "reply.created",
        {
            "reply_id": str(reply.id),
            "response_id": str(reply.response_id),
            "prompt_id": str(context.prompt.id),
        },
        space_id=context.space.id,
    )
    return read


async def _notify_thread(
    session: AsyncSession, settings: Settings, context: Context, reply: Reply, author: str
) -> set[uuid.UUID]:
    """Tell the answer's author and the thread's earlier participants (not the replier).

    A private reply concerns only the answer's author.
    """
    recipients = {context.response.participant_id}
    if not reply.private:
        earlier = await session.scalars(
            select(Reply.author_participant_id).where(
                Reply.response_id == reply.response_id,
                Reply.author_kind == AuthorKind.participant,
                Reply.private.is_(False),
                Reply.id != reply.id,
                Reply.deleted_at.is_(None),
            )
        )
        recipients.update(p for p in earlier if p is not None)
    recipients.discard(reply.author_participant_id)
    if not recipients:
        return set()
    participants = list(
        (
            await session.scalars(
                select(Participant).where(
                    Participant.id.in_(recipients),
                    Participant.status == ParticipantStatus.active,
                )
            )
        ).all()
    )
    language = "fr" if context.space.language.value == "fr" else "en"
    excerpt = reply.text if len(reply.text) <= 140 else reply.text[:139] + "…"
    await notifications_service.notify(
        session,
        settings=settings,
        space=context.space,
        participants=participants,
        message=notifications_service.Message(
            kind="reply",
            dedup_key=f"reply:{reply.id}",
            title=translate(language, "reply.title", space=context.space.title),
            body=translate(language, "reply.body", author=author, excerpt=excerpt),
            link_path=f"/me/spaces/{context.space.id}/prompts/{context.prompt.id}",
            prompt_id=context.prompt.id,
        ),
    )
    return {participant.user_id for participant in participants}


async def _visible_reply(
    session: AsyncSession, principal: Principal, reply_id: uuid.UUID
) -> tuple[Reply, Context]:
    reply = await session.scalar(
        select(Reply).where(Reply.id == reply_id, Reply.deleted_at.is_(None))
    )
    if reply is None:
        raise NotFound("No such reply.")
    try:
        context = await response_context(session, principal, reply.response_id)
    except NotFound:
        raise NotFound("No such reply.") from None
    if reply.private and not (context.staff or context.is_author):
        raise NotFound("No such reply.")
    return reply, context


class EditWindowOver(Conflict):
    code = "response.edit_window_over"
    title = "This can no longer be edited"


async def edit_reply(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    reply_id: uuid.UUID,
    text: str,
) -> ReplyRead:
    """The author edits their reply within the edit window; the previous text is kept."""
    reply, context = await _visible_reply(session, principal, reply_id)
    mine = (
        reply.author_user_id == principal.user_id
        if reply.author_kind is AuthorKind.staff
        else context.participant is not None
        and reply.author_participant_id == context.participant.id
    )
    if not mine:
        # Visible, then permitted: whoever reads the reply learns only its author edits it.
        raise responses_service.AuthorOnly("Only its author can edit this reply.")
    _ensure_can_write(context)
    if utcnow() > reply.created_at + timedelta(minutes=settings.response_edit_minutes):
        raise EditWindowOver(
            f"Replies can be edited for {settings.response_edit_minutes} minutes after posting."
        )
    session.add(ReplyVersion(reply_id=reply.id, text=reply.text))
    reply.text, reply.text_html, reply.edited_at = text, render_markdown(text), utcnow()
    await session.flush()
    (read,) = await _reply_reads(session, [reply], context, principal)
    return read


# --- probes ---------------------------------------------------------------------------------


async def _probe_reads(session: AsyncSession, probes: list[Probe]) -> list[ProbeRead]:
    now = utcnow()
    pseudonyms = (
        dict(
            (
                await session.execute(
                    select(Participant.id, Participant.pseudonym).where(
                        Participant.id.in_({p.participant_id for p in probes})
                    )
                )
            ).all()
        )
        if probes
        else {}
    )
    authors = (
        dict(
            (
                await session.execute(
                    select(User.id, User.display_name).where(
                        User.id.in_({p.created_by_user_id for p in probes if p.created_by_user_id})
                    )
                )
            ).all()
        )
        if probes
        else {}
    )
    return [
        ProbeRead(
            id=probe.id,
            response_id=probe.response_id,
            prompt_id=probe.prompt_id,
            participant_pseudonym=pseudonyms.get(probe.participant_id, "?"),
            text_html=probe.text_html,
            visibility=probe.visibility,
            status=probe_state(probe.status, probe.due_at, now),
            due_at=probe.due_at,
            answered_at=probe.answered_at,
            created_by_name=authors.get(probe.created_by_user_id)
            if probe.created_by_user_id
            else None,
            created_at=probe.created_at,
        )
        for probe in probes
    ]


async def create_probe(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    response_id: uuid.UUID,
    text: str,
    visibility: ProbeVisibility,
) -> ProbeRead:
    context = await response_context(session, principal, response_id)
    if not context.staff:
        raise Forbidden("Only the brand asks follow-up questions.")
    _ensure_staff_can_write(context)
    if context.space.status is not SpaceStatus.open:
        raise SpaceNotOpen("This space is not open.")
    probe = Probe(
        organization_id=context.space.organization_id,
        space_id=context.space.id,
        prompt_id=context.prompt.id,
        response_id=context.response.id,
        participant_id=context.response.participant_id,
        created_by_user_id=principal.user_id,
        text=text,
        text_html=render_markdown(text),
        visibility=visibility,
        due_at=utcnow() + timedelta(hours=settings.probe_due_hours),
    )
    session.add(probe)
    await session.flush()
    await notify_probe(session, settings, context.space, probe, overdue=False)
    await realtime.emit(
        session,
        await realtime.staff_of(session, context.space.organization_id)
        | await _author_audience(session, probe.participant_id),
        "probe.created",
        {"probe_id": str(probe.id), "response_id": str(probe.response_id)},
        space_id=context.space.id,
    )
    audit.record(
        session,
        principal=principal,
        organization_id=context.space.organization_id,
        action="probe.create",
        target_type="probe",
        target_id=probe.id,
        data={"visibility": visibility.value},
    )
    (read,) = await _probe_reads(session, [probe])
    return read


async def notify_probe(
    session: AsyncSession, settings: Settings, space: Space, probe: Probe, *, overdue: bool
) -> int:
    """Tell the probed participant (once per probe; once more when it goes overdue)."""
    participant = await session.get(Participant, probe.participant_id)
    if participant is None or participant.status is not ParticipantStatus.active:
        return 0
    language = "fr" if space.language.value == "fr" else "en"
    return await notifications_service.notify(
        session,
        settings=settings,
        space=space,
        participants=[participant],
        message=notifications_service.Message(
            kind="probe_overdue" if overdue else "probe",
            dedup_key=f"probe_overdue:{probe.id}" if overdue else f"probe:{probe.id}",
            title=translate(language, "probe.overdue_title" if overdue else "probe.title"),
            body=probe.text,
            link_path=f"/me/spaces/{space.id}/prompts/{probe.prompt_id}",
            prompt_id=probe.prompt_id,
        ),
    )


async def list_probes_on_response(
    session: AsyncSession, *, principal: Principal, response_id: uuid.UUID
) -> list[ProbeRead]:
    context = await response_context(session, principal, response_id)
    stmt = select(Probe).where(Probe.response_id == context.response.id)
    if not context.staff and not context.is_author:
        stmt = stmt.where(Probe.visibility == ProbeVisibility.public)
    probes = list((await session.scalars(stmt.order_by(Probe.created_at, Probe.id))).all())
    return await _probe_reads(session, probes)


async def answer_probe(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    probe_id: uuid.UUID,
    text: str,
) -> ReplyRead:
    """The participant answers in place; the probe becomes answered."""
    probe = await session.scalar(select(Probe).where(Probe.id == probe_id))
    if probe is None:
        raise NotFound("No such probe.")
    participant = await participants_service.my_participation(session, principal, probe.space_id)
    if participant is None or participant.id != probe.participant_id:
        if participant is None and await organizations_service.staff_role(
            session, principal, probe.organization_id
        ):
            raise ProbeForParticipant("Only the participant it was asked to answers a probe.")
        raise NotFound("No such probe.")
    # Claim the probe: of two concurrent answers, exactly one goes on.
    claimed = await session.execute(
        update(Probe)
        .where(Probe.id == probe.id, Probe.status == ProbeStatus.open)
        .values(status=ProbeStatus.answered, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ProbeAlreadyAnswered("You already answered this question.")
    await session.refresh(probe)
    reply = await add_reply(
        session,
        settings=settings,
        principal=principal,
        response_id=probe.response_id,
        text=text,
        probe=probe,
    )
    space = await session.get_one(Space, probe.space_id)
    await realtime.emit(
        session,
        await realtime.staff_of(session, space.organization_id),
        "probe.answered",
        {"probe_id": str(probe.id), "response_id": str(probe.response_id)},
        space_id=space.id,
    )
    return reply


async def probe_queue(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    params: PageParams,
    state: ProbeState | None,
    prompt_id: uuid.UUID | None,
    segment_id: uuid.UUID | None,
    created_by: uuid.UUID | None,
) -> ProbePage:
    from causerie.models import participant_segment
    from causerie.spaces import service as spaces_service

    space, _role = await spaces_service.get_space_for_staff(session, principal, space_id)
    now = utcnow()
    stmt = select(Probe).where(Probe.space_id == space.id)
    if state == "answered":
        stmt = stmt.where(Probe.status == ProbeStatus.answered)
    elif state == "overdue":
        stmt = stmt.where(Probe.status == ProbeStatus.open, Probe.due_at <= now)
    elif state == "open":
        stmt = stmt.where(Probe.status == ProbeStatus.open, Probe.due_at > now)
    if prompt_id is not None:
        stmt = stmt.where(Probe.prompt_id == prompt_id)
    if created_by is not None:
        stmt = stmt.where(Probe.created_by_user_id == created_by)
    if segment_id is not None:
        stmt = stmt.where(
            Probe.participant_id.in_(
                select(participant_segment.c.participant_id).where(
                    participant_segment.c.segment_id == segment_id
                )
            )
        )
    rows, next_cursor = await keyset_page(
        session, stmt, created_at=Probe.created_at, row_id=Probe.id, params=params
    )
    return ProbePage(
        items=await _probe_reads(session, [row[0] for row in rows]), next_cursor=next_cursor
    )


# --- backroom notes -------------------------------------------------------------------------


async def _note_target(
    session: AsyncSession, principal: Principal, target_id: uuid.UUID, *, is_reply: bool
) -> Context:
    if is_reply:
        _reply, context = await _visible_reply(session, principal, target_id)
    else:
        context = await response_context(session, principal, target_id)
    if not context.staff:
        raise NotFound("No such answer.")
    return context


async def list_notes(
    session: AsyncSession,
    *,
    principal: Principal,
    target_id: uuid.UUID,
    is_reply: bool,
    params: PageParams,
) -> NotePage:
    await _note_target(session, principal, target_id, is_reply=is_reply)
    rows, next_cursor = await keyset_page(
        session,
        select(Note, User.display_name)
        .outerjoin(User, User.id == Note.author_user_id)
        .where(Note.target_id == target_id, Note.deleted_at.is_(None)),
        created_at=Note.created_at,
        row_id=Note.id,
        params=params,
    )
    return NotePage(
        items=[
            NoteRead(
                id=row[0].id,
                target_id=row[0].target_id,
                author_name=row[1],
                text_html=row[0].text_html,
                created_at=row[0].created_at,
            )
            for row in rows
        ],
        next_cursor=next_cursor,
    )


async def add_note(
    session: AsyncSession,
    *,
    principal: Principal,
    target_id: uuid.UUID,
    is_reply: bool,
    text: str,
) -> NoteRead:
    context = await _note_target(session, principal, target_id, is_reply=is_reply)
    _ensure_staff_can_write(context)
    if context.space.status is SpaceStatus.archived:
        raise SpaceNotOpen("An archived space can no longer change.")
    note = Note(
        organization_id=context.space.organization_id,
        space_id=context.space.id,
        target_id=target_id,
        author_user_id=principal.user_id,
        text=text,
        text_html=render_markdown(text),
    )
    session.add(note)
    await session.flush()
    audit.record(
        session,
        principal=principal,
        organization_id=context.space.organization_id,
        action="note.create",
        target_type="note",
        target_id=note.id,
        data={"on": str(target_id)},
    )
    name = await session.scalar(select(User.display_name).where(User.id == principal.user_id))
    return NoteRead(
        id=note.id,
        target_id=target_id,
        author_name=name,
        text_html=note.text_html,
        created_at=note.created_at,
    )


# --- who has not answered yet, and nudging them --------------------------------------------


async def waiting_participants(
    session: AsyncSession, space: Space, prompt: Prompt, now: datetime
) -> list[Participant]:
    """Active participants for whom the prompt is open now and who have not answered it."""
    from causerie.script import rules as script_rules
    from causerie.script.timeline import timeline

    participants = list(
        (
            await session.scalars(
                select(Participant)
                .where(
                    Participant.space_id == space.id,
                    Participant.status == ParticipantStatus.active,
                )
                .order_by(Participant.pseudonym_key)
            )
        ).all()
    )
    prompts = await script_rules.load_prompts(session, space.id)
    rules = await script_rules.load_rules(session, prompts)
    facts = await script_rules.facts_for(session, participants)
    answers = await script_rules.answers_for(session, [p.id for p in participants])
    waiting = []
    for participant in participants:
        states = timeline(rules, facts[participant.id], answers.get(participant.id, {}), now)
        if any(s.prompt_id == prompt.id and s.state is State.open for s in states):
            waiting.append(participant)
    return waiting


async def _staff_prompt(
    session: AsyncSession, principal: Principal, prompt_id: uuid.UUID
) -> tuple[Prompt, Space, Role]:
    from causerie.spaces import service as spaces_service

    prompt = await session.scalar(
        select(Prompt).where(Prompt.id == prompt_id, Prompt.deleted_at.is_(None))
    )
    if prompt is None:
        raise NotFound("No such prompt.")
    try:
        space, role = await spaces_service.get_space_for_staff(session, principal, prompt.space_id)
    except NotFound:
        raise NotFound("No such prompt.") from None
    return prompt, space, role


async def list_waiting(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> list[WaitingRead]:
    prompt, space, _role = await _staff_prompt(session, principal, prompt_id)
    return [
        WaitingRead(participant_id=p.id, pseudonym=p.pseudonym)
        for p in await waiting_participants(session, space, prompt, utcnow())
    ]


async def nudge(
    session: AsyncSession, *, settings: Settings, principal: Principal, prompt_id: uuid.UUID
) -> NudgeResult:
    """Remind now everyone who has not answered this open prompt (at most once a day each)."""
    prompt, space, role = await _staff_prompt(session, principal, prompt_id)
    organizations_service.require_role(role, *EDITORS)
    if space.status is not SpaceStatus.open:
        raise SpaceNotOpen("This space is not open.")
    now = utcnow()
    waiting = await waiting_participants(session, space, prompt, now)
    language = "fr" if space.language.value == "fr" else "en"
    reminded = await notifications_service.notify(
        session,
        settings=settings,
        space=space,
        participants=waiting,
        message=notifications_service.Message(
            kind="reminder",
            dedup_key=f"reminder:{prompt.id}:{now.date().isoformat()}",
            title=translate(language, "reminder.title"),
            body=translate(language, "reminder.body", title=prompt.title, space=space.title),
            link_path=f"/me/spaces/{space.id}/prompts/{prompt.id}",
            prompt_id=prompt.id,
        ),
    )
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="prompt.nudge",
        target_type="prompt",
        target_id=prompt.id,
        data={"waiting": len(waiting), "reminded": reminded},
    )
    return NudgeResult(waiting=len(waiting), reminded=reminded)
