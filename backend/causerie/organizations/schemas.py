"""Organizations I/O."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from causerie.core.text import Name
from causerie.models import Role


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    owner_email: EmailStr | None = Field(
        default=None, description="The first owner; the caller when omitted"
    )


class OrganizationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name


class OrganizationRead(BaseModel):
    id: uuid.UUID
    name: str
    created_at: datetime
    updated_at: datetime
    my_role: Role | None = Field(description="The caller's role; null for platform admins")


class OrganizationPage(BaseModel):
    items: list[OrganizationRead]
    next_cursor: str | None


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    role: Role
    display_name: Name | None = Field(
        default=None, description="Used when the address has no account yet"
    )


class MemberUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class MemberRead(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    role: Role
    created_at: datetime
    updated_at: datetime


class MemberPage(BaseModel):
    items: list[MemberRead]
    next_cursor: str | None
