"""Every SQLAlchemy model, in one package so domains never import-cycle."""

from causerie.models.accounts import (
    AccountToken,
    AccountTokenPurpose,
    AuthSession,
    MagicLinkToken,
    RefreshToken,
    User,
)
from causerie.models.audit import AuditLogEntry
from causerie.models.base import Base
from causerie.models.conversations import (
    Note,
    Probe,
    ProbeTemplate,
    Reaction,
    Reply,
    ReplyVersion,
)
from causerie.models.events import Event
from causerie.models.invitations import (
    Invitation,
    InvitationImport,
    InvitationKind,
    InvitationStatus,
    invitation_segment,
)
from causerie.models.notifications import DigestLog, Notification
from causerie.models.organizations import Membership, Organization, Role
from causerie.models.outbox import OutboxMessage, OutboxStatus
from causerie.models.participants import (
    EmailPreference,
    Participant,
    ParticipantStatus,
    participant_segment,
)
from causerie.models.script import (
    Prompt,
    PromptKind,
    PromptStatus,
    Response,
    ResponseVersion,
    Visibility,
    prompt_segment,
)
from causerie.models.spaces import Segment, Space, SpaceLanguage, SpaceObjective, SpaceStatus

__all__ = [
    "AccountToken",
    "AccountTokenPurpose",
    "AuditLogEntry",
    "AuthSession",
    "Base",
    "DigestLog",
    "EmailPreference",
    "Event",
    "Invitation",
    "InvitationImport",
    "InvitationKind",
    "InvitationStatus",
    "MagicLinkToken",
    "Membership",
    "Note",
    "Notification",
    "Organization",
    "OutboxMessage",
    "OutboxStatus",
    "Participant",
    "ParticipantStatus",
    "Probe",
    "ProbeTemplate",
    "Prompt",
    "PromptKind",
    "PromptStatus",
    "Reaction",
    "RefreshToken",
    "Reply",
    "ReplyVersion",
    "Response",
    "ResponseVersion",
    "Role",
    "Segment",
    "Space",
    "SpaceLanguage",
    "SpaceObjective",
    "SpaceStatus",
    "User",
    "Visibility",
    "invitation_segment",
    "participant_segment",
    "prompt_segment",
]
