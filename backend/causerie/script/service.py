"""Prompts: the animator's script. Every save validates the whole script's rules first.

A prompt's write and read shapes are in ``prompts``; the script as a document (export,
import, copy) is in ``transfer``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core import events
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, InvalidInput, NotFound
from causerie.core.event_catalogue import PromptReleased
from causerie.core.principal import Principal
from causerie.core.storage import Storage, store_image
from causerie.models import Prompt, PromptStatus, Space
from causerie.models.script import CloseKind, ReleaseKind
from causerie.script import forms
from causerie.script import rules as script_rules
from causerie.script.schemas import PromptList, PromptRead, PromptWrite
from causerie.spaces import service as spaces_service

MAX_PROMPTS = 200


class PromptReferenced(Conflict):
    code = "prompt.referenced"
    title = "Other prompts depend on this one"


class TooManyPrompts(Conflict):
    code = "script.too_long"
    title = "A script holds at most 200 prompts"


class NotManual(Conflict):
    code = "prompt.not_manual"
    title = "Only a manually released (or closed) prompt can be released (or closed) by hand"


class InvalidOrder(InvalidInput):
    code = "script.invalid_order"
    title = "The order must list every prompt of the space once"


async def list_prompts(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID
) -> PromptList:
    space, _role = await spaces_service.get_space_for_staff(session, principal, space_id)
    return PromptList(
        items=await forms.reads(session, space, await script_rules.load_prompts(session, space.id))
    )


async def _editable_prompt(
    session: AsyncSession, principal: Principal, prompt_id: uuid.UUID
) -> tuple[Prompt, Space]:
    prompt = await session.scalar(
        select(Prompt).where(Prompt.id == prompt_id, Prompt.deleted_at.is_(None))
    )
    if prompt is None:
        raise NotFound("No such prompt.")
    try:
        space = await spaces_service.get_editable_space(session, principal, prompt.space_id)
    except NotFound:
        raise NotFound("No such prompt.") from None
    return prompt, space


async def get_prompt(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> PromptRead:
    prompt = await session.scalar(
        select(Prompt).where(Prompt.id == prompt_id, Prompt.deleted_at.is_(None))
    )
    if prompt is None:
        raise NotFound("No such prompt.")
    try:
        space, _role = await spaces_service.get_space_for_staff(session, principal, prompt.space_id)
    except NotFound:
        raise NotFound("No such prompt.") from None
    (read,) = await forms.reads(session, space, [prompt])
    return read


async def _validate(session: AsyncSession, space: Space, changed: Prompt) -> None:
    prompts = await script_rules.load_prompts(session, space.id)
    drafts = {p.id: script_rules.draft_of(p) for p in prompts}
    drafts[changed.id] = script_rules.draft_of(changed)
    script_rules.validate_script(list(drafts.values()))


async def create_prompt(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, data: PromptWrite
) -> PromptRead:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    existing = await script_rules.load_prompts(session, space.id)
    if len(existing) >= MAX_PROMPTS:
        raise TooManyPrompts(f"This space already has {MAX_PROMPTS} prompts.")
    taken = {p.key for p in existing}
    key = data.key or forms.unique_key(forms.slug(data.title), taken)
    if key in taken:
        raise Conflict(f"Another prompt of this space is already named {key!r}.")
    prompt = Prompt(
        organization_id=space.organization_id,
        space_id=space.id,
        key=key,
        position=max((p.position for p in existing), default=-1) + 1,
    )
    forms.apply_write(prompt, data, space, forms.config_of(data))
    await _validate(session, space, prompt)
    session.add(prompt)
    await session.flush()
    await forms.set_segments(session, prompt, data.segment_ids)
    _audit(session, principal, space, prompt, "prompt.create")
    (read,) = await forms.reads(session, space, [prompt])
    return read


def _audit(
    session: AsyncSession, principal: Principal, space: Space, prompt: Prompt, action: str
) -> None:
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action=action,
        target_type="prompt",
        target_id=prompt.id,
        data={"key": prompt.key},
    )


async def update_prompt(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID, data: PromptWrite
) -> PromptRead:
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    config = forms.config_of(data)
    await forms.guard_answered(session, prompt, data, config)
    if data.key is not None and data.key != prompt.key:
        taken = {p.key for p in await script_rules.load_prompts(session, space.id)}
        if data.key in taken:
            raise Conflict(f"Another prompt of this space is already named {data.key!r}.")
        prompt.key = data.key
    forms.apply_write(prompt, data, space, config)
    await _validate(session, space, prompt)
    await forms.set_segments(session, prompt, data.segment_ids)
    prompt.updated_at = utcnow()
    _audit(session, principal, space, prompt, "prompt.update")
    await session.flush()
    (read,) = await forms.reads(session, space, [prompt])
    return read


async def delete_prompt(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> None:
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    dependents = [
        p.key
        for p in await script_rules.load_prompts(session, space.id)
        if p.release_prompt_id == prompt.id and p.id != prompt.id
    ]
    if dependents:
        raise PromptReferenced(
            f"Prompts {', '.join(repr(k) for k in dependents)} follow {prompt.key!r}; "
            "change their rules first."
        )
    prompt.deleted_at = utcnow()
    _audit(session, principal, space, prompt, "prompt.delete")
    await session.flush()


async def duplicate_prompt(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> PromptRead:
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    existing = await script_rules.load_prompts(session, space.id)
    if len(existing) >= MAX_PROMPTS:
        raise TooManyPrompts(f"This space already has {MAX_PROMPTS} prompts.")
    copy = Prompt(
        organization_id=prompt.organization_id,
        space_id=prompt.space_id,
        key=forms.unique_key(f"{prompt.key[:33]}-copy", {p.key for p in existing}),
        position=max(p.position for p in existing) + 1,
        kind=prompt.kind,
        title=prompt.title,
        body=prompt.body,
        body_html=prompt.body_html,
        required=prompt.required,
        status=PromptStatus.draft,
        visibility=prompt.visibility,
        config=dict(prompt.config or {}),
        release_kind=prompt.release_kind,
        release_at=prompt.release_at,
        release_delay_minutes=prompt.release_delay_minutes,
        release_prompt_id=prompt.release_prompt_id,
        release_option_keys=list(prompt.release_option_keys or ()),
        close_kind=prompt.close_kind,
        close_at=prompt.close_at,
        close_after_minutes=prompt.close_after_minutes,
    )
    session.add(copy)
    await session.flush()
    segments = await script_rules.segments_by_prompt(session, [prompt.id])
    await forms.set_segments(session, copy, segments.get(prompt.id, []))
    _audit(session, principal, space, copy, "prompt.duplicate")
    (read,) = await forms.reads(session, space, [copy])
    return read


async def reorder(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, prompt_ids: list[uuid.UUID]
) -> PromptList:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    prompts = await script_rules.load_prompts(session, space.id)
    if sorted(prompt_ids) != sorted(p.id for p in prompts):
        raise InvalidOrder("List every prompt of the space exactly once.")
    by_id = {p.id: p for p in prompts}
    for position, prompt_id in enumerate(prompt_ids):
        by_id[prompt_id].position = position
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="script.reorder",
        target_type="space",
        target_id=space.id,
        data={"order": [by_id[i].key for i in prompt_ids]},
    )
    await session.flush()
    return PromptList(
        items=await forms.reads(session, space, sorted(prompts, key=lambda p: p.position))
    )


async def release_now(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> PromptRead:
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    if prompt.release_kind is not ReleaseKind.manual:
        raise NotManual("This prompt opens by its rule, not by hand.")
    if prompt.released_at is None:
        prompt.released_at = utcnow()
        _audit(session, principal, space, prompt, "prompt.release")
        await events.record(
            session,
            PromptReleased(
                organization_id=space.organization_id, space_id=space.id, prompt_id=prompt.id
            ),
        )
    await session.flush()
    (read,) = await forms.reads(session, space, [prompt])
    return read


async def close_now(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> PromptRead:
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    if prompt.close_kind is not CloseKind.manual:
        raise NotManual("This prompt closes by its rule, not by hand.")
    if prompt.closed_at is None:
        prompt.closed_at = utcnow()
        _audit(session, principal, space, prompt, "prompt.close")
    await session.flush()
    (read,) = await forms.reads(session, space, [prompt])
    return read


PROMPT_IMAGE_MAX_BYTES = 4 * 1024 * 1024
PROMPT_IMAGE_MAX_SIDE = 1600


async def set_image(
    session: AsyncSession,
    *,
    principal: Principal,
    prompt_id: uuid.UUID,
    storage: Storage,
    data: bytes | None,
) -> PromptRead:
    """Set (or, with no data, remove) the prompt's image: re-encoded, metadata dropped."""
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    name = (
        await store_image(
            storage, data, max_bytes=PROMPT_IMAGE_MAX_BYTES, max_side=PROMPT_IMAGE_MAX_SIDE
        )
        if data is not None
        else None
    )
    previous, prompt.image_file = prompt.image_file, name
    prompt.updated_at = utcnow()
    _audit(session, principal, space, prompt, "prompt.image")
    await session.flush()
    if previous:
        await storage.delete(previous)
    (read,) = await forms.reads(session, space, [prompt])
    return read
