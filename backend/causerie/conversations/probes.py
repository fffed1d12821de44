"""Probes: the brand's follow-up question on one answer, public or private, that its author
is asked to answer by a due time; and the console's queue of them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import SQLColumnExpression, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.access import participants as access
from causerie.audit import service as audit
from causerie.conversations.context import ensure_staff_can_write, response_context
from causerie.conversations.replies import add_reply
from causerie.conversations.schemas import (
    MyProbePage,
    MyProbeRead,
    ProbePage,
    ProbeRead,
    ProbeState,
    ReplyRead,
    probe_state,
)
from causerie.core import events
from causerie.core.clock import utcnow
from causerie.core.errors import Conflict, Forbidden, NotFound
from causerie.core.event_catalogue import ProbeAnswered, ProbeCreated
from causerie.core.markdown import render_markdown
from causerie.core.pagination import AnySelect, PageParams, keyset_page
from causerie.core.principal import Principal
from causerie.core.settings import Settings
from causerie.models import Participant, Prompt, Response, User, participant_segment
from causerie.models.conversations import Probe, ProbeStatus, ProbeVisibility
from causerie.organizations import service as organizations_service
from causerie.participants import my_spaces
from causerie.participants import service as participants_service
from causerie.spaces import service as spaces_service


class ProbeAlreadyAnswered(Conflict):
    code = "probe.answered"
    title = "This probe was already answered"


class ProbeForParticipant(Forbidden):
    code = "probe.participant_only"
    title = "Only the participant it was asked to answers a probe"


def _event(kind: type[ProbeCreated], probe: Probe) -> ProbeCreated:
    return kind(
        organization_id=probe.organization_id,
        space_id=probe.space_id,
        prompt_id=probe.prompt_id,
        response_id=probe.response_id,
        probe_id=probe.id,
        participant_id=probe.participant_id,
    )


async def _probe_reads(session: AsyncSession, probes: list[Probe]) -> list[ProbeRead]:
    pseudonyms = (
        dict(
            (
                await session.execute(
                    select(Participant.id, Participant.pseudonym).where(
                        Participant.id.in_({p.participant_id for p in probes})
                    )
                )
            ).all()
        )
        if probes
        else {}
    )
    authors = (
        dict(
            (
                await session.execute(
                    select(User.id, User.display_name).where(
                        User.id.in_({p.created_by_user_id for p in probes if p.created_by_user_id})
                    )
                )
            ).all()
        )
        if probes
        else {}
    )
    return [
        _probe_read(
            probe,
            pseudonyms.get(probe.participant_id, "?"),
            authors.get(probe.created_by_user_id) if probe.created_by_user_id else None,
        )
        for probe in probes
    ]


def _probe_read(probe: Probe, pseudonym: str, created_by_name: str | None) -> ProbeRead:
    return ProbeRead(
        id=probe.id,
        response_id=probe.response_id,
        prompt_id=probe.prompt_id,
        participant_pseudonym=pseudonym,
        text_html=probe.text_html,
        visibility=probe.visibility,
        status=probe_state(probe.status, probe.due_at, utcnow()),
        due_at=probe.due_at,
        answered_at=probe.answered_at,
        created_by_name=created_by_name,
        created_at=probe.created_at,
    )


async def create_probe(
    session: AsyncSession,
    *,
    settings: Settings,
    principal: Principal,
    response_id: uuid.UUID,
    text: str,
    visibility: ProbeVisibility,
) -> ProbeRead:
    context = await response_context(session, principal, response_id)
    if not context.staff:
        raise Forbidden("Only the brand asks follow-up questions.")
    ensure_staff_can_write(context)
    spaces_service.require_open(context.space)
    probe = Probe(
        organization_id=context.space.organization_id,
        space_id=context.space.id,
        prompt_id=context.prompt.id,
        response_id=context.response.id,
        participant_id=context.response.participant_id,
        created_by_user_id=principal.user_id,
        text=text,
        text_html=render_markdown(text),
        visibility=visibility,
        due_at=utcnow() + timedelta(hours=settings.probe_due_hours),
    )
    session.add(probe)
    await session.flush()
    # The probed participant and my name, in one query; holding the participant keeps it in
    # the unit of work for the subscribers that notify them.
    probed, my_name = (
        await session.execute(
            select(
                Participant,
                select(User.display_name).where(User.id == principal.user_id).scalar_subquery(),
            ).where(Participant.id == probe.participant_id)
        )
    ).one()
    await events.record(session, _event(ProbeCreated, probe))
    audit.record(
        session,
        principal=principal,
        organization_id=context.space.organization_id,
        action="probe.create",
        target_type="probe",
        target_id=probe.id,
        data={"visibility": visibility.value},
    )
    return _probe_read(probe, probed.pseudonym, my_name)


async def list_probes_on_response(
    session: AsyncSession, *, principal: Principal, response_id: uuid.UUID
) -> list[ProbeRead]:
    context = await response_context(session, principal, response_id)
    stmt = select(Probe).where(Probe.response_id == context.response.id)
    if not access.reads_private_item(
        private=True, staff=context.staff, answer_author=context.is_author
    ):
        stmt = stmt.where(Probe.visibility == ProbeVisibility.public)
    probes = list((await session.scalars(stmt.order_by(Probe.created_at, Probe.id))).all())
    return await _probe_reads(session, probes)


async def answer_probe(
    session: AsyncSession, *, principal: Principal, probe_id: uuid.UUID, text: str
) -> ReplyRead:
    """The participant answers in place; the probe becomes answered."""
    probe = await session.scalar(select(Probe).where(Probe.id == probe_id))
    if probe is None:
        raise NotFound("No such probe.")
    participant = await participants_service.my_participation(session, principal, probe.space_id)
    if participant is None or participant.id != probe.participant_id:
        if participant is None and await organizations_service.staff_role(
            session, principal, probe.organization_id
        ):
            raise ProbeForParticipant("Only the participant it was asked to answers a probe.")
        raise NotFound("No such probe.")
    # Claim the probe: of two concurrent answers, exactly one goes on.
    claimed = await session.execute(
        update(Probe)
        .where(Probe.id == probe.id, Probe.status == ProbeStatus.open)
        .values(status=ProbeStatus.answered, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ProbeAlreadyAnswered("You already answered this question.")
    await session.refresh(probe)
    reply = await add_reply(
        session, principal=principal, response_id=probe.response_id, text=text, probe=probe
    )
    await events.record(
        session,
        ProbeAnswered(
            organization_id=probe.organization_id,
            space_id=probe.space_id,
            prompt_id=probe.prompt_id,
            response_id=probe.response_id,
            probe_id=probe.id,
            participant_id=probe.participant_id,
            reply_id=reply.id,
        ),
    )
    return reply


async def probe_queue(
    session: AsyncSession,
    *,
    principal: Principal,
    space_id: uuid.UUID,
    params: PageParams,
    state: ProbeState | None,
    prompt_id: uuid.UUID | None,
    segment_id: uuid.UUID | None,
    created_by: uuid.UUID | None,
) -> ProbePage:
    """A page of the queue in three statements whatever its size: the caller, the space
    with their role, and the page with the names it shows."""
    space, _role = await spaces_service.get_space_for_staff(session, principal, space_id)
    now = utcnow()
    stmt = (
        select(
            Probe.id,
            Probe.response_id,
            Probe.prompt_id,
            func.coalesce(Participant.pseudonym, "?").label("participant_pseudonym"),
            Probe.text_html,
            Probe.visibility,
            Probe.status,
            Probe.due_at,
            Probe.answered_at,
            User.display_name.label("created_by_name"),
            Probe.created_at,
        )
        .outerjoin(Participant, Participant.id == Probe.participant_id)
        .outerjoin(User, User.id == Probe.created_by_user_id)
        .where(Probe.space_id == space.id)
    )
    if state == "answered":
        stmt = stmt.where(Probe.status == ProbeStatus.answered)
    elif state == "overdue":
        stmt = stmt.where(Probe.status == ProbeStatus.open, Probe.due_at <= now)
    elif state == "open":
        stmt = stmt.where(Probe.status == ProbeStatus.open, Probe.due_at > now)
    if prompt_id is not None:
        stmt = stmt.where(Probe.prompt_id == prompt_id)
    if created_by is not None:
        stmt = stmt.where(Probe.created_by_user_id == created_by)
    if segment_id is not None:
        stmt = stmt.where(
            Probe.participant_id.in_(
                select(participant_segment.c.participant_id).where(
                    participant_segment.c.segment_id == segment_id
                )
            )
        )
    rows, next_cursor = await keyset_page(
        session, stmt, created_at=Probe.created_at, row_id=Probe.id, params=params
    )
    fields = [name for name in ProbeRead.model_fields if name != "status"]
    return ProbePage(
        items=[
            ProbeRead(
                **{name: row._mapping[name] for name in fields},
                status=probe_state(row.status, row.due_at, now),
            )
            for row in rows
        ],
        next_cursor=next_cursor,
    )


# --- what the brand asked a participant and still waits for ---------------------------------


def awaiting_answer(
    participant_id: uuid.UUID | SQLColumnExpression[uuid.UUID], *columns: Any
) -> AnySelect:
    """``columns`` of the probes that wait for this participant's answer: addressed to them,
    unanswered, on an answer and a prompt that still exist. ``participant_id`` may be a
    column of an enclosing query (a correlated count per participant)."""
    return (
        select(*columns)
        .select_from(Probe)
        .join(Response, Response.id == Probe.response_id)
        .join(Prompt, Prompt.id == Probe.prompt_id)
        .where(
            Probe.participant_id == participant_id,
            Probe.status == ProbeStatus.open,
            Response.deleted_at.is_(None),
            Prompt.deleted_at.is_(None),
        )
    )


async def my_open_probes(
    session: AsyncSession, *, principal: Principal, space_id: uuid.UUID, params: PageParams
) -> MyProbePage:
    """The brand's questions to me in this space that wait for my answer, oldest first.
    Only mine: another participant's probes, public or private, are never listed."""
    participant, _space, _organization = await my_spaces.my_row(session, principal, space_id)
    now = utcnow()
    rows, next_cursor = await keyset_page(
        session,
        awaiting_answer(
            participant.id,
            Probe.id,
            Probe.response_id,
            Probe.prompt_id,
            Prompt.title.label("prompt_title"),
            Probe.text_html,
            Probe.visibility,
            Probe.status,
            Probe.due_at,
            Probe.created_at,
        ),
        created_at=Probe.created_at,
        row_id=Probe.id,
        params=params,
    )
    fields = [name for name in MyProbeRead.model_fields if name != "status"]
    return MyProbePage(
        items=[
            MyProbeRead(
                **{name: row._mapping[name] for name in fields},
                status=probe_state(row.status, row.due_at, now),
            )
            for row in rows
        ],
        next_cursor=next_cursor,
    )
