"""Sign-in, refresh, sign-out and "who am I"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Request, Response, status

from causerie.accounts import service as accounts_service
from causerie.accounts.deps import CurrentPrincipal, LoginLimitersDep
from causerie.accounts.schemas import (
    LoginRequest,
    MagicLinkConsume,
    MagicLinkRequest,
    MagicLinkSent,
    MeRead,
    TokenRead,
)
from causerie.core.errors import InvalidToken, NotAuthenticated, RateLimited, responses
from causerie.core.http import SessionDep, SettingsDep, UnitOfWorkRoute, get_database
from causerie.core.settings import Settings

REFRESH_COOKIE = "causerie_refresh"
REFRESH_COOKIE_PATH = "/api/v1/auth"

router = APIRouter(tags=["auth"], route_class=UnitOfWorkRoute)
RefreshCookie = Annotated[str | None, Cookie(alias=REFRESH_COOKIE, include_in_schema=False)]


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
        database=get_database(request),
        settings=settings,
        limiters=limiters,
        email=body.email,
        password=body.password,
        client_ip=request.client.host if request.client else "unknown",
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
    """End the session: its refresh tokens are revoked and the cookie cleared."""
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
    has an account."""
    await accounts_service.request_magic_link(
        session,
        settings=settings,
        limiters=limiters,
        email=body.email,
        language=body.language,
        client_ip=request.client.host if request.client else "unknown",
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
