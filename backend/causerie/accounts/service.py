"""Sign-in, token rotation and sign-out. Services flush; the request commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.accounts.emails import magic_link_email
from causerie.accounts.schemas import MembershipRead, MeRead
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.errors import AppError, InvalidToken, NotFound, RateLimited
from causerie.core.passwords import verify_password
from causerie.core.principal import Principal
from causerie.core.ratelimit import SlidingWindowLimiter
from causerie.core.settings import Settings
from causerie.core.text import normalize_email
from causerie.core.tokens import hash_token, issue_access_token, new_opaque_token
from causerie.models import MagicLinkToken, Membership, Organization, RefreshToken, User
from causerie.outbox import service as outbox


class InvalidCredentials(AppError):
    status = 401
    code = "auth.invalid_credentials"
    title = "Wrong e-mail or password"


class MagicLinkGone(AppError):
    status = 410
    code = "auth.link_expired"
    title = "This sign-in link has expired or was already used"


class RefreshTokenReused(InvalidToken):
    """A refresh token was presented twice: its family is revoked, and that must stick."""

    persist_changes = True


@dataclass(frozen=True)
class LoginLimiters:
    per_ip: SlidingWindowLimiter
    per_account: SlidingWindowLimiter
    magic_per_ip: SlidingWindowLimiter
    magic_per_address: SlidingWindowLimiter

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimiters:
        window = settings.login_window_seconds
        return cls(
            per_ip=SlidingWindowLimiter(
                limit=settings.login_attempts_per_ip, window_seconds=window
            ),
            per_account=SlidingWindowLimiter(
                limit=settings.login_attempts_per_account, window_seconds=window
            ),
            magic_per_ip=SlidingWindowLimiter(limit=20, window_seconds=window),
            magic_per_address=SlidingWindowLimiter(limit=3, window_seconds=window),
        )


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_at_seconds: int


async def login(
    session: AsyncSession,
    *,
    database: Database,
    settings: Settings,
    limiters: LoginLimiters,
    email: str,
    password: str,
    client_ip: str,
) -> IssuedTokens:
    email = normalize_email(email)
    # Rate limits answer before any hashing, so floods cost us nothing.
    wait = max(limiters.per_ip.hit(client_ip), limiters.per_account.wait_for(email))
    if wait:
        raise RateLimited(wait)
    # Read the hash in a short read-only transaction: hashing must not hold the write lock
    # (SQLite) or a pooled connection idle in a transaction (PostgreSQL).
    async with database.reader() as reader:
        row = (
            await reader.execute(
                select(User.id, User.password_hash).where(
                    User.email == email, User.deleted_at.is_(None)
                )
            )
        ).one_or_none()
    user_id, password_hash = row if row is not None else (None, None)
    if not await verify_password(password_hash, password) or user_id is None:
        limiters.per_account.record(email)
        raise InvalidCredentials("The e-mail address or the password is wrong.")
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(last_login_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return await issue_tokens(session, settings=settings, user_id=user_id)


async def issue_tokens(
    session: AsyncSession,
    *,
    settings: Settings,
    user_id: uuid.UUID,
    family_id: uuid.UUID | None = None,
) -> IssuedTokens:
    """A new session for ``user_id`` (or the next link of an existing token family)."""
    family_id = family_id or uuid.uuid4()
    access_token, expires_in = issue_access_token(settings, user_id)
    refresh_token = new_opaque_token()
    ttl = timedelta(days=settings.refresh_token_ttl_days)
    session.add(
        RefreshToken(
            user_id=user_id,
            family_id=family_id,
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
    )


async def refresh(session: AsyncSession, *, settings: Settings, token: str | None) -> IssuedTokens:
    """Rotate: mark the presented token used and hand out its successor.

    A token presented after it was used means it leaked: the whole family is revoked.
    """
    if not token:
        raise InvalidToken("No refresh token.")
    stored = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_token(token))
    )
    now = utcnow()
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise InvalidToken("The session has ended; sign in again.")
    # Atomic claim: of two concurrent uses, only one updates the row.
    claimed = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await _revoke_family(session, stored.family_id)
        raise RefreshTokenReused("This session was used elsewhere; sign in again.")
    user = await session.scalar(
        select(User).where(User.id == stored.user_id, User.deleted_at.is_(None))
    )
    if user is None:
        raise InvalidToken("The session has ended; sign in again.")
    return await issue_tokens(
        session, settings=settings, user_id=user.id, family_id=stored.family_id
    )


async def logout(session: AsyncSession, *, token: str | None) -> None:
    if not token:
        return
    family_id = await session.scalar(
        select(RefreshToken.family_id).where(RefreshToken.token_hash == hash_token(token))
    )
    if family_id is not None:
        await _revoke_family(session, family_id)


async def _revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def get_active_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id, User.deleted_at.is_(None)))


async def get_me(session: AsyncSession, *, principal: Principal) -> MeRead:
    if principal.user_id is None:
        raise NotFound("API keys have no personal profile.")
    user_id = principal.user_id
    user = await get_active_user(session, user_id)
    if user is None:
        raise NotFound
    rows = await session.execute(
        select(Membership.organization_id, Organization.name, Membership.role)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user_id,
            Membership.deleted_at.is_(None),
            Organization.deleted_at.is_(None),
        )
        .order_by(Organization.name, Organization.id)
    )
    return MeRead(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        is_platform_admin=user.is_platform_admin,
        memberships=[
            MembershipRead(organization_id=org_id, organization_name=name, role=role)
            for org_id, name, role in rows
        ],
    )


MAGIC_LINK_TTL = timedelta(minutes=15)


async def request_magic_link(
    session: AsyncSession,
    *,
    settings: Settings,
    limiters: LoginLimiters,
    email: str,
    language: str,
    client_ip: str,
) -> None:
    """Send a one-time sign-in link if the address has an account; the caller answers the
    same either way, so the endpoint does not reveal who has an account."""
    email = normalize_email(email)
    wait = max(limiters.magic_per_ip.hit(client_ip), limiters.magic_per_address.hit(email))
    if wait:
        raise RateLimited(wait)
    user_id = await session.scalar(
        select(User.id).where(User.email == email, User.deleted_at.is_(None))
    )
    if user_id is None:
        return
    token = new_opaque_token()
    session.add(
        MagicLinkToken(
            user_id=user_id, token_hash=hash_token(token), expires_at=utcnow() + MAGIC_LINK_TTL
        )
    )
    outbox.enqueue_email(
        session, **magic_link_email(settings=settings, email=email, token=token, language=language)
    )
    await session.flush()


async def consume_magic_link(
    session: AsyncSession, *, settings: Settings, token: str
) -> IssuedTokens:
    now = utcnow()
    claimed = await session.execute(
        update(MagicLinkToken)
        .where(
            MagicLinkToken.token_hash == hash_token(token),
            MagicLinkToken.used_at.is_(None),
            MagicLinkToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(MagicLinkToken.user_id)
    )
    user_id = claimed.scalar_one_or_none()
    if user_id is None or await get_active_user(session, user_id) is None:
        raise MagicLinkGone("This link has expired or was already used; ask for a new one.")
    await session.execute(update(User).where(User.id == user_id).values(last_login_at=now))
    return await issue_tokens(session, settings=settings, user_id=user_id)
