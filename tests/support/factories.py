"""Small typed builders for tests; they write through a real unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.passwords import hash_password_sync
from causerie.core.settings import Settings
from causerie.core.tokens import issue_access_token
from causerie.models import (
    AuthSession,
    Membership,
    Organization,
    Participant,
    ParticipantStatus,
    Role,
    Segment,
    Space,
    SpaceLanguage,
    SpaceObjective,
    User,
    participant_segment,
)
from causerie.outbox import service as outbox_service

PASSWORD = "correct horse battery staple"
# Hashing is deliberately slow: compute the test password's hash once.
_PASSWORD_HASH = hash_password_sync(PASSWORD)


@dataclass(frozen=True)
class UserInfo:
    id: uuid.UUID
    email: str
    display_name: str
    # A signed-in session opened by ``create_user``; ``auth_headers`` issues tokens for it.
    session_id: uuid.UUID


async def create_user(
    database: Database,
    *,
    email: str | None = None,
    display_name: str = "Test Person",
    is_platform_admin: bool = False,
    with_password: bool = True,
) -> UserInfo:
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    async with database.writer() as session, session.begin():
        user = User(
            email=email,
            display_name=display_name,
            password_hash=_PASSWORD_HASH if with_password else None,
            is_platform_admin=is_platform_admin,
        )
        session.add(user)
        await session.flush()
        auth_session = AuthSession(user_id=user.id)
        session.add(auth_session)
        await session.flush()
        return UserInfo(
            id=user.id, email=email, display_name=display_name, session_id=auth_session.id
        )


async def create_organization(
    database: Database, *, name: str = "Acme", members: dict[UserInfo, Role] | None = None
) -> uuid.UUID:
    async with database.writer() as session, session.begin():
        organization = Organization(name=name)
        session.add(organization)
        await session.flush()
        for user, role in (members or {}).items():
            session.add(Membership(organization_id=organization.id, user_id=user.id, role=role))
        return organization.id


def auth_headers(settings: Settings, user: UserInfo) -> dict[str, str]:
    token, _ = issue_access_token(settings, user.id, session_id=user.session_id)
    return {"Authorization": f"Bearer {token}"}


async def create_email(
    database: Database,
    *,
    organization_id: uuid.UUID | None,
    category: str = "reminder",
    recipient: str | None = None,
    subject: str = "Hello",
    text: str = "Hello in text",
    html: str | None = "<p>Hello in HTML</p>",
) -> uuid.UUID:
    """An e-mail queued in the outbox (committed, pending)."""
    async with database.writer() as session, session.begin():
        message = outbox_service.enqueue_email(
            session,
            organization_id=organization_id,
            category=category,
            recipient=recipient or f"person-{uuid.uuid4().hex[:10]}@example.com",
            subject=subject,
            text=text,
            html=html,
            language="en",
        )
        await session.flush()
        return message.id


# --- spaces and participants ----------------------------------------------------------


async def create_space(
    database: Database, organization_id: uuid.UUID, **overrides: object
) -> uuid.UUID:
    """A space (a draft unless ``status=`` says otherwise); ``overrides`` are model fields."""
    fields: dict[str, object] = {
        "title": "Le Club",
        "objective": SpaceObjective.relationship,
        "language": SpaceLanguage.fr,
        **overrides,
    }
    async with database.writer() as session, session.begin():
        space = Space(organization_id=organization_id, **fields)
        session.add(space)
        await session.flush()
        return space.id


async def create_segment(database: Database, space_id: uuid.UUID, name: str) -> uuid.UUID:
    async with database.writer() as session, session.begin():
        space = await session.get_one(Space, space_id)
        segment = Segment(
            organization_id=space.organization_id,
            space_id=space_id,
            name=name,
            name_key=" ".join(name.split()).casefold(),
        )
        session.add(segment)
        await session.flush()
        return segment.id


async def add_participant(
    database: Database,
    space_id: uuid.UUID,
    user: UserInfo,
    pseudonym: str,
    *,
    segments: Sequence[uuid.UUID] = (),
    status: ParticipantStatus = ParticipantStatus.active,
) -> uuid.UUID:
    """``user`` joins the space as ``pseudonym`` (consented to the current terms)."""
    async with database.writer() as session, session.begin():
        space = await session.get_one(Space, space_id)
        now = utcnow()
        participant = Participant(
            organization_id=space.organization_id,
            space_id=space_id,
            user_id=user.id,
            pseudonym=pseudonym,
            pseudonym_key=" ".join(pseudonym.split()).casefold(),
            status=status,
            joined_at=now,
            left_at=now if status is ParticipantStatus.left else None,
            consent_terms_version=space.terms_version,
            consent_at=now,
        )
        session.add(participant)
        await session.flush()
        if segments:
            await session.execute(
                insert(participant_segment),
                [{"participant_id": participant.id, "segment_id": s} for s in segments],
            )
        return participant.id
