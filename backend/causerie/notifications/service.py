"""Notifications: written exactly once per person and event, read in the app, e-mailed per
the person's preference in the same transaction (so a rolled-back event sends nothing)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.database import dialect_of, insert_for
from causerie.core.errors import NotFound
from causerie.core.pagination import PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.tokens import issue_unsubscribe_token, read_unsubscribe_token
from causerie.i18n import translate
from causerie.models import (
    EmailPreference,
    Notification,
    Participant,
    Prompt,
    Space,
    User,
)
from causerie.models.events import Audience
from causerie.notifications.schemas import NotificationPage, NotificationRead, UnreadCount
from causerie.organizations import service as organizations_service
from causerie.outbox import service as outbox
from causerie.outbox.email import Language, public_url, render_branded_email
from causerie.realtime import service as realtime
from causerie.spaces import service as spaces_service


@dataclass(frozen=True)
class Opening:
    """A prompt that opened for a participant."""

    participant: Participant
    prompt: Prompt


async def _insert_new(session: AsyncSession, rows: list[dict[str, object]]) -> set[uuid.UUID]:
    """Insert the rows unless (user_id, dedup_key) exists, in one statement; returns the
    users whose notification is new."""
    if not rows:
        return set()
    statement = (
        insert_for(session)(Notification)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "dedup_key"])
        .returning(Notification.user_id)
    )
    return set((await session.scalars(statement)).all())


@dataclass(frozen=True)
class Message:
    """One notification event, as the recipients will read it."""

    kind: str
    dedup_key: str
    title: str
    body: str
    link_path: str
    prompt_id: uuid.UUID | None = None
    probe_id: uuid.UUID | None = None


async def notify(
    session: AsyncSession,
    *,
    settings: Settings,
    space: Space,
    participants: list[Participant],
    message: Message,
    emails: dict[uuid.UUID, str] | None = None,
) -> int:
    """Notify each participant once for this event (in-app, and by e-mail when they chose
    "immediate"); returns how many were new. ``emails`` (user id → address), when the
    caller has them, saves a query."""
    if not participants:
        return 0
    language = spaces_service.language_of(space)
    immediate = [p for p in participants if p.email_notifications is EmailPreference.immediate]
    if emails is None:
        emails = {}
    else:
        immediate = []
    if immediate:
        rows = await session.execute(
            select(User.id, User.email).where(User.id.in_({p.user_id for p in immediate}))
        )
        emails = dict(rows.all())
    now = utcnow()
    new = await _insert_new(
        session,
        [
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
                "user_id": participant.user_id,
                "organization_id": space.organization_id,
                "space_id": space.id,
                "prompt_id": message.prompt_id,
                "probe_id": message.probe_id,
                "kind": message.kind,
                "title": message.title,
                "body": message.body,
                "dedup_key": message.dedup_key,
            }
            for participant in participants
        ],
    )
    await realtime.emit_many(
        session,
        [
            realtime.for_user(user_id, "notification", _live_payload(message), space_id=space.id)
            for user_id in sorted(new)
        ],
    )
    for participant in participants:
        recipient = emails.get(participant.user_id)
        wants_email = participant.email_notifications is EmailPreference.immediate
        if participant.user_id in new and recipient and wants_email:
            _email(session, settings, space, message, recipient, language, participant.id)
    return len(new)


async def announce_openings(
    session: AsyncSession, *, settings: Settings, space: Space, openings: list[Opening]
) -> int:
    """One "prompt opened" notification per participant and prompt, ever: one batch of
    statements per prompt, whatever the number of participants."""
    language = spaces_service.language_of(space)
    by_prompt: dict[uuid.UUID, tuple[Prompt, list[Participant]]] = {}
    for opening in openings:
        by_prompt.setdefault(opening.prompt.id, (opening.prompt, []))[1].append(opening.participant)
    created = 0
    for prompt, participants in by_prompt.values():
        created += await notify(
            session,
            settings=settings,
            space=space,
            participants=participants,
            message=Message(
                kind="prompt_opened",
                dedup_key=f"prompt_opened:{prompt.id}",
                title=prompt.title,
                body=translate(language, "prompt_opened.intro", space=space.title),
                link_path=f"/me/spaces/{space.id}/prompts/{prompt.id}",
                prompt_id=prompt.id,
            ),
        )
    return created


def _subject(language: Language, message: Message, space: Space) -> str:
    key = f"{message.kind}.subject"
    try:
        return translate(language, key, space=space.title, title=message.title)
    except KeyError:
        return translate(language, "notification.subject", space=space.title, title=message.title)


def _email(
    session: AsyncSession,
    settings: Settings,
    space: Space,
    message: Message,
    recipient: str,
    language: Language,
    participant_id: uuid.UUID,
) -> None:
    logo = spaces_service.logo_url(space.logo_file)
    unsubscribe = public_url(
        settings, f"/unsubscribe#token={issue_unsubscribe_token(settings, participant_id)}"
    )
    text, html = render_branded_email(
        language=language,
        brand_name=space.title,
        accent_color=space.accent_color,
        logo_url=public_url(settings, logo) if logo else None,
        heading=message.title,
        paragraphs=[message.body],
        button_label=translate(language, "prompt_opened.button"),
        button_url=public_url(settings, message.link_path),
        footer=translate(language, "prompt_opened.footer", space=space.title)
        + " "
        + translate(language, "unsubscribe.footer", link=unsubscribe),
    )
    outbox.enqueue_email(
        session,
        organization_id=space.organization_id,
        category=message.kind,
        recipient=recipient,
        subject=_subject(language, message, space),
        text=text,
        html=html,
        language=language,
        secret_links=[unsubscribe],
    )


def _user_id(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise NotFound("Only people have notifications.")
    return principal.user_id


async def _unread(session: AsyncSession, user_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


async def list_notifications(
    session: AsyncSession, *, principal: Principal, params: PageParams
) -> NotificationPage:
    user_id = _user_id(principal)
    rows, next_cursor = await keyset_page(
        session,
        select(
            Notification.id,
            Notification.kind,
            Notification.title,
            Notification.body,
            Notification.space_id,
            Notification.prompt_id,
            Notification.probe_id,
            Notification.created_at,
            Notification.read_at,
        ).where(Notification.user_id == user_id),
        created_at=Notification.created_at,
        row_id=Notification.id,
        params=params,
        descending=True,
    )
    return NotificationPage(
        items=[NotificationRead.model_validate(dict(row._mapping)) for row in rows],
        next_cursor=next_cursor,
        unread_count=await _unread(session, user_id),
    )


async def mark_read(
    session: AsyncSession, *, principal: Principal, notification_id: uuid.UUID
) -> NotificationRead:
    user_id = _user_id(principal)
    notification = await session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        await session.flush()
    return NotificationRead.model_validate(notification, from_attributes=True)


async def mark_all_read(session: AsyncSession, *, principal: Principal) -> UnreadCount:
    user_id = _user_id(principal)
    await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return UnreadCount(unread_count=0)


async def unsubscribe(session: AsyncSession, *, settings: Settings, token: str) -> Space:
    """One click from an e-mail, no sign-in: this participant gets no more e-mails from
    this space (in-app notifications stay)."""
    participant_id = read_unsubscribe_token(settings, token)
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("This unsubscribe link is not valid any more.")
    participant.email_notifications = EmailPreference.off
    participant.updated_at = utcnow()
    await session.flush()
    return await session.get_one(Space, participant.space_id)


async def notify_editors(session: AsyncSession, *, space: Space, message: Message) -> None:
    """In-app notifications for the organization's owners and animators, in one statement
    whatever their number (their e-mail summary is the daily digest); one live event tells
    them all."""
    now = utcnow()
    new_id = (
        func.gen_random_uuid()
        if dialect_of(session) == "postgresql"
        else func.lower(func.hex(func.randomblob(16)))
    )
    editors = organizations_service.members_with_role(
        space.organization_id, organizations_service.EDITORS
    ).subquery()
    values = {
        "id": new_id,
        "created_at": literal(now, Notification.created_at.type),
        "updated_at": literal(now, Notification.updated_at.type),
        "user_id": editors.c.user_id,
        "organization_id": literal(space.organization_id, Notification.organization_id.type),
        "space_id": literal(space.id, Notification.space_id.type),
        "prompt_id": literal(message.prompt_id, Notification.prompt_id.type),
        "kind": literal(message.kind),
        "title": literal(message.title),
        "body": literal(message.body),
        "dedup_key": literal(message.dedup_key),
    }
    columns: list[Any] = [value.label(name) for name, value in values.items()]
    await session.execute(
        insert_for(session)(Notification)
        .from_select(list(values), select(*columns).select_from(editors).where(true()))
        .on_conflict_do_nothing(index_elements=["user_id", "dedup_key"])
    )
    await realtime.emit(
        session,
        "notification",
        _live_payload(message),
        audience=Audience.editors,
        organization_id=space.organization_id,
        space_id=space.id,
    )


def _live_payload(message: Message) -> dict[str, Any]:
    return {"notification_kind": message.kind, "prompt_id": str(message.prompt_id or "")}
