"""A participant's home: My spaces, each with what awaits me there."""

from __future__ import annotations

from fastapi import APIRouter

from causerie.accounts.deps import CurrentPrincipal
from causerie.core.errors import InvalidToken, NotAuthenticated, responses
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParamsDep
from causerie.home import service as home_service
from causerie.home.schemas import MySpaceCardPage

router = APIRouter(route_class=UnitOfWorkRoute, responses=responses(NotAuthenticated, InvalidToken))


@router.get("/me/spaces", tags=["me"], responses=responses(InvalidCursor))
async def list_my_spaces(
    principal: CurrentPrincipal, session: SessionDep, page: PageParamsDep
) -> MySpaceCardPage:
    """The spaces I take part in, each with what awaits me: prompts to answer now, the
    brand's questions to me, new replies under my answers. A suspended participation is
    listed with its status."""
    return await home_service.list_my_spaces(session, principal=principal, params=page)
