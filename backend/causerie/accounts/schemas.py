"""Accounts I/O."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from causerie.models import Role

NEXT_PATH_MAX = 500


def _same_site_path(value: str | None) -> str | None:
    """A relative path on this site: leading "/", no "//", no backslash, no control chars."""
    if value is None:
        return None
    if (
        not value.startswith("/")
        or "//" in value
        or "\\" in value
        or any(ord(char) < 32 or 127 <= ord(char) < 160 for char in value)
    ):
        raise ValueError("must be a path on this site, starting with a single /")
    return value


SameSitePath = Annotated[
    str | None,
    Field(
        max_length=NEXT_PATH_MAX,
        pattern=r"^/$|^(/[^/\\\x00-\x1f\x7f-\x9f]+)+/?$",
        description="Where to go after signing in: a path on this site such as /invitations/…",
    ),
    AfterValidator(_same_site_path),
]


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
    has_password: bool = Field(
        description="False for people who only sign in by e-mail link; they may set one"
    )
    memberships: list[MembershipRead]


class MagicLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    language: Literal["en", "fr"] = "en"
    next: SameSitePath = None


class MagicLinkSent(BaseModel):
    detail: str


class MagicLinkConsume(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)


Password = Annotated[str, Field(min_length=10, max_length=1024)]


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str | None = Field(
        default=None,
        min_length=1,
        max_length=1024,
        description="Required when the account already has a password",
    )
    new_password: Password


class PasswordResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    language: Literal["en", "fr"] = "en"


class PasswordResetConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    new_password: Password


class EmailChangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_email: EmailStr = Field(max_length=320)
    password: str | None = Field(
        default=None,
        min_length=1,
        max_length=1024,
        description="Required when the account has a password",
    )
    language: Literal["en", "fr"] = "en"


class EmailChangeConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    language: Literal["en", "fr"] = "en"
