"""Saved probe texts ("canned follow-ups") of an organization, for animators to insert."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.accounts.deps import CurrentPrincipal
from causerie.audit import service as audit
from causerie.conversations.schemas import Text
from causerie.core.clock import utcnow
from causerie.core.errors import Forbidden, InvalidToken, NotAuthenticated, NotFound, responses
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.pagination import InvalidCursor, PageParams, PageParamsDep, keyset_page
from causerie.core.principal import Principal
from causerie.core.text import clean_single_line
from causerie.models import ProbeTemplate, Role
from causerie.organizations import service as organizations_service

Title = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(clean_single_line)]


class TemplateWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    text: Text


class TemplateRead(BaseModel):
    id: uuid.UUID
    title: str
    text: str
    created_at: datetime
    updated_at: datetime


class TemplatePage(BaseModel):
    items: list[TemplateRead]
    next_cursor: str | None


async def _role(session: AsyncSession, principal: Principal, organization_id: uuid.UUID) -> Role:
    await organizations_service.get_organization(
        session, principal=principal, organization_id=organization_id
    )
    role = await organizations_service.staff_role(session, principal, organization_id)
    if role is None:
        raise NotFound("No such organization.")
    return role


async def _template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ProbeTemplate:
    template = await session.scalar(
        select(ProbeTemplate).where(
            ProbeTemplate.id == template_id, ProbeTemplate.deleted_at.is_(None)
        )
    )
    if template is None:
        raise NotFound("No such saved probe.")
    try:
        role = await _role(session, principal, template.organization_id)
    except NotFound:
        raise NotFound("No such saved probe.") from None
    organizations_service.require_role(role, *organizations_service.EDITORS)
    return template


def _read(template: ProbeTemplate) -> TemplateRead:
    return TemplateRead.model_validate(template, from_attributes=True)


async def list_templates(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, params: PageParams
) -> TemplatePage:
    await _role(session, principal, organization_id)
    rows, next_cursor = await keyset_page(
        session,
        select(ProbeTemplate).where(
            ProbeTemplate.organization_id == organization_id, ProbeTemplate.deleted_at.is_(None)
        ),
        created_at=ProbeTemplate.created_at,
        row_id=ProbeTemplate.id,
        params=params,
    )
    return TemplatePage(items=[_read(row[0]) for row in rows], next_cursor=next_cursor)


async def create_template(
    session: AsyncSession, *, principal: Principal, organization_id: uuid.UUID, data: TemplateWrite
) -> TemplateRead:
    role = await _role(session, principal, organization_id)
    organizations_service.require_role(role, *organizations_service.EDITORS)
    template = ProbeTemplate(organization_id=organization_id, title=data.title, text=data.text)
    session.add(template)
    await session.flush()
    audit.record(
        session,
        principal=principal,
        organization_id=organization_id,
        action="probe_template.create",
        target_type="probe_template",
        target_id=template.id,
        data={"title": data.title},
    )
    return _read(template)


async def update_template(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, data: TemplateWrite
) -> TemplateRead:
    template = await _template(session, principal, template_id)
    template.title, template.text, template.updated_at = data.title, data.text, utcnow()
    await session.flush()
    return _read(template)


async def delete_template(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID
) -> None:
    template = await _template(session, principal, template_id)
    template.deleted_at = utcnow()
    await session.flush()


# --- HTTP ------------------------------------------------------------------------------------

router = APIRouter(
    tags=["conversations"],
    route_class=UnitOfWorkRoute,
    responses=responses(NotAuthenticated, InvalidToken),
)


@router.get(
    "/organizations/{organization_id}/probe-templates",
    responses=responses(NotFound, InvalidCursor),
)
async def list_probe_templates(
    organization_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageParamsDep,
) -> TemplatePage:
    """The organization's saved follow-up questions (staff)."""
    return await list_templates(
        session, principal=principal, organization_id=organization_id, params=page
    )


@router.post(
    "/organizations/{organization_id}/probe-templates",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotFound, Forbidden),
)
async def create_probe_template(
    organization_id: uuid.UUID,
    body: TemplateWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> TemplateRead:
    """Save a follow-up question for reuse (owners, animators)."""
    return await create_template(
        session, principal=principal, organization_id=organization_id, data=body
    )


@router.put("/probe-templates/{template_id}", responses=responses(NotFound, Forbidden))
async def update_probe_template(
    template_id: uuid.UUID, body: TemplateWrite, principal: CurrentPrincipal, session: SessionDep
) -> TemplateRead:
    return await update_template(session, principal=principal, template_id=template_id, data=body)


@router.delete(
    "/probe-templates/{template_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotFound, Forbidden),
)
async def delete_probe_template(
    template_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    await delete_template(session, principal=principal, template_id=template_id)
