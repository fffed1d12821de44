"""Passwords and addresses: change, reset by e-mail, move to another address.

A link sent by e-mail here never signs anyone in: resetting a password or confirming a new
address ends every session, and the person then signs in as usual.
Slow work (password hashing) runs before the request's write transaction begins.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.accounts import sessions
from causerie.accounts.emails import email_change_email, email_changed_notice, password_reset_email
from causerie.accounts.service import LoginLimiters
from causerie.core.clock import utcnow
from causerie.core.database import Database
from causerie.core.errors import AppError, Conflict, NotFound, RateLimited
from causerie.core.passwords import hash_password, verify_password
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.core.text import normalize_email
from causerie.core.tokens import hash_token, new_opaque_token
from causerie.models import AccountToken, AccountTokenPurpose, User
from causerie.outbox import service as outbox

ACCOUNT_LINK_TTL = timedelta(hours=1)


class WrongPassword(AppError):
    status = 422
    code = "auth.wrong_password"
    title = "The current password is wrong"


class CurrentPasswordRequired(AppError):
    status = 422
    code = "auth.current_password_required"
    title = "Give your current password"


class PasswordChangedMeanwhile(Conflict):
    code = "auth.password_changed_meanwhile"
    title = "The password changed meanwhile"


class AccountLinkGone(AppError):
    status = 410
    code = "auth.link_expired"
    title = "This link has expired or was already used"


class EmailTaken(Conflict):
    code = "auth.email_taken"
    title = "This address belongs to another account"


async def _credentials(database: Database, user_id: uuid.UUID) -> tuple[str, str | None]:
    """E-mail and password hash, read in a short read-only transaction."""
    async with database.reader() as reader:
        row = (
            await reader.execute(
                select(User.email, User.password_hash).where(
                    User.id == user_id, User.deleted_at.is_(None)
                )
            )
        ).one_or_none()
    if row is None:
        raise NotFound
    email, password_hash = row
    return email, password_hash


async def _check_password(
    limiters: LoginLimiters, *, email: str, password_hash: str | None, password: str | None
) -> None:
    """Like sign-in: the per-account limit answers before hashing, failures count."""
    if password_hash is None:
        return
    wait = await limiters.per_account.wait_for(email)
    if wait:
        raise RateLimited(wait)
    if not password:
        raise CurrentPasswordRequired("Give your current password to change it.")
    if not await verify_password(password_hash, password):
        await limiters.per_account.record(email)
        raise WrongPassword("The current password is wrong.")


def _user_id(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise NotFound("API keys have no personal account.")
    return principal.user_id


async def change_password(
    session: AsyncSession,
    *,
    database: Database,
    limiters: LoginLimiters,
    principal: Principal,
    session_id: uuid.UUID,
    current_password: str | None,
    new_password: str,
) -> None:
    """Set a new password (or a first one) and end every other session of the person.

    The calling session stays signed in.
    """
    user_id = _user_id(principal)
    email, old_hash = await _credentials(database, user_id)
    await _check_password(limiters, email=email, password_hash=old_hash, password=current_password)
    new_hash = await hash_password(new_password)
    unchanged = User.password_hash.is_(None) if old_hash is None else User.password_hash == old_hash
    changed = await session.execute(
        update(User)
        .where(User.id == user_id, User.deleted_at.is_(None), unchanged)
        .values(password_hash=new_hash, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise PasswordChangedMeanwhile("The password was changed meanwhile; try again.")
    await sessions.revoke_user_sessions(session, user_id, keep=session_id)


async def _new_link(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    purpose: AccountTokenPurpose,
    new_email: str | None = None,
) -> str:
    token = new_opaque_token()
    session.add(
        AccountToken(
            user_id=user_id,
            purpose=purpose,
            token_hash=hash_token(token),
            new_email=new_email,
            expires_at=utcnow() + ACCOUNT_LINK_TTL,
        )
    )
    await session.flush()
    return token


async def request_password_reset(
    session: AsyncSession,
    *,
    settings: Settings,
    limiters: LoginLimiters,
    email: str,
    language: str,
    client_ip: str,
) -> None:
    """E-mail a reset link if the address has an account; the caller answers the same
    either way."""
    email = normalize_email(email)
    wait = max(
        await limiters.reset_per_ip.hit(client_ip), await limiters.reset_per_address.hit(email)
    )
    if wait:
        raise RateLimited(wait)
    user_id = await session.scalar(
        select(User.id).where(User.email == email, User.deleted_at.is_(None))
    )
    if user_id is None:
        return
    token = await _new_link(session, user_id=user_id, purpose=AccountTokenPurpose.password_reset)
    outbox.enqueue_email(
        session,
        **password_reset_email(settings=settings, email=email, token=token, language=language),
    )
    await session.flush()


def _usable(token: str, purpose: AccountTokenPurpose, now: datetime) -> list[ColumnElement[bool]]:
    return [
        AccountToken.token_hash == hash_token(token),
        AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None),
        AccountToken.expires_at > now,
    ]


async def _ensure_usable(database: Database, token: str, purpose: AccountTokenPurpose) -> None:
    """Cheap check before any hashing, so invalid links cost no CPU."""
    async with database.reader() as reader:
        usable = await reader.scalar(select(exists().where(*_usable(token, purpose, utcnow()))))
    if not usable:
        raise AccountLinkGone("This link has expired or was already used; ask for a new one.")


async def _claim(
    session: AsyncSession, token: str, purpose: AccountTokenPurpose
) -> tuple[uuid.UUID, str | None]:
    """Mark the link used (once, atomically): its user and, for an e-mail change, the address."""
    now = utcnow()
    claimed = (
        await session.execute(
            update(AccountToken)
            .where(*_usable(token, purpose, now))
            .values(used_at=now, updated_at=now)
            .returning(AccountToken.user_id, AccountToken.new_email)
        )
    ).one_or_none()
    if claimed is None:
        raise AccountLinkGone("This link has expired or was already used; ask for a new one.")
    user_id, new_email = claimed
    if not await session.scalar(
        select(exists().where(User.id == user_id, User.deleted_at.is_(None)))
    ):
        raise AccountLinkGone("This link has expired or was already used; ask for a new one.")
    # The other open links of the same kind die with this one.
    await session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return user_id, new_email


async def confirm_password_reset(
    session: AsyncSession, *, database: Database, token: str, new_password: str
) -> None:
    """Set the password and end every session of the account. Signs no one in."""
    await _ensure_usable(database, token, AccountTokenPurpose.password_reset)
    new_hash = await hash_password(new_password)
    user_id, _ = await _claim(session, token, AccountTokenPurpose.password_reset)
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(password_hash=new_hash, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    await sessions.revoke_user_sessions(session, user_id)


async def _email_taken(session: AsyncSession, email: str) -> bool:
    # Deleted accounts keep their address (the column is unique), so they count too.
    return bool(await session.scalar(select(exists().where(User.email == email))))


async def request_email_change(
    session: AsyncSession,
    *,
    database: Database,
    settings: Settings,
    limiters: LoginLimiters,
    principal: Principal,
    new_email: str,
    password: str | None,
    language: str,
) -> None:
    """Send a confirmation link to the new address; nothing changes until it is followed."""
    user_id = _user_id(principal)
    new_email = normalize_email(new_email)
    email, password_hash = await _credentials(database, user_id)
    await _check_password(limiters, email=email, password_hash=password_hash, password=password)
    wait = await limiters.reset_per_address.hit(new_email)
    if wait:
        raise RateLimited(wait)
    if new_email == email or await _email_taken(session, new_email):
        raise EmailTaken("This address already belongs to an account.")
    token = await _new_link(
        session, user_id=user_id, purpose=AccountTokenPurpose.email_change, new_email=new_email
    )
    outbox.enqueue_email(
        session,
        **email_change_email(
            settings=settings, new_email=new_email, token=token, language=language
        ),
    )
    await session.flush()


async def confirm_email_change(
    session: AsyncSession, *, settings: Settings, token: str, language: str
) -> None:
    """Move the account to the confirmed address (if still free), end every session and
    tell the old address. Signs no one in."""
    user_id, new_email = await _claim(session, token, AccountTokenPurpose.email_change)
    assert new_email is not None
    old_email = await session.scalar(select(User.email).where(User.id == user_id))
    assert old_email is not None
    if await _email_taken(session, new_email):
        raise EmailTaken("This address now belongs to another account.")
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(email=new_email, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    await sessions.revoke_user_sessions(session, user_id)
    outbox.enqueue_email(
        session,
        **email_changed_notice(
            settings=settings, old_email=old_email, new_email=new_email, language=language
        ),
    )
    await session.flush()
