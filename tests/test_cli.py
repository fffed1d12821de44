"""The ``causerie`` command: demo data, create-owner, production guards, openapi."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from causerie.cli import app
from causerie.core.database import Database
from causerie.core.passwords import verify_password
from causerie.core.settings import get_settings
from causerie.demo import DEMO_PARTICIPANTS, DEMO_PASSWORD, DEMO_PENDING, DEMO_STAFF
from causerie.models import (
    AuditLogEntry,
    Invitation,
    Membership,
    Note,
    Organization,
    OutboxMessage,
    Participant,
    Probe,
    Prompt,
    Reply,
    Response,
    Role,
    Segment,
    Space,
    User,
)

runner = CliRunner()
T = TypeVar("T")


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CAUSERIE_DATABASE_URL", database_url)
    monkeypatch.setenv("CAUSERIE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("CAUSERIE_ENV", raising=False)
    monkeypatch.delenv("CAUSERIE_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _read(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Check the database from a synchronous test (the CLI runs its own event loop)."""

    async def run() -> T:
        database = Database.from_url(database_url)
        try:
            async with database.reader() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def test_demo_is_idempotent_and_uses_the_published_password(
    cli_env: None, database_url: str
) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "demo data loaded" in first.output
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0
    assert "already present" in second.output

    async def check(session: AsyncSession) -> None:
        assert await session.scalar(select(func.count()).select_from(Organization)) == 1
        rows = await session.execute(
            select(User.email, Membership.role).join(Membership, Membership.user_id == User.id)
        )
        assert dict(rows.all()) == {a.email: a.role for a in DEMO_STAFF}
        owner_hash = await session.scalar(
            select(User.password_hash).where(User.email == DEMO_STAFF[0].email)
        )
        assert await verify_password(owner_hash, DEMO_PASSWORD)
        spaces = (await session.scalars(select(Space.title))).all()
        assert spaces == ["Club Lumière"]
        assert await session.scalar(select(func.count()).select_from(Participant)) == len(
            DEMO_PARTICIPANTS
        )
        segments = (await session.scalars(select(Segment.name).order_by(Segment.name))).all()
        assert segments == ["Prospects", "VIP"]
        pending = (await session.scalars(select(Invitation.email).order_by(Invitation.email))).all()
        assert pending == sorted(DEMO_PENDING)
        kept = await session.scalar(select(func.count()).select_from(OutboxMessage))
        assert kept == len(DEMO_PENDING), "their e-mails wait in the outbox"
        keys = (await session.scalars(select(Prompt.key).order_by(Prompt.position))).all()
        assert keys == [
            "bienvenue",
            "lampe-premieres-impressions",
            "pourquoi-trop-chere",
            "journal-soirees",
            "question-personnelle",
            "note-boutique",
        ]
        assert await session.scalar(select(func.count()).select_from(Response)) == 5
        assert await session.scalar(select(func.count()).select_from(Reply)) == 5
        states = (await session.scalars(select(Probe.status).order_by(Probe.created_at))).all()
        assert [state.value for state in states] == ["answered", "open", "open"]
        assert await session.scalar(select(func.count()).select_from(Note)) == 1

    _read(database_url, check)


def test_demo_is_refused_in_production(cli_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUSERIE_ENV", "production")
    monkeypatch.setenv("CAUSERIE_SECRET_KEY", "p" * 48)
    monkeypatch.setenv("CAUSERIE_PUBLIC_BASE_URL", "https://causerie.example.com")
    get_settings.cache_clear()
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 2
    assert "refused in production" in result.output


def test_production_without_secret_refuses_to_start(
    cli_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAUSERIE_ENV", "production")
    get_settings.cache_clear()
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "SECRET_KEY" in result.output


def test_create_owner_creates_an_organization_whose_owner_can_sign_in(
    cli_env: None, database_url: str
) -> None:
    result = runner.invoke(
        app,
        ["create-owner", "--organization", "Atelier Nord", "--email", "Boss@Nord.example.com"],
        input="a-strong-password\na-strong-password\n",
    )
    assert result.exit_code == 0, result.output

    async def check(session: AsyncSession) -> None:
        user = await session.scalar(select(User).where(User.email == "boss@nord.example.com"))
        assert user is not None
        role = await session.scalar(select(Membership.role).where(Membership.user_id == user.id))
        assert role is Role.owner
        audited = await session.scalar(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(AuditLogEntry.action == "organization.create")
        )
        assert audited == 1
        assert await verify_password(user.password_hash, "a-strong-password")

    _read(database_url, check)


def test_create_owner_refuses_a_short_password(cli_env: None) -> None:
    result = runner.invoke(
        app,
        ["create-owner", "--organization", "X", "--email", "x@example.com", "--password", "short"],
    )
    assert result.exit_code == 2


def test_openapi_command_writes_the_contract(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    result = runner.invoke(app, ["openapi", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert document["info"]["title"] == "Causerie API"
    assert document["paths"]["/api/v1/auth/login"]["post"]["operationId"] == "auth-login"
