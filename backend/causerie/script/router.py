"""The script: prompts (staff) and timelines (participants, and staff's preview)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from pydantic import BaseModel

from causerie.accounts.deps import CurrentPrincipal
from causerie.core.errors import (
    Conflict,
    Forbidden,
    InvalidToken,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    responses,
)
from causerie.core.files import StorageDep
from causerie.core.http import SessionDep, UnitOfWorkRoute
from causerie.core.storage import InvalidImage
from causerie.participants.service import ParticipantSuspended
from causerie.script import document, forms, timelines, transfer
from causerie.script import service as script_service
from causerie.script.document import ScriptDocument
from causerie.script.rules import InvalidRule
from causerie.script.schemas import (
    PromptList,
    PromptOrder,
    PromptRead,
    PromptWrite,
    TimelineRead,
)
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service

router = APIRouter(
    tags=["script"],
    route_class=UnitOfWorkRoute,
    responses=responses(NotAuthenticated, InvalidToken),
)
CHANGE = (NotFound, Forbidden, spaces_service.SpaceArchived)


class ScriptCopy(BaseModel):
    from_space_id: uuid.UUID


@router.get("/spaces/{space_id}/prompts", responses=responses(NotFound))
async def list_prompts(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> PromptList:
    """The space's script, in order (staff)."""
    return await script_service.list_prompts(session, principal=principal, space_id=space_id)


@router.post(
    "/spaces/{space_id}/prompts",
    status_code=status.HTTP_201_CREATED,
    responses=responses(*CHANGE, InvalidRule, segments_service.UnknownSegments, Conflict),
)
async def create_prompt(
    space_id: uuid.UUID, body: PromptWrite, principal: CurrentPrincipal, session: SessionDep
) -> PromptRead:
    """Add a prompt at the end of the script; its rules are checked against the whole script."""
    return await script_service.create_prompt(
        session, principal=principal, space_id=space_id, data=body
    )


@router.put(
    "/spaces/{space_id}/prompts/order",
    responses=responses(*CHANGE, script_service.InvalidOrder),
)
async def reorder_prompts(
    space_id: uuid.UUID, body: PromptOrder, principal: CurrentPrincipal, session: SessionDep
) -> PromptList:
    """Set the order of the whole script."""
    return await script_service.reorder(
        session, principal=principal, space_id=space_id, prompt_ids=body.prompt_ids
    )


@router.get(
    "/spaces/{space_id}/script",
    responses={
        # The YAML file is the same document as the JSON one, written in YAML.
        200: {
            "content": {
                "application/yaml": {"schema": {"$ref": "#/components/schemas/ScriptDocument"}}
            }
        },
        **responses(NotFound),
    },
)
async def export_script(
    space_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    format: Literal["json", "yaml"] = "json",
) -> ScriptDocument:
    """The script as a document: JSON, or a YAML file with ``format=yaml``."""
    doc = await transfer.export_script(session, principal=principal, space_id=space_id)
    if format == "yaml":
        return Response(  # type: ignore[return-value]
            document.to_yaml(doc),
            media_type="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="script-{space_id}.yaml"'},
        )
    return doc


@router.put(
    "/spaces/{space_id}/script",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ScriptDocument"}},
                "application/yaml": {"schema": {"type": "string"}},
            },
        }
    },
    responses=responses(
        *CHANGE,
        InvalidRule,
        document.InvalidScript,
        document.DocumentTooLarge,
        document.DocumentTooDeep,
        document.DocumentAliases,
        document.AnsweredPromptRemoved,
        forms.PromptChangeConflict,
    ),
)
async def import_script(
    space_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: SessionDep
) -> ScriptDocument:
    """Replace the script with a document (JSON, or YAML with ``Content-Type:
    application/yaml``), validated in full before anything changes. Documents over 1 MiB,
    nested more than 32 levels or using YAML anchors and aliases are refused unparsed."""
    raw = await request.body()
    doc = document.parse(raw, request.headers.get("content-type", "application/json"))
    return await transfer.import_script(session, principal=principal, space_id=space_id, doc=doc)


@router.post(
    "/spaces/{space_id}/script/copy",
    responses=responses(
        *CHANGE, InvalidRule, document.InvalidScript, document.AnsweredPromptRemoved
    ),
)
async def copy_script(
    space_id: uuid.UUID, body: ScriptCopy, principal: CurrentPrincipal, session: SessionDep
) -> ScriptDocument:
    """Replace this space's script with a copy of another space's."""
    return await transfer.copy_script(
        session, principal=principal, space_id=space_id, from_space_id=body.from_space_id
    )


@router.get("/prompts/{prompt_id}", responses=responses(NotFound))
async def read_prompt(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> PromptRead:
    return await script_service.get_prompt(session, principal=principal, prompt_id=prompt_id)


@router.put(
    "/prompts/{prompt_id}",
    responses=responses(
        *CHANGE, InvalidRule, forms.PromptChangeConflict, segments_service.UnknownSegments
    ),
)
async def update_prompt(
    prompt_id: uuid.UUID, body: PromptWrite, principal: CurrentPrincipal, session: SessionDep
) -> PromptRead:
    """Replace a prompt; changes that would invalidate its answers are refused (409)."""
    return await script_service.update_prompt(
        session, principal=principal, prompt_id=prompt_id, data=body
    )


@router.delete(
    "/prompts/{prompt_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(*CHANGE, script_service.PromptReferenced),
)
async def delete_prompt(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    await script_service.delete_prompt(session, principal=principal, prompt_id=prompt_id)


@router.post(
    "/prompts/{prompt_id}/duplicate",
    status_code=status.HTTP_201_CREATED,
    responses=responses(*CHANGE, script_service.TooManyPrompts),
)
async def duplicate_prompt(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> PromptRead:
    """A draft copy at the end of the script."""
    return await script_service.duplicate_prompt(session, principal=principal, prompt_id=prompt_id)


@router.put(
    "/prompts/{prompt_id}/image", responses=responses(*CHANGE, InvalidImage, PayloadTooLarge)
)
async def upload_prompt_image(
    prompt_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="PNG, JPEG, WebP or GIF, at most 4 MiB")],
    principal: CurrentPrincipal,
    session: SessionDep,
    storage: StorageDep,
) -> PromptRead:
    """Illustrate the prompt; the image is re-encoded to PNG without its metadata."""
    data = await file.read(script_service.PROMPT_IMAGE_MAX_BYTES + 1)
    return await script_service.set_image(
        session, principal=principal, prompt_id=prompt_id, storage=storage, data=data
    )


@router.delete("/prompts/{prompt_id}/image", responses=responses(*CHANGE))
async def remove_prompt_image(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, storage: StorageDep
) -> PromptRead:
    return await script_service.set_image(
        session, principal=principal, prompt_id=prompt_id, storage=storage, data=None
    )


@router.post("/prompts/{prompt_id}/release", responses=responses(*CHANGE, script_service.NotManual))
async def release_prompt(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> PromptRead:
    """Open a manually released prompt now."""
    return await script_service.release_now(session, principal=principal, prompt_id=prompt_id)


@router.post("/prompts/{prompt_id}/close", responses=responses(*CHANGE, script_service.NotManual))
async def close_prompt(
    prompt_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> PromptRead:
    """Close a manually closed prompt now: its answers stay, no new ones."""
    return await script_service.close_now(session, principal=principal, prompt_id=prompt_id)


@router.get(
    "/me/spaces/{space_id}/timeline",
    tags=["me"],
    responses=responses(NotFound, ParticipantSuspended),
)
async def read_my_timeline(
    space_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> TimelineRead:
    """What is open for me now, what comes next and when, and my progress."""
    return await timelines.my_timeline(session, principal=principal, space_id=space_id)


@router.get(
    "/spaces/{space_id}/timeline",
    responses=responses(NotFound, segments_service.UnknownSegments),
)
async def preview_timeline(
    space_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    participant_id: uuid.UUID | None = None,
    segment_id: uuid.UUID | None = None,
    at: Annotated[
        datetime | None, Query(description="Without an offset: in the space's time zone")
    ] = None,
) -> TimelineRead:
    """Preview the script as a participant, or a newcomer of a segment, at any date (staff)."""
    return await timelines.preview_timeline(
        session,
        principal=principal,
        space_id=space_id,
        participant_id=participant_id,
        segment_id=segment_id,
        at=at,
    )
