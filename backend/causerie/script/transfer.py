"""The script as a document: export it, import one (replacing the script), copy another space's.

The document's format (YAML/JSON, limits, conversion to prompt writes) is ``document``;
this module reads and writes the database around it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.core.clock import utcnow
from causerie.core.principal import Principal
from causerie.models import Prompt, Segment, Space
from causerie.script import document, forms
from causerie.script import rules as script_rules
from causerie.script.document import ScriptDocument
from causerie.script.schemas import PromptWrite
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service


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
        segment_key=segments_service.segment_key,
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
        config = forms.config_of(write)
        if prompt.key in existing:
            await forms.guard_answered(session, prompt, write, config)
        forms.apply_write(prompt, write, space, config)
        prompt.position = position
        staged.append((prompt, write))
    script_rules.validate_script([script_rules.draft_of(prompt) for prompt, _write in staged])
    kept = {prompt.key for prompt, _write in staged}
    removed = [prompt for key, prompt in existing.items() if key not in kept]
    answered = await forms.response_counts(session, [p.id for p in removed])
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
        await forms.set_segments(session, prompt, write.segment_ids)
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
