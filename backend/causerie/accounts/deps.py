"""Resolve the caller's ``Principal`` from the Authorization header."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from causerie.accounts import service as accounts_service
from causerie.accounts import sessions
from causerie.core.errors import InvalidToken, NotAuthenticated
from causerie.core.http import SessionDep, SettingsDep, get_database
from causerie.core.principal import Principal
from causerie.core.tokens import AccessClaims, read_access_token

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")


async def get_access_claims(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AccessClaims:
    """The verified claims of the bearer token (signature, expiry, audience, ``sid``)."""
    if credentials is None:
        raise NotAuthenticated("Sign in to continue.")
    return read_access_token(settings, credentials.credentials)


AccessClaimsDep = Annotated[AccessClaims, Depends(get_access_claims)]


async def get_principal(session: SessionDep, claims: AccessClaimsDep) -> Principal:
    """The signed-in person: one statement loads them and checks their session is live."""
    principal = await sessions.principal_for(session, claims)
    if principal is None:
        raise InvalidToken
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_optional_principal(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The signed-in person, or None without an Authorization header (public routes that
    also serve signed-in people). A header with a bad or ended token is still a 401."""
    if credentials is None:
        return None
    return await get_principal(session, read_access_token(settings, credentials.credentials))


OptionalPrincipal = Annotated[Principal | None, Depends(get_optional_principal)]


async def get_principal_read_apart(request: Request, claims: AccessClaimsDep) -> Principal:
    """Like ``get_principal`` but in a short read-only transaction of its own, so a route
    can do slow work (password hashing) before its write transaction takes any lock, and
    a long-lived response (the live stream) holds no database connection while it lasts."""
    async with (await get_database(request)).reader() as reader:
        principal = await sessions.principal_for(reader, claims)
    if principal is None:
        raise InvalidToken
    return principal


PrincipalReadApart = Annotated[Principal, Depends(get_principal_read_apart)]


async def get_login_limiters(request: Request) -> accounts_service.LoginLimiters:
    limiters: accounts_service.LoginLimiters = request.app.state.login_limiters
    return limiters


LoginLimitersDep = Annotated[accounts_service.LoginLimiters, Depends(get_login_limiters)]
