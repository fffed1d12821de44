"""Prompts: the animator's script. Every save validates the whole script's rules first."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, InvalidInput, NotFound
from causerie.core.markdown import render_markdown
from causerie.core.principal import Principal
from causerie.core.storage import Storage, store_image
from causerie.models import (
    Prompt,
    PromptKind,
    PromptStatus,
    Response,
    Segment,
    Space,
    prompt_segment,
)
from causerie.script import document
from causerie.script import rules as script_rules
from causerie.script.document import ScriptDocument
from causerie.script.schemas import (
    CloseRead,
    DiaryConfig,
    PollConfig,
    PromptList,
    PromptRead,
    PromptWrite,
    RatingConfig,
    RuleRead,
)
from causerie.script.timeline import CloseKind, ReleaseKind
from causerie.spaces import service as spaces_service

MAX_PROMPTS = 200


class PromptChangeConflict(Conflict):
    code = "prompt.answered"
    title = "This change would invalidate answers"


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


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:32] or "prompt"


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


class DateOutOfRange(InvalidInput):
    code = "script.date_out_of_range"
    title = "Dates must fall between 2000 and 2200"


def to_utc(moment: datetime | None, time_zone: str) -> datetime | None:
    """Aware date-times are converted; naive ones are read in the space's time zone.

    Dates are bounded (2000–2200) so that rule arithmetic never overflows.
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(time_zone))
    try:
        converted = moment.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise DateOutOfRange(f"{moment.isoformat()} is out of range.") from error
    if not EARLIEST <= converted < LATEST:
        raise DateOutOfRange(f"{moment.isoformat()} is not between 2000 and 2200.")
    return converted


def _local(moment: datetime | None, time_zone: str) -> str | None:
    return moment.astimezone(ZoneInfo(time_zone)).isoformat() if moment else None


def _unique(base: str, taken: set[str]) -> str:
    candidate, index = base, 2
    while candidate in taken:
        candidate = f"{base[:36]}-{index}"
        index += 1
    return candidate


def _config(data: PromptWrite) -> dict[str, Any]:
    if data.kind is PromptKind.poll and data.poll is not None:
        taken: set[str] = set()
        options = []
        for option in data.poll.options:
            key = option.key or _unique(slug(option.label), taken)
            if key in taken:
                raise InvalidInput(f"Two poll options share the key {key!r}.")
            taken.add(key)
            options.append({"key": key, "label": option.label})
        return {**data.poll.model_dump(), "options": options}
    if data.kind is PromptKind.rating:
        rating = data.rating or RatingConfig()
        if rating.min >= rating.max:
            raise InvalidInput("The rating scale's minimum must be below its maximum.")
        return rating.model_dump()
    if data.kind is PromptKind.diary:
        return (data.diary or DiaryConfig()).model_dump()
    return {}


def to_read(prompt: Prompt, segment_ids: list[uuid.UUID], responses: int, tz: str) -> PromptRead:
    config = prompt.config or {}
    return PromptRead(
        id=prompt.id,
        space_id=prompt.space_id,
        key=prompt.key,
        position=prompt.position,
        kind=prompt.kind,
        title=prompt.title,
        body=prompt.body,
        body_html=render_markdown(prompt.body),
        image_url=spaces_service.logo_url(prompt.image_file),
        required=prompt.required,
        status=prompt.status,
        visibility=prompt.visibility,
        segment_ids=segment_ids,
        poll=PollConfig.model_validate(config) if prompt.kind is PromptKind.poll else None,
        rating=RatingConfig.model_validate(config) if prompt.kind is PromptKind.rating else None,
        diary=DiaryConfig.model_validate(config) if prompt.kind is PromptKind.diary else None,
        release=RuleRead(
            kind=prompt.release_kind,
            at=prompt.release_at,
            at_local=_local(prompt.release_at, tz),
            delay_minutes=prompt.release_delay_minutes,
            prompt_id=prompt.release_prompt_id,
            option_keys=list(prompt.release_option_keys or ()),
            released_at=prompt.released_at,
        ),
        close=CloseRead(
            kind=prompt.close_kind,
            at=prompt.close_at,
            at_local=_local(prompt.close_at, tz),
            delay_minutes=prompt.close_after_minutes,
            closed_at=prompt.closed_at,
        ),
        response_count=responses,
        created_at=prompt.created_at,
        updated_at=prompt.updated_at,
    )


async def _response_counts(
    session: AsyncSession, prompt_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    if not prompt_ids:
        return {}
    rows = await session.execute(
        select(Response.prompt_id, func.count())
        .where(Response.prompt_id.in_(prompt_ids), Response.deleted_at.is_(None))
        .group_by(Response.prompt_id)
    )
    return {prompt_id: int(count) for prompt_id, count in rows}


async def _reads(session: AsyncSession, space: Space, prompts: list[Prompt]) -> list[PromptRead]:
    ids = [p.id for p in prompts]
    segments = await script_rules.segments_by_prompt(session, ids)
    counts = await _response_counts(session, ids)
    return [
        to_read(p, segments.get(p.id, []), counts.get(p.id, 0), space.time_zone) for p in prompts
    ]


async def list_prompts(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID
) -> PromptList:
    space, _role = await spaces_service.get_space_for_staff(session, principal, space_id)
    return PromptList(
        items=await _reads(session, space, await script_rules.load_prompts(session, space.id))
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
    (read,) = await _reads(session, space, [prompt])
    return read


def _apply(prompt: Prompt, data: PromptWrite, space: Space, config: dict[str, Any]) -> None:
    prompt.kind = data.kind
    prompt.title = data.title
    prompt.body = data.body
    prompt.required = data.required
    prompt.status = data.status
    prompt.visibility = data.visibility
    prompt.config = config
    release, close = data.release, data.close
    prompt.release_kind = release.kind
    prompt.release_at = (
        to_utc(release.at, space.time_zone) if release.kind is ReleaseKind.at else None
    )
    prompt.release_delay_minutes = (
        release.delay_minutes if release.kind is ReleaseKind.after_join else 0
    )
    follows = release.kind in (ReleaseKind.after_prompt, ReleaseKind.when_answer)
    prompt.release_prompt_id = release.prompt_id if follows else None
    prompt.release_option_keys = (
        list(dict.fromkeys(release.option_keys)) if release.kind is ReleaseKind.when_answer else []
    )
    if release.kind is not ReleaseKind.manual:
        prompt.released_at = None
    prompt.close_kind = close.kind
    prompt.close_at = to_utc(close.at, space.time_zone) if close.kind is CloseKind.at else None
    prompt.close_after_minutes = close.delay_minutes if close.kind is CloseKind.after_open else 0
    if close.kind is not CloseKind.manual:
        prompt.closed_at = None


async def _validate(session: AsyncSession, space: Space, changed: Prompt) -> None:
    prompts = await script_rules.load_prompts(session, space.id)
    drafts = {p.id: script_rules.draft_of(p) for p in prompts}
    drafts[changed.id] = script_rules.draft_of(changed)
    script_rules.validate_script(list(drafts.values()))


async def _set_segments(
    session: AsyncSession, prompt: Prompt, segment_ids: list[uuid.UUID]
) -> None:
    live = await spaces_service.live_segment_ids(session, prompt.space_id, segment_ids)
    await session.execute(delete(prompt_segment).where(prompt_segment.c.prompt_id == prompt.id))
    if live:
        await session.execute(
            insert(prompt_segment), [{"prompt_id": prompt.id, "segment_id": s} for s in live]
        )


async def create_prompt(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, data: PromptWrite
) -> PromptRead:
    space = await spaces_service.get_editable_space(session, principal, space_id)
    existing = await script_rules.load_prompts(session, space.id)
    if len(existing) >= MAX_PROMPTS:
        raise TooManyPrompts(f"This space already has {MAX_PROMPTS} prompts.")
    taken = {p.key for p in existing}
    key = data.key or _unique(slug(data.title), taken)
    if key in taken:
        raise Conflict(f"Another prompt of this space is already named {key!r}.")
    prompt = Prompt(
        organization_id=space.organization_id,
        space_id=space.id,
        key=key,
        position=max((p.position for p in existing), default=-1) + 1,
    )
    _apply(prompt, data, space, _config(data))
    await _validate(session, space, prompt)
    session.add(prompt)
    await session.flush()
    await _set_segments(session, prompt, data.segment_ids)
    _audit(session, principal, space, prompt, "prompt.create")
    (read,) = await _reads(session, space, [prompt])
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


async def _guard_answered(
    session: AsyncSession, prompt: Prompt, data: PromptWrite, config: dict[str, Any]
) -> None:
    answered = await session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.prompt_id == prompt.id, Response.deleted_at.is_(None))
    )
    if not answered:
        return
    if data.kind is not prompt.kind:
        raise PromptChangeConflict("This prompt has answers: its kind can no longer change.")
    if prompt.kind is PromptKind.poll:
        kept = {option["key"] for option in config.get("options", [])}
        chosen: set[str] = set()
        for (choices,) in await session.execute(
            select(Response.choices).where(
                Response.prompt_id == prompt.id, Response.deleted_at.is_(None)
            )
        ):
            chosen.update(choices or ())
        removed = sorted(chosen - kept)
        if removed:
            names = ", ".join(repr(key) for key in removed)
            raise PromptChangeConflict(f"Options {names} were chosen; they cannot be removed.")


async def update_prompt(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID, data: PromptWrite
) -> PromptRead:
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    config = _config(data)
    await _guard_answered(session, prompt, data, config)
    if data.key is not None and data.key != prompt.key:
        taken = {p.key for p in await script_rules.load_prompts(session, space.id)}
        if data.key in taken:
            raise Conflict(f"Another prompt of this space is already named {data.key!r}.")
        prompt.key = data.key
    _apply(prompt, data, space, config)
    await _validate(session, space, prompt)
    await _set_segments(session, prompt, data.segment_ids)
    prompt.updated_at = utcnow()
    _audit(session, principal, space, prompt, "prompt.update")
    await session.flush()
    (read,) = await _reads(session, space, [prompt])
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
        key=_unique(f"{prompt.key[:33]}-copy", {p.key for p in existing}),
        position=max(p.position for p in existing) + 1,
        kind=prompt.kind,
        title=prompt.title,
        body=prompt.body,
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
    await _set_segments(session, copy, segments.get(prompt.id, []))
    _audit(session, principal, space, copy, "prompt.duplicate")
    (read,) = await _reads(session, space, [copy])
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
    return PromptList(items=await _reads(session, space, sorted(prompts, key=lambda p: p.position)))


async def release_now(
    session: AsyncSession, *, principal: Principal, prompt_id: uuid.UUID
) -> PromptRead:
    prompt, space = await _editable_prompt(session, principal, prompt_id)
    if prompt.release_kind is not ReleaseKind.manual:
        raise NotManual("This prompt opens by its rule, not by hand.")
    if prompt.released_at is None:
        prompt.released_at = utcnow()
        _audit(session, principal, space, prompt, "prompt.release")
    await session.flush()
    (read,) = await _reads(session, space, [prompt])
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
    (read,) = await _reads(session, space, [prompt])
    return read


# --- the script as a document ------------------------------------------------------------------


async def export_script(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID
) -> ScriptDocument:
    space, _role = await spaces_service.get_space_for_staff(session, principal, space_id)
    return await _export(session, space)


async def _export(session: AsyncSession, space: Space) -> ScriptDocument:
    prompts = await script_rules.load_prompts(session, space.id)
    names = dict(
        (
            await session.execute(
                select(Segment.id, Segment.name).where(
                    Segment.space_id == space.id, Segment.deleted_at.is_(None)
                )
            )
        ).all()
    )
    segments = await script_rules.segments_by_prompt(session, [p.id for p in prompts])
    return document.export(space, prompts, names, segments)


async def import_script(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, doc: ScriptDocument
) -> ScriptDocument:
    """Replace the space's script with the document, after validating all of it."""
    space = await spaces_service.get_editable_space(session, principal, space_id)
    existing = {p.key: p for p in await script_rules.load_prompts(session, space.id)}
    segments = dict(
        (
            await session.execute(
                select(Segment.name_key, Segment.id).where(
                    Segment.space_id == space.id, Segment.deleted_at.is_(None)
                )
            )
        ).all()
    )
    writes = document.to_writes(
        doc,
        ids={key: prompt.id for key, prompt in existing.items()},
        segments=segments,
        segment_key=spaces_service.segment_key,
    )
    # Build every prompt in memory first, then validate the whole script.
    staged: list[tuple[Prompt, PromptWrite]] = []
    for position, (prompt_id, write) in enumerate(writes):
        prompt = existing.get(write.key or "") or Prompt(
            id=prompt_id,
            organization_id=space.organization_id,
            space_id=space.id,
            key=write.key,
        )
        config = _config(write)
        if prompt.key in existing:
            await _guard_answered(session, prompt, write, config)
        _apply(prompt, write, space, config)
        prompt.position = position
        staged.append((prompt, write))
    script_rules.validate_script([script_rules.draft_of(prompt) for prompt, _write in staged])
    kept = {prompt.key for prompt, _write in staged}
    removed = [prompt for key, prompt in existing.items() if key not in kept]
    answered = await _response_counts(session, [p.id for p in removed])
    if answered:
        names = ", ".join(repr(p.key) for p in removed if p.id in answered)
        raise document.AnsweredPromptRemoved(f"Prompts {names} have answers; keep them.")
    now = utcnow()
    for prompt in removed:
        prompt.deleted_at = now
    await session.flush()  # free removed keys before new prompts take them
    session.add_all([prompt for prompt, _write in staged])
    await session.flush()
    for prompt, write in staged:
        await _set_segments(session, prompt, write.segment_ids)
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="script.import",
        target_type="space",
        target_id=space.id,
        data={"prompts": [p.key for p, _write in staged], "removed": [p.key for p in removed]},
    )
    await session.flush()
    return await _export(session, space)


async def copy_script(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, from_space_id: uuid.UUID
) -> ScriptDocument:
    """Copy another space's script (one the caller can see) into this one."""
    source, _role = await spaces_service.get_space_for_staff(session, principal, from_space_id)
    doc = await _export(session, source)
    return await import_script(session, principal=principal, space_id=space_id, doc=doc)


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
    (read,) = await _reads(session, space, [prompt])
    return read
