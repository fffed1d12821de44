"""Every SQLAlchemy model, in one package so domains never import-cycle."""

from causerie.models.accounts import RefreshToken, User
from causerie.models.audit import AuditLogEntry
from causerie.models.base import Base
from causerie.models.organizations import Membership, Organization, Role

__all__ = [
    "AuditLogEntry",
    "Base",
    "Membership",
    "Organization",
    "RefreshToken",
    "Role",
    "User",
]
