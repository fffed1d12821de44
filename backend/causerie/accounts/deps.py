"""Resolve the caller's ``Principal`` from the Authorization header."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from causerie.accounts import service as accounts_service
from causerie.core.errors import InvalidToken, NotAuthenticated
from causerie.core.http import SessionDep, SettingsDep
from causerie.core.principal import Principal
from causerie.core.tokens import read_access_token

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")


async def get_principal(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise NotAuthenticated("Sign in to continue.")
    claims = read_access_token(settings, credentials.credentials)
    user = await accounts_service.get_active_user(session, claims.user_id)
    if user is None:
        raise InvalidToken
    return Principal.for_user(user.id, is_platform_admin=user.is_platform_admin)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def get_login_limiters(request: Request) -> accounts_service.LoginLimiters:
    limiters: accounts_service.LoginLimiters = request.app.state.login_limiters
    return limiters


LoginLimitersDep = Annotated[accounts_service.LoginLimiters, Depends(get_login_limiters)]
