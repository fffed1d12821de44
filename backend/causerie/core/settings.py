"""Settings: one pydantic-settings class, environment prefix ``CAUSERIE_``."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Secrets that must never be used in production (documentation placeholders).
INSECURE_SECRETS = frozenset({"", "changethis", "change-me", "secret", "causerie"})
MIN_SECRET_LENGTH = 32


class SettingsError(RuntimeError):
    """The configuration cannot be used; the message says why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAUSERIE_", extra="ignore")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = "sqlite+aiosqlite:///var/causerie.db"
    # Database connections per process: the pool, what it may open beyond it under load, and
    # how long a request waits for one before it is answered 503 ``service.busy``.
    db_pool_size: int = Field(default=20, ge=1, le=1000)
    db_max_overflow: int = Field(default=0, ge=0, le=1000)
    db_pool_timeout: float = Field(default=5.0, gt=0, le=300)
    # Connections older than this are replaced when checked out (no ping per checkout; a
    # connection the server dropped is replaced after the one request that meets it).
    db_pool_recycle_seconds: int = Field(default=1800, ge=1)
    # SQLite: a writer waits this long for its turn — behind this process's other writers,
    # then for another process's write lock — before it is answered 503 ``service.busy``.
    sqlite_busy_timeout: float = Field(default=30.0, gt=0, le=600)
    secret_key: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    spa_dir: Path = Path("frontend/dist")
    log_level: str = "INFO"
    # Proxies whose X-Forwarded-For / -Proto are trusted (comma-separated IPs, or "*").
    forwarded_allow_ips: str = "127.0.0.1"

    access_token_ttl_seconds: int = Field(default=900, ge=30, le=3600)
    refresh_token_ttl_days: int = Field(default=30, ge=1, le=365)
    jwt_issuer: str = "causerie"
    jwt_audience: str = "causerie-api"
    # A refresh token presented again this soon after its rotation, while its successor is
    # still unused, is two tabs refreshing at once: the session lives on (0: no grace).
    refresh_reuse_grace_seconds: int = Field(default=10, ge=0, le=300)
    # The unsubscribe link in notification e-mails works this long after it was sent.
    unsubscribe_link_ttl_days: int = Field(default=365, ge=1, le=3650)

    login_attempts_per_account: int = Field(default=10, ge=1)
    login_attempts_per_ip: int = Field(default=50, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)

    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # File uploads (logos, CSV imports) may be larger than ordinary JSON bodies.
    max_upload_bytes: int = Field(default=5 * 1_048_576, ge=1024)

    # E-mail: no SMTP host means "keep" mode (logged, readable in the studio, not sent).
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_timeout: float = Field(default=30.0, gt=0)
    mail_from: str = "Causerie <no-reply@causerie.localhost>"
    outbox_max_attempts: int = Field(default=8, ge=1, le=50)
    outbox_retry_base_seconds: int = Field(default=30, ge=1)
    # How long a worker holds the e-mails it claimed; a worker that dies mid-batch leaves
    # them to be retried after this. Keep it above outbox batch size x smtp_timeout.
    outbox_lease_seconds: int = Field(default=600, ge=1, le=24 * 3600)
    # Deliver the outbox from the API process; false when `causerie worker` runs.
    # Redis for the real-time broker shared by several API processes (empty: in memory).
    redis_url: str = ""
    # Prefix of the rate-limit keys kept in Redis (when redis_url is set).
    redis_key_prefix: str = "causerie"
    # Live streams: heartbeat interval and how many a person may hold open at once.
    sse_heartbeat_seconds: float = Field(default=15.0, gt=0)
    sse_max_streams_per_person: int = Field(default=5, ge=1)
    sse_max_streams: int = Field(default=20_000, ge=1)  # per process; beyond it, 503
    # How long authors may edit an answer after posting it.
    response_edit_minutes: int = Field(default=15, ge=0, le=24 * 60)
    # Remind a participant once of an open prompt still unanswered this long after it
    # opened for them (0: no automatic reminders).
    reminder_after_open_hours: int = Field(default=48, ge=0, le=24 * 60)
    # Daily digests go out once this UTC hour has come.
    digest_hour_utc: int = Field(default=17, ge=0, le=23)
    # A probe not answered within this delay is overdue (and its author nudged once).
    probe_due_hours: int = Field(default=48, ge=1, le=24 * 60)
    # How often the dispatcher looks for prompts that opened by time (release notifications).
    release_tick_seconds: float = Field(default=30.0, gt=0)
    inprocess_worker: bool = True

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.public_base_url.startswith("https://")


def resolve_secret(settings: Settings) -> Settings:
    """Refuse weak secrets in production; keep a generated one under ``data_dir`` otherwise."""
    if settings.secret_key and settings.secret_key not in INSECURE_SECRETS:
        if settings.is_production and len(settings.secret_key) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"CAUSERIE_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters "
                "in production."
            )
        return settings
    if settings.is_production:
        raise SettingsError(
            "CAUSERIE_SECRET_KEY is missing or a known placeholder; "
            "refusing to start in production."
        )
    secret_file = settings.data_dir / "secret_key"
    if secret_file.exists():
        secret = secret_file.read_text().strip()
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secret)
    return settings.model_copy(update={"secret_key": secret})


def check_production(settings: Settings) -> Settings:
    """Production serves users over TLS: refresh cookies must be ``Secure``."""
    if settings.is_production and not settings.secure_cookies:
        raise SettingsError("CAUSERIE_PUBLIC_BASE_URL must be an https:// address in production.")
    return settings


@lru_cache
def get_settings() -> Settings:
    return check_production(resolve_secret(Settings()))
