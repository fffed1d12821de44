"""Replies under an answer: threads, from participants or staff, and their edits.

Who reads a reply: whoever reads the answer (``conversations.context``), except private
replies (answers to a private probe), which only the answer's author and staff read.
"""

from __future__ import annotations

import uuid

from sqlalchemy import CompoundSelect, Select, and_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.conversations.context import (
    AuthorOnly,
    Context,
    check_edit_window,
    ensure_can_write,
    response_context,
)
from causerie.conversations.counts import page_tallies, reactions_for
from causerie.conversations.schemas import ReplyPage, ReplyRead
from causerie.core import events
from causerie.core.clock import utcnow
from causerie.core.errors import NotFound
from causerie.core.event_catalogue import ReplyCreated, ReplyEdited
from causerie.core.markdown import render_markdown
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.models import Membership, Participant, ParticipantStatus, Response, Role, User
from causerie.models.conversations import AuthorKind, Probe, ProbeVisibility, Reply, ReplyVersion


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
                mine=_mine(
                    reply.author_kind,
                    reply.author_user_id,
                    reply.author_participant_id,
                    context,
                    principal,
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


def _mine(
    kind: AuthorKind,
    user_id: uuid.UUID | None,
    participant_id: uuid.UUID | None,
    context: Context,
    principal: Principal,
) -> bool:
    """A staff reply is mine when I wrote it; a participant's when I am that participant."""
    if kind is AuthorKind.staff:
        return user_id == principal.user_id
    return context.participant is not None and participant_id == context.participant.id


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
    if not access.reads_private_item(
        private=True, staff=context.staff, answer_author=context.is_author
    ):
        conditions.append(Reply.private.is_(False))
    return conditions


def _page(context: Context) -> AnySelect:
    """Visible replies with their authors' names and staff roles, as columns."""
    return (
        select(
            Reply.id,
            Reply.response_id,
            Reply.author_kind,
            Reply.author_user_id,
            Reply.author_participant_id,
            Reply.text,
            Reply.text_html,
            Reply.private,
            Reply.probe_id,
            Reply.created_at,
            Reply.edited_at,
            Participant.pseudonym,
            User.display_name,
            Membership.role,
        )
        .outerjoin(Participant, Participant.id == Reply.author_participant_id)
        # A staff member's name and role sign staff replies only.
        .outerjoin(
            User, and_(User.id == Reply.author_user_id, Reply.author_kind == AuthorKind.staff)
        )
        .outerjoin(
            Membership,
            and_(
                Membership.user_id == User.id,
                Membership.organization_id == context.space.organization_id,
                Membership.deleted_at.is_(None),
            ),
        )
        .where(*_visible_replies(context))  # type: ignore[arg-type]
    )


async def list_replies(
    session: AsyncSession, *, principal: Principal, response_id: uuid.UUID, params: PageParams
) -> ReplyPage:
    """A page of a thread in four statements whatever its size: the caller, the answer with
    what the caller is to it, the page with its authors, and its reaction counts."""
    context = await response_context(session, principal, response_id)
    rows, next_cursor = await keyset_page(
        session, _page(context), created_at=Reply.created_at, row_id=Reply.id, params=params
    )
    tallies = await page_tallies(
        session, reaction_target_ids=[row.id for row in rows], user_id=principal.user_id
    )
    items = [
        ReplyRead(
            id=row.id,
            response_id=row.response_id,
            author_kind=row.author_kind,
            author_name=(row.display_name or "Causerie")
            if row.author_kind is AuthorKind.staff
            else (row.pseudonym or "?"),
            author_role=row.role if row.author_kind is AuthorKind.staff else None,
            mine=_mine(
                row.author_kind, row.author_user_id, row.author_participant_id, context, principal
            ),
            text=row.text,
            text_html=row.text_html,
            private=row.private,
            probe_id=row.probe_id,
            reactions=tallies.reactions.get(row.id, {}),
            my_reactions=tallies.my_reactions.get(row.id, []),
            created_at=row.created_at,
            edited_at=row.edited_at,
        )
        for row in rows
    ]
    return ReplyPage(items=items, next_cursor=next_cursor)


async def add_reply(
    session: AsyncSession,
    *,
    principal: Principal,
    response_id: uuid.UUID,
    text: str,
    probe: Probe | None = None,
) -> ReplyRead:
    context = await response_context(session, principal, response_id)
    ensure_can_write(context)
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
    await events.record(session, _event(ReplyCreated, reply, context))
    # A new reply has no reactions yet, and its author is the caller: no query to read it.
    return ReplyRead(
        id=reply.id,
        response_id=reply.response_id,
        author_kind=reply.author_kind,
        author_name=await author_name(session, reply),
        author_role=context.role,
        mine=True,
        text=reply.text,
        text_html=reply.text_html,
        private=reply.private,
        probe_id=reply.probe_id,
        reactions={},
        my_reactions=[],
        created_at=reply.created_at,
        edited_at=reply.edited_at,
    )


def _event(
    kind: type[ReplyCreated | ReplyEdited], reply: Reply, context: Context
) -> ReplyCreated | ReplyEdited:
    return kind(
        organization_id=reply.organization_id,
        space_id=reply.space_id,
        prompt_id=context.prompt.id,
        response_id=reply.response_id,
        reply_id=reply.id,
    )


async def thread_participants(
    session: AsyncSession, reply: Reply
) -> tuple[list[Participant], dict[uuid.UUID, str]]:
    """Who a new reply concerns, with their e-mail addresses, in one query: the answer's
    author and the thread's earlier participant repliers (active ones, not the replier).
    A private reply concerns only the author."""
    author = select(Response.participant_id).where(Response.id == reply.response_id)
    concerned: Select[uuid.UUID] | CompoundSelect[uuid.UUID] = author
    if not reply.private:
        concerned = author.union(
            select(Reply.author_participant_id).where(
                Reply.response_id == reply.response_id,
                Reply.author_kind == AuthorKind.participant,
                Reply.private.is_(False),
                Reply.id != reply.id,
                Reply.deleted_at.is_(None),
            )
        )
    rows = (
        await session.execute(
            select(Participant, User.email)
            .join(User, User.id == Participant.user_id)
            .where(
                Participant.id.in_(concerned),
                Participant.status == ParticipantStatus.active,
                Participant.id != reply.author_participant_id
                if reply.author_participant_id
                else true(),
            )
            .order_by(Participant.id)
        )
    ).all()
    return [row[0] for row in rows], {row[0].user_id: row[1] for row in rows}


async def author_name(session: AsyncSession, reply: Reply) -> str:
    """The name a reply is signed with: the pseudonym, or the staff member's name."""
    if reply.author_kind is AuthorKind.participant:
        author = (
            await session.get(Participant, reply.author_participant_id)
            if reply.author_participant_id
            else None
        )
        return author.pseudonym if author else "?"
    user = await session.get(User, reply.author_user_id) if reply.author_user_id else None
    return user.display_name if user else "Causerie"


async def visible_reply(
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
    if not access.reads_private_item(
        private=reply.private, staff=context.staff, answer_author=context.is_author
    ):
        raise NotFound("No such reply.")
    return reply, context


async def edit_reply(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    reply_id: uuid.UUID,
    text: str,
) -> ReplyRead:
    """The author edits their reply within the edit window; the previous text is kept."""
    reply, context = await visible_reply(session, principal, reply_id)
    mine = (
        reply.author_user_id == principal.user_id
        if reply.author_kind is AuthorKind.staff
        else context.participant is not None
        and reply.author_participant_id == context.participant.id
    )
    if not mine:
        # Visible, then permitted: whoever reads the reply learns only its author edits it.
        raise AuthorOnly("Only its author can edit this reply.")
    ensure_can_write(context)
    check_edit_window(reply.created_at, settings, "Replies")
    session.add(ReplyVersion(reply_id=reply.id, text=reply.text))
    reply.text, reply.text_html, reply.edited_at = text, render_markdown(text), utcnow()
    await session.flush()
    await events.record(session, _event(ReplyEdited, reply, context))
    (read,) = await _reply_reads(session, [reply], context, principal)
    return read
