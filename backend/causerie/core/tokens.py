"""Access tokens (JWT via python-jose, HS256 pinned) and opaque refresh tokens.

This is the only module that imports python-jose.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from jose import jwt
from jose.exceptions import JOSEError

from causerie.core.clock import utcnow
from causerie.core.errors import InvalidToken
from causerie.core.settings import Settings

ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: str
    expires_at: datetime


def issue_access_token(
    settings: Settings, user_id: uuid.UUID, *, session_id: uuid.UUID
) -> tuple[str, int]:
    """A signed access token for ``user_id`` in session ``session_id`` and its lifetime."""
    now = utcnow()
    ttl = settings.access_token_ttl_seconds
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": secrets.token_urlsafe(16),
        "typ": "access",
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), ttl


def read_access_token(settings: Settings, token: str) -> AccessClaims:
    """Verify signature, algorithm, expiry, issuer and audience; raise InvalidToken otherwise.

    A token without a session id (``sid``) is refused: the caller checks that session is live.
    """
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={
                "require_exp": True,
                "require_iat": True,
                "require_iss": True,
                "require_aud": True,
                "require_jti": True,
                "require_sub": True,
            },
        )
        if claims.get("typ") != "access":
            raise InvalidToken
        return AccessClaims(
            user_id=uuid.UUID(str(claims["sub"])),
            session_id=uuid.UUID(str(claims["sid"])),
            token_id=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), tz=utcnow().tzinfo),
        )
    except (JOSEError, ValueError, KeyError, TypeError) as exc:
        raise InvalidToken from exc


UNSUBSCRIBE_AUDIENCE = "causerie-unsubscribe"


def issue_unsubscribe_token(settings: Settings, participant_id: uuid.UUID) -> str:
    """A signed, single-purpose token: it can only turn off one participant's e-mails.

    It expires after ``unsubscribe_link_ttl_days`` (a year by default): long enough for
    an old e-mail to keep working, short enough that a leaked link does not last forever.
    """
    now = utcnow()
    claims = {
        "sub": str(participant_id),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(days=settings.unsubscribe_link_ttl_days)).timestamp()),
        "iss": settings.jwt_issuer,
        "aud": UNSUBSCRIBE_AUDIENCE,
        "typ": "unsubscribe",
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def read_unsubscribe_token(settings: Settings, token: str) -> uuid.UUID:
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            audience=UNSUBSCRIBE_AUDIENCE,
            issuer=settings.jwt_issuer,
            options={
                "require_sub": True,
                "require_aud": True,
                "require_iat": True,
                "require_exp": True,
            },
        )
        if claims.get("typ") != "unsubscribe":
            raise InvalidToken
        return uuid.UUID(str(claims["sub"]))
    except (JOSEError, ValueError, KeyError, TypeError) as exc:
        raise InvalidToken("This unsubscribe link is not valid.") from exc


def new_opaque_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
