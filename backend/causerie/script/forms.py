"""One prompt's forms: what the animator writes, the row it becomes, what is read back.

Shared by prompt editing (``service``) and script documents (``transfer``): keys, poll
options and rating scales, dates in the space's time zone, target segments, and the guard
that keeps a change from invalidating answers already given.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.errors import Conflict, InvalidInput
from causerie.core.markdown import render_markdown
from causerie.models import Prompt, PromptKind, Response, Space, prompt_segment
from causerie.models.script import CloseKind, ReleaseKind
from causerie.script import rules as script_rules
from causerie.script.schemas import (
    CloseRead,
    DiaryConfig,
    PollConfig,
    PromptRead,
    PromptWrite,
    RatingConfig,
    RuleRead,
)
from causerie.spaces import segments as segments_service
from causerie.spaces import service as spaces_service


class PromptChangeConflict(Conflict):
    code = "prompt.answered"
    title = "This change would invalidate answers"


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


def unique_key(base: str, taken: set[str]) -> str:
    candidate, index = base, 2
    while candidate in taken:
        candidate = f"{base[:36]}-{index}"
        index += 1
    return candidate


def config_of(data: PromptWrite) -> dict[str, Any]:
    if data.kind is PromptKind.poll and data.poll is not None:
        taken: set[str] = set()
        options = []
        for option in data.poll.options:
            key = option.key or unique_key(slug(option.label), taken)
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
        body_html=prompt.body_html,
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


async def response_counts(
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


async def reads(session: AsyncSession, space: Space, prompts: list[Prompt]) -> list[PromptRead]:
    ids = [p.id for p in prompts]
    segments = await script_rules.segments_by_prompt(session, ids)
    counts = await response_counts(session, ids)
    return [
        to_read(p, segments.get(p.id, []), counts.get(p.id, 0), space.time_zone) for p in prompts
    ]


def apply_write(prompt: Prompt, data: PromptWrite, space: Space, config: dict[str, Any]) -> None:
    prompt.kind = data.kind
    prompt.title = data.title
    if prompt.body != data.body or not prompt.body_html:
        prompt.body_html = render_markdown(data.body)  # once, here, not on every read
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


async def set_segments(session: AsyncSession, prompt: Prompt, segment_ids: list[uuid.UUID]) -> None:
    live = await segments_service.live_segment_ids(session, prompt.space_id, segment_ids)
    await session.execute(delete(prompt_segment).where(prompt_segment.c.prompt_id == prompt.id))
    if live:
        await session.execute(
            insert(prompt_segment), [{"prompt_id": prompt.id, "segment_id": s} for s in live]
        )


async def guard_answered(
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
