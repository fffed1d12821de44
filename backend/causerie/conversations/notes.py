"""Backroom notes: staff-only remarks on an answer or a reply."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.conversations.context import Context, ensure_staff_can_write, response_context
from causerie.conversations.replies import visible_reply
from causerie.conversations.schemas import NotePage, NoteRead
from causerie.core import events
from causerie.core.errors import NotFound
from causerie.core.event_catalogue import NoteAdded
from causerie.core.markdown import render_markdown
from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.models import SpaceStatus, User
from causerie.models.conversations import Note
from causerie.spaces import service as spaces_service


async def _note_target(
    session: AsyncSession, principal: Principal, target_id: uuid.UUID, *, is_reply: bool
) -> Context:
    if is_reply:
        _reply, context = await visible_reply(session, principal, target_id)
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
    """Staff keep notes in any space that still changes (not archived), open or closed."""
    context = await _note_target(session, principal, target_id, is_reply=is_reply)
    ensure_staff_can_write(context)
    if context.space.status is SpaceStatus.archived:
        raise spaces_service.SpaceArchived("An archived space can no longer change.")
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
    await events.record(
        session,
        NoteAdded(
            organization_id=note.organization_id,
            space_id=note.space_id,
            note_id=note.id,
            target_id=target_id,
        ),
    )
    name = await session.scalar(select(User.display_name).where(User.id == principal.user_id))
    return NoteRead(
        id=note.id,
        target_id=target_id,
        author_name=name,
        text_html=note.text_html,
        created_at=note.created_at,
    )
