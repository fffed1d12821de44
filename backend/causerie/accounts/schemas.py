"""Accounts I/O."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from causerie.models import Role


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class TokenRead(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")


class MembershipRead(BaseModel):
    organization_id: uuid.UUID
    organization_name: str
    role: Role


class MeRead(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str
    is_platform_admin: bool
    memberships: list[MembershipRead]


class MagicLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    language: Literal["en", "fr"] = "en"


class MagicLinkSent(BaseModel):
    detail: str


class MagicLinkConsume(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
