"""Server-side sessions: what access and refresh tokens belong to, and what revokes them.

A session is created at every sign-in (password, e-mail link, invitation that created the
account). Access tokens name it in their ``sid`` claim and each request checks, in the one
query that loads the caller, that it is not revoked: signing out, changing or resetting a
password ends the access tokens already issued, not only the refresh tokens.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Uuid, bindparam, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.clock import utcnow
from causerie.core.errors import InvalidToken
from causerie.core.events import wake_after_commit
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.tokens import AccessClaims, hash_token, issue_access_token, new_opaque_token
from causerie.models import AuthSession, RefreshToken, User


class RefreshTokenReused(InvalidToken):
    """A refresh token was presented twice: its session is revoked, and that must stick."""

    persist_changes = True


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_at_seconds: int
    session_id: uuid.UUID


async def issue_tokens(
    session: AsyncSession, *, settings: Settings, user_id: uuid.UUID
) -> IssuedTokens:
    """Open a new session for ``user_id`` and hand out its first tokens."""
    auth_session = AuthSession(user_id=user_id)
    session.add(auth_session)
    await session.flush()
    return await _next_tokens(
        session, settings=settings, user_id=user_id, session_id=auth_session.id, parent_id=None
    )


async def _next_tokens(
    session: AsyncSession,
    *,
    settings: Settings,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    parent_id: uuid.UUID | None,
) -> IssuedTokens:
    access_token, expires_in = issue_access_token(settings, user_id, session_id=session_id)
    refresh_token = new_opaque_token()
    ttl = timedelta(days=settings.refresh_token_ttl_days)
    session.add(
        RefreshToken(
            user_id=user_id,
            session_id=session_id,
            parent_id=parent_id,
            token_hash=hash_token(refresh_token),
            expires_at=utcnow() + ttl,
        )
    )
    await session.flush()
    return IssuedTokens(
        access_token=access_token,
        expires_in=expires_in,
        refresh_token=refresh_token,
        refresh_expires_at_seconds=int(ttl.total_seconds()),
        session_id=session_id,
    )


async def refresh(session: AsyncSession, *, settings: Settings, token: str | None) -> IssuedTokens:
    """Rotate: mark the presented token used and hand out its successor.

    A token presented after it was used means it leaked and the session is revoked, unless
    it is the immediately previous token presented again within the grace window (two tabs
    refreshing with one cookie): then it gets another successor in the same session.
    """
    if not token:
        raise InvalidToken("No refresh token.")
    now = utcnow()
    stored = (
        await session.execute(
            select(RefreshToken)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .join(User, User.id == RefreshToken.user_id)
            .where(
                RefreshToken.token_hash == hash_token(token),
                RefreshToken.revoked_at.is_(None),
                RefreshToken.expires_at > now,
                AuthSession.revoked_at.is_(None),
                User.deleted_at.is_(None),
            )
        )
    ).scalar_one_or_none()
    if stored is None:
        raise InvalidToken("The session has ended; sign in again.")
    # Atomic claim: of two concurrent uses, only one updates the row.
    claimed = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1 and not await _reused_within_grace(  # type: ignore[attr-defined]
        session, settings=settings, token_id=stored.id, now=now
    ):
        await revoke_session(session, stored.session_id)
        raise RefreshTokenReused("This session was used elsewhere; sign in again.")
    return await _next_tokens(
        session,
        settings=settings,
        user_id=stored.user_id,
        session_id=stored.session_id,
        parent_id=stored.id,
    )


async def _reused_within_grace(
    session: AsyncSession, *, settings: Settings, token_id: uuid.UUID, now: datetime
) -> bool:
    """True when the used token was rotated moments ago and no successor was used since."""
    grace = settings.refresh_reuse_grace_seconds
    if grace <= 0:
        return False
    # Column reads: the values committed now, not the identity map's stale copy.
    used_at = await session.scalar(select(RefreshToken.used_at).where(RefreshToken.id == token_id))
    if used_at is None or used_at <= now - timedelta(seconds=grace):
        return False
    successor_used = await session.scalar(
        select(
            exists().where(RefreshToken.parent_id == token_id, RefreshToken.used_at.is_not(None))
        )
    )
    return not successor_used


async def logout(session: AsyncSession, *, token: str | None) -> None:
    if not token:
        return
    session_id = await session.scalar(
        select(RefreshToken.session_id).where(RefreshToken.token_hash == hash_token(token))
    )
    if session_id is not None:
        await revoke_session(session, session_id)


ENDED = "sessions.ended"
"""After-commit channel: ended sessions, so that open live streams close without polling.
Items are ``(session_id, None)`` for one session, ``(None, (user_id, kept_session_id))`` for
every session of a person but one."""


async def revoke_session(session: AsyncSession, session_id: uuid.UUID) -> None:
    now = utcnow()
    wake_after_commit(session, ENDED, [(session_id, None)])
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.session_id == session_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def revoke_user_sessions(
    session: AsyncSession, user_id: uuid.UUID, *, keep: uuid.UUID | None = None
) -> None:
    """End every session of ``user_id`` (but ``keep``): their access tokens stop at once."""
    now = utcnow()
    wake_after_commit(session, ENDED, [(None, (user_id, keep))])
    sessions = [AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)]
    tokens = [RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)]
    if keep is not None:
        sessions.append(AuthSession.id != keep)
        tokens.append(RefreshToken.session_id != keep)
    await session.execute(
        update(AuthSession)
        .where(*sessions)
        .values(revoked_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(RefreshToken)
        .where(*tokens)
        .values(revoked_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


# Built once: every authenticated request runs it (building a statement costs about as much
# as the database takes to answer it).
_LIVE_PRINCIPAL = (
    select(User.id, User.is_platform_admin)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        AuthSession.id == bindparam("session_id", type_=Uuid),
        AuthSession.revoked_at.is_(None),
        User.id == bindparam("user_id", type_=Uuid),
        User.deleted_at.is_(None),
    )
)


async def principal_for(session: AsyncSession, claims: AccessClaims) -> Principal | None:
    """The signed-in person of a verified access token, if their session is live.

    One statement per request: the user and their session, joined.
    """
    row = (
        await session.execute(
            _LIVE_PRINCIPAL, {"session_id": claims.session_id, "user_id": claims.user_id}
        )
    ).one_or_none()
    if row is None:
        return None
    user_id, is_platform_admin = row
    return Principal.for_user(user_id, is_platform_admin=is_platform_admin)
