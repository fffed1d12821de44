"""Nudging now: an animator reminds everyone who has not answered an open prompt."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from causerie.audit import service as audit
from causerie.conversations.context import staff_prompt
from causerie.conversations.schemas import NudgeResult
from causerie.conversations.waiting import waiting_participants
from causerie.core.clock import utcnow
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.notifications.service import Message, notify
from causerie.organizations import service as organizations_service
from causerie.spaces import service as spaces_service


async def nudge(
    session: AsyncSession, *, settings: Settings, principal: Principal, prompt_id: uuid.UUID
) -> NudgeResult:
    """Remind now everyone who has not answered this open prompt (at most once a day each)."""
    prompt, space, role = await staff_prompt(session, principal, prompt_id)
    organizations_service.require_role(role, *organizations_service.EDITORS)
    spaces_service.require_open(space)
    now = utcnow()
    waiting = await waiting_participants(session, space, prompt, now)
    language = spaces_service.language_of(space)
    reminded = await notify(
        session,
        settings=settings,
        space=space,
        participants=waiting,
        message=Message(
            kind="reminder",
            dedup_key=f"reminder:{prompt.id}:{now.date().isoformat()}",
            title=translate(language, "reminder.title"),
            body=translate(language, "reminder.body", title=prompt.title, space=space.title),
            link_path=f"/me/spaces/{space.id}/prompts/{prompt.id}",
            prompt_id=prompt.id,
        ),
    )
    audit.record(
        session,
        principal=principal,
        organization_id=space.organization_id,
        action="prompt.nudge",
        target_type="prompt",
        target_id=prompt.id,
        data={"waiting": len(waiting), "reminded": reminded},
    )
    return NudgeResult(waiting=len(waiting), reminded=reminded)
