"""The domain events Causerie records: typed, immutable, ids only.

Their ``name`` is public and stable: live events, and later webhook event types and the
change feed's kinds, use it. Add fields, never rename or remove one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from causerie.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SpaceEvent(DomainEvent):
    space_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class ParticipantJoined(SpaceEvent):
    name = "participant.joined"
    participant_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class PromptReleased(SpaceEvent):
    """An animator released a manual prompt (its openings are announced by the tick)."""

    name = "prompt.released"
    prompt_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class PromptOpened(SpaceEvent):
    """A prompt opened for one participant: by time, by release, or by their own answer."""

    name = "prompt.opened"
    prompt_id: uuid.UUID
    participant_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class ResponseEvent(SpaceEvent):
    prompt_id: uuid.UUID
    response_id: uuid.UUID
    participant_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class ResponseCreated(ResponseEvent):
    name = "response.created"


@dataclass(frozen=True, kw_only=True)
class ResponseEdited(ResponseEvent):
    name = "response.edited"


@dataclass(frozen=True, kw_only=True)
class ReplyEvent(SpaceEvent):
    prompt_id: uuid.UUID
    response_id: uuid.UUID
    reply_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class ReplyCreated(ReplyEvent):
    name = "reply.created"


@dataclass(frozen=True, kw_only=True)
class ReplyEdited(ReplyEvent):
    name = "reply.edited"


@dataclass(frozen=True, kw_only=True)
class ReactionToggled(SpaceEvent):
    """A reaction was added (``active``) or taken back on an answer or a reply."""

    name = "reaction.toggled"
    prompt_id: uuid.UUID
    response_id: uuid.UUID
    target_id: uuid.UUID
    user_id: uuid.UUID
    kind: str
    active: bool


@dataclass(frozen=True, kw_only=True)
class ProbeEvent(SpaceEvent):
    prompt_id: uuid.UUID
    response_id: uuid.UUID
    probe_id: uuid.UUID
    participant_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class ProbeCreated(ProbeEvent):
    name = "probe.created"


@dataclass(frozen=True, kw_only=True)
class ProbeAnswered(ProbeEvent):
    name = "probe.answered"
    reply_id: uuid.UUID


@dataclass(frozen=True, kw_only=True)
class NoteAdded(SpaceEvent):
    """A backroom note (staff only) on an answer or a reply."""

    name = "note.added"
    note_id: uuid.UUID
    target_id: uuid.UUID


ALL: tuple[type[DomainEvent], ...] = (
    ParticipantJoined,
    PromptReleased,
    PromptOpened,
    ResponseCreated,
    ResponseEdited,
    ReplyCreated,
    ReplyEdited,
    ReactionToggled,
    ProbeCreated,
    ProbeAnswered,
    NoteAdded,
)
