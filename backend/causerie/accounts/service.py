"""Sign-in, token rotation and sign-out. Services flush; the request commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.accounts import sessions
from causerie.accounts.emails import magic_link_email
from causerie.accounts.schemas import MembershipRead, MeRead
from causerie.accounts.sessions import IssuedTokens as IssuedTokens
from causerie.accounts.sessions import RefreshTokenReused as RefreshTokenReused
from causerie.accounts.sessions import issue_tokens as issue_tokens
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.errors import AppError, NotFound, RateLimited
from causerie.core.passwords import verify_password
from causerie.core.principal import Principal
from causerie.core.ratelimit import InProcessLimiter, Limiter, RedisLimiter, redis_client
from causerie.core.settings import Settings
from causerie.core.text import normalize_email
from causerie.core.tokens import hash_token, new_opaque_token
from causerie.models import MagicLinkToken, Membership, Organization, User
from causerie.outbox import service as outbox


class InvalidCredentials(AppError):
    status = 401
    code = "auth.invalid_credentials"
    title = "Wrong e-mail or password"


class MagicLinkGone(AppError):
    status = 410
    code = "auth.link_expired"
    title = "This sign-in link has expired or was already used"


@dataclass(frozen=True)
class LoginLimiters:
    """Rate limits of the sign-in paths: in this process, or shared through Redis."""

    per_ip: Limiter
    per_account: Limiter
    magic_per_ip: Limiter
    magic_per_address: Limiter
    reset_per_ip: Limiter
    reset_per_address: Limiter
    redis: Redis | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimiters:
        window = settings.login_window_seconds
        redis = redis_client(settings.redis_url) if settings.redis_url else None

        def make(purpose: str, limit: int) -> Limiter:
            if redis is None:
                return InProcessLimiter(limit=limit, window_seconds=window)
            prefix = f"{settings.redis_key_prefix}:ratelimit"
            return RedisLimiter(
                redis, prefix=prefix, purpose=purpose, limit=limit, window_seconds=window
            )

        return cls(
            per_ip=make("per_ip", settings.login_attempts_per_ip),
            per_account=make("per_account", settings.login_attempts_per_account),
            magic_per_ip=make("magic_per_ip", 20),
            magic_per_address=make("magic_per_address", 3),
            reset_per_ip=make("reset_per_ip", 20),
            reset_per_address=make("reset_per_address", 3),
            redis=redis,
        )

    async def aclose(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()


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
    wait = max(await limiters.per_ip.hit(client_ip), await limiters.per_account.wait_for(email))
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
        await limiters.per_account.record(email)
        raise InvalidCredentials("The e-mail address or the password is wrong.")
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(last_login_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return await issue_tokens(session, settings=settings, user_id=user_id)


async def refresh(session: AsyncSession, *, settings: Settings, token: str | None) -> IssuedTokens:
    return await sessions.refresh(session, settings=settings, token=token)


async def logout(session: AsyncSession, *, token: str | None) -> None:
    await sessions.logout(session, token=token)


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
        has_password=user.password_hash is not None,
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
    next_path: str | None = None,
) -> None:
    """Send a one-time sign-in link if the address has an account; the caller answers the
    same either way, so the endpoint does not reveal who has an account."""
    email = normalize_email(email)
    wait = max(
        await limiters.magic_per_ip.hit(client_ip), await limiters.magic_per_address.hit(email)
    )
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
        session,
        **magic_link_email(
            settings=settings, email=email, token=token, language=language, next_path=next_path
        ),
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
