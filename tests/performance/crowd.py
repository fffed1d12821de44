"""Many participants at once, written in one transaction (a crowd for load-shaped tests)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.models import AuthSession, Participant, Space, User
from tests.support.factories import UserInfo


async def add_crowd(
    database: Database, space_id: uuid.UUID, count: int, *, prefix: str = "crowd"
) -> list[tuple[UserInfo, uuid.UUID]]:
    """``count`` people who joined the space two days ago, each signed in: their user info
    (for ``auth_headers``) and their participant id."""
    joined = utcnow() - timedelta(days=2)
    crowd: list[tuple[UserInfo, uuid.UUID]] = []
    async with database.writer() as session, session.begin():
        space = await session.get_one(Space, space_id)
        users = [
            User(email=f"{prefix}-{index}@example.com", display_name=f"{prefix.title()} {index}")
            for index in range(count)
        ]
        session.add_all(users)
        await session.flush()
        sessions = [AuthSession(user_id=user.id) for user in users]
        participants = [
            Participant(
                organization_id=space.organization_id,
                space_id=space.id,
                user_id=user.id,
                pseudonym=f"{prefix}{index}",
                pseudonym_key=f"{prefix}{index}",
                joined_at=joined,
                consent_terms_version=space.terms_version,
                consent_at=joined,
            )
            for index, user in enumerate(users)
        ]
        session.add_all([*sessions, *participants])
        await session.flush()
        for user, auth_session, participant in zip(users, sessions, participants, strict=True):
            info = UserInfo(user.id, user.email, user.display_name, auth_session.id)
            crowd.append((info, participant.id))
    return crowd
