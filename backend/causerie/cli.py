"""The ``causerie`` command."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar

import typer
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.database import Database
from causerie.core.migrations import upgrade
from causerie.core.settings import Settings, SettingsError, get_settings
from causerie.outbox.operator import OperatorEmail, describe, kept_emails

app = typer.Typer(help="Causerie: private feedback communities for brands.", no_args_is_help=True)
logger = logging.getLogger("causerie.cli")
T = TypeVar("T")


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        typer.echo(f"causerie: {error}", err=True)
        raise typer.Exit(2) from error


def _ensure_sqlite_folder(settings: Settings) -> None:
    prefix = "sqlite+aiosqlite:///"
    if settings.database_url.startswith(prefix):
        path = settings.database_url.removeprefix(prefix)
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@app.command()
def migrate() -> None:
    """Apply the database migrations."""
    settings = _settings()
    _ensure_sqlite_folder(settings)
    upgrade(settings.database_url)
    typer.echo("database is up to date")


async def _in_unit_of_work(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    database = Database.from_settings(settings)
    try:
        async with database.writer() as session, session.begin():
            return await work(session)
    finally:
        await database.dispose()


@app.command()
def demo() -> None:
    """Load the demo data (idempotent; refused in production)."""
    settings = _settings()
    if settings.is_production:
        typer.echo("causerie: demo data is refused in production", err=True)
        raise typer.Exit(2)
    from causerie.demo import load_demo  # here, not on top: loads every domain (~0.5 s)
    from causerie.wiring import install_subscribers

    install_subscribers(settings)
    created = asyncio.run(_in_unit_of_work(settings, partial(load_demo, settings=settings)))
    typer.echo("demo data loaded" if created else "demo data already present")


@app.command("create-owner")
def create_owner(
    organization: Annotated[str, typer.Option(help="Name of the organization to create")],
    email: Annotated[str, typer.Option(help="E-mail address of its first owner")],
    display_name: Annotated[str, typer.Option(help="Display name of the owner")] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create an organization and its first owner (an operator's command)."""
    settings = _settings()
    if len(password) < 8:
        typer.echo("causerie: the password needs at least 8 characters", err=True)
        raise typer.Exit(2)
    # Here, not on top: loads the domain layers (~0.3 s) that other commands never need.
    from causerie.organizations import service as organizations_service

    asyncio.run(
        _in_unit_of_work(
            settings,
            partial(
                organizations_service.create_organization_with_owner,
                organization_name=organization,
                email=email,
                display_name=display_name or None,
                password=password,
            ),
        )
    )
    typer.echo(f"created {organization!r} with owner {email}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    reload: bool = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1, envvar="WEB_CONCURRENCY", help="Server processes (PostgreSQL + Redis for >1)"
        ),
    ] = 1,
) -> None:
    """Serve the API and the built SPA."""
    settings = _settings()
    _ensure_sqlite_folder(settings)
    if workers > 1 and not settings.redis_url:
        typer.echo(
            "warning: several processes without CAUSERIE_REDIS_URL: live events reach only "
            "the streams of the process that caused them, and sign-in limits are per process",
            err=True,
        )
    if workers > 1 and settings.is_sqlite:
        typer.echo(
            "warning: several processes on SQLite take turns for its one write lock; "
            "use PostgreSQL to serve at scale",
            err=True,
        )
    uvicorn.run(
        "causerie.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level.lower(),
    )


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option(help="Announce what opened and deliver what is due now, then exit")
    ] = False,
) -> None:
    """Deliver the outbox (e-mail); run with CAUSERIE_INPROCESS_WORKER=false on the API."""
    settings = _settings()
    _configure_logging(settings)
    from causerie.worker import run_worker  # here, not on top: loads the app layers (~0.4 s)

    attempted = asyncio.run(run_worker(settings, once=once))
    if once:
        typer.echo(f"attempted {attempted} message(s)")


@app.command()
def mails(
    to: Annotated[
        str | None, typer.Option("--to", metavar="ADDRESS", help="Only e-mails to this address")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many e-mails, newest first")] = 10,
    links_only: Annotated[
        bool, typer.Option("--links-only", help="Print recipient, subject and links only")
    ] = False,
) -> None:
    """Print the kept (and pending) e-mails with their real links: the operator's way to
    follow invitation and sign-in links when no SMTP server is configured."""
    settings = _settings()
    found = asyncio.run(_read_mails(settings, recipient=to, limit=limit))
    if not found:
        typer.echo("no kept or pending e-mails" + (f" to {to}" if to else ""))
        return
    typer.echo("\n\n".join(describe(email, links_only=links_only) for email in found))


async def _read_mails(
    settings: Settings, *, recipient: str | None, limit: int
) -> list[OperatorEmail]:
    database = Database.from_settings(settings)
    try:
        async with database.reader() as session:
            return await kept_emails(session, recipient=recipient, limit=limit)
    finally:
        await database.dispose()


@app.command()
def openapi(
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Write the OpenAPI document (no server needed)."""
    from causerie.main import create_app  # here, not on top: loads the whole app (~0.8 s)

    settings = Settings(secret_key="openapi-dump-" + "x" * 32, spa_dir=Path("/nonexistent"))
    document = json.dumps(create_app(settings).openapi(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(document)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(document)
