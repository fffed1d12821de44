"""Sign-in, refresh, sign-out, "who am I", password and address changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Request, Response, status

from causerie.accounts import credentials
from causerie.accounts import service as accounts_service
from causerie.accounts.deps import (
    AccessClaimsDep,
    CurrentPrincipal,
    LoginLimitersDep,
    PrincipalReadApart,
)
from causerie.accounts.schemas import (
    EmailChangeConfirm,
    EmailChangeRequest,
    LoginRequest,
    MagicLinkConsume,
    MagicLinkRequest,
    MagicLinkSent,
    MeRead,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    TokenRead,
)
from causerie.core.errors import InvalidToken, NotAuthenticated, NotFound, RateLimited, responses
from causerie.core.http import SessionDep, SettingsDep, UnitOfWorkRoute, get_database
from causerie.core.settings import Settings

REFRESH_COOKIE = "causerie_refresh"
REFRESH_COOKIE_PATH = "/api/v1/auth"

router = APIRouter(tags=["auth"], route_class=UnitOfWorkRoute)
RefreshCookie = Annotated[str | None, Cookie(alias=REFRESH_COOKIE, include_in_schema=False)]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def set_session_cookie(
    response: Response, settings: Settings, tokens: accounts_service.IssuedTokens
) -> TokenRead:
    response.set_cookie(
        REFRESH_COOKIE,
        tokens.refresh_token,
        max_age=tokens.refresh_expires_at_seconds,
        path=REFRESH_COOKIE_PATH,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return TokenRead(access_token=tokens.access_token, expires_in=tokens.expires_in)


@router.post(
    "/auth/login",
    responses=responses(accounts_service.InvalidCredentials, RateLimited),
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    limiters: LoginLimitersDep,
) -> TokenRead:
    """Sign in with e-mail and password; sets the refresh cookie."""
    tokens = await accounts_service.login(
        session,
        database=await get_database(request),
        settings=settings,
        limiters=limiters,
        email=body.email,
        password=body.password,
        client_ip=_client_ip(request),
    )
    return set_session_cookie(response, settings, tokens)


@router.post("/auth/refresh", responses=responses(InvalidToken))
async def refresh(
    response: Response, session: SessionDep, settings: SettingsDep, token: RefreshCookie = None
) -> TokenRead:
    """Trade the refresh cookie for a new access token; the cookie is rotated."""
    tokens = await accounts_service.refresh(session, settings=settings, token=token)
    return set_session_cookie(response, settings, tokens)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    response: Response, session: SessionDep, settings: SettingsDep, token: RefreshCookie = None
) -> None:
    """End the session: its access and refresh tokens stop working and the cookie is
    cleared."""
    await accounts_service.logout(session, token=token)
    response.delete_cookie(
        REFRESH_COOKIE,
        path=REFRESH_COOKIE_PATH,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
    )


@router.post(
    "/auth/magic-link",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(RateLimited),
)
async def request_magic_link(
    body: MagicLinkRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiters: LoginLimitersDep,
) -> MagicLinkSent:
    """E-mail a one-time sign-in link (15 minutes). Same answer whether or not the address
    has an account. ``next``, a path on this site, is where the link leads once signed in."""
    await accounts_service.request_magic_link(
        session,
        settings=settings,
        limiters=limiters,
        email=body.email,
        language=body.language,
        client_ip=_client_ip(request),
        next_path=body.next,
    )
    return MagicLinkSent(detail="If this address has an account, a sign-in link is on its way.")


@router.post("/auth/magic-link/consume", responses=responses(accounts_service.MagicLinkGone))
async def consume_magic_link(
    body: MagicLinkConsume, response: Response, session: SessionDep, settings: SettingsDep
) -> TokenRead:
    """Trade a sign-in link's token for a session (single use)."""
    tokens = await accounts_service.consume_magic_link(session, settings=settings, token=body.token)
    return set_session_cookie(response, settings, tokens)


@router.get("/me", tags=["me"], responses=responses(NotAuthenticated, InvalidToken))
async def read_me(principal: CurrentPrincipal, session: SessionDep) -> MeRead:
    """The signed-in person and their organization memberships."""
    return await accounts_service.get_me(session, principal=principal)


@router.post(
    "/me/password",
    tags=["me"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(
        NotAuthenticated,
        InvalidToken,
        NotFound,
        credentials.WrongPassword,
        credentials.CurrentPasswordRequired,
        credentials.PasswordChangedMeanwhile,
        RateLimited,
    ),
)
async def change_password(
    body: PasswordChange,
    request: Request,
    principal: PrincipalReadApart,
    claims: AccessClaimsDep,
    session: SessionDep,
    limiters: LoginLimitersDep,
) -> None:
    """Change my password, or set a first one (accounts that only used sign-in links).

    The current password is required when the account has one. Every other session of
    the account ends at once; this one stays signed in with its current tokens.
    """
    await credentials.change_password(
        session,
        database=await get_database(request),
        limiters=limiters,
        principal=principal,
        session_id=claims.session_id,
        current_password=body.current_password,
        new_password=body.new_password,
    )


@router.post(
    "/auth/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(RateLimited),
)
async def request_password_reset(
    body: PasswordResetRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiters: LoginLimitersDep,
) -> MagicLinkSent:
    """E-mail a one-time link to choose a new password (1 hour). Same answer whether or not
    the address has an account."""
    await credentials.request_password_reset(
        session,
        settings=settings,
        limiters=limiters,
        email=body.email,
        language=body.language,
        client_ip=_client_ip(request),
    )
    return MagicLinkSent(detail="If this address has an account, a link is on its way.")


@router.post(
    "/auth/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(credentials.AccountLinkGone),
)
async def confirm_password_reset(
    body: PasswordResetConfirm, request: Request, session: SessionDep
) -> None:
    """Set a new password with a reset link's token (single use). Every session of the
    account ends; this signs no one in: sign in with the new password next."""
    await credentials.confirm_password_reset(
        session,
        database=await get_database(request),
        token=body.token,
        new_password=body.new_password,
    )


@router.post(
    "/me/email",
    tags=["me"],
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(
        NotAuthenticated,
        InvalidToken,
        NotFound,
        credentials.WrongPassword,
        credentials.CurrentPasswordRequired,
        credentials.EmailTaken,
        RateLimited,
    ),
)
async def request_email_change(
    body: EmailChangeRequest,
    request: Request,
    principal: PrincipalReadApart,
    session: SessionDep,
    settings: SettingsDep,
    limiters: LoginLimitersDep,
) -> MagicLinkSent:
    """Move my account to another address: a confirmation link (1 hour) goes to the new
    address; nothing changes until it is followed. The password is required when the
    account has one."""
    await credentials.request_email_change(
        session,
        database=await get_database(request),
        settings=settings,
        limiters=limiters,
        principal=principal,
        new_email=body.new_email,
        password=body.password,
        language=body.language,
    )
    return MagicLinkSent(detail="A confirmation link is on its way to the new address.")


@router.post(
    "/auth/email-change/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(credentials.AccountLinkGone, credentials.EmailTaken),
)
async def confirm_email_change(
    body: EmailChangeConfirm, session: SessionDep, settings: SettingsDep
) -> None:
    """Confirm a new address with the link's token (single use). Every session of the
    account ends and the old address is told; sign in with the new address next."""
    await credentials.confirm_email_change(
        session, settings=settings, token=body.token, language=body.language
    )
