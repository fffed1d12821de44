"""Who is calling: one vocabulary for every service.

A ``user`` principal is a person with an account: staff through organization
memberships, participant through space memberships (a person can be both; roles
are looked up per resource). An ``api_key`` principal is an integrator acting for
one organization with a set of scopes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Principal:
    kind: Literal["user", "api_key"]
    user_id: uuid.UUID | None = None
    is_platform_admin: bool = False
    organization_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_user(cls, user_id: uuid.UUID, *, is_platform_admin: bool = False) -> Principal:
        return cls(kind="user", user_id=user_id, is_platform_admin=is_platform_admin)
