"""Revision 0010 moves the secret links of e-mails written before it out of their bodies."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from causerie.core.clock import utcnow
from causerie.core.database import create_engine
from causerie.core.migrations import alembic_config, upgrade_async
from causerie.models import OutboxMessage
from tests.support.databases import PostgresDatabases, SqliteDatabases

BEFORE, AFTER = "0009_digests", "0010_secret_links"
BASE = "http://127.0.0.1:8000"
INVITE = f"{BASE}/invitations/inv1t3-t0ken"
SIGN_IN = f"{BASE}/sign-in/link#token=m4g1c-t0ken"
UNSUBSCRIBE = f"{BASE}/unsubscribe#token=eyJ.uns.ub"

_columns = OutboxMessage.__table__.c
# The table as revision 0009 knows it (no secret_links yet).
OLD_TABLE = sa.table(
    "outbox_message",
    *(
        sa.column(name, _columns[name].type)
        for name in (
            "id",
            "created_at",
            "updated_at",
            "kind",
            "category",
            "recipient",
            "subject",
            "body_text",
            "body_html",
            "language",
            "status",
            "attempts",
            "next_attempt_at",
        )
    ),
)


def _old_row(status: str, link: str, category: str) -> dict[str, object]:
    now = utcnow()
    return {
        "id": uuid.uuid4(),
        "created_at": now,
        "updated_at": now,
        "kind": "email",
        "category": category,
        "recipient": f"{status}@example.com",
        "subject": "Hello",
        "body_text": f"Go:\n{link}\n",
        "body_html": f'<a href="{link}">Go</a> <a href="{link}">{link}</a>',
        "language": "en",
        "status": status,
        "attempts": 0,
        "next_attempt_at": now,
    }


async def _database_at(
    databases: SqliteDatabases | PostgresDatabases, tmp_path: Path, revision: str
) -> str:
    if isinstance(databases, PostgresDatabases):
        url = await databases.create("secret_links")
        await asyncio.to_thread(command.downgrade, alembic_config(url), revision)
        return url
    url = SqliteDatabases.url(tmp_path / "old.db")
    await upgrade_async(url, revision)
    return url


async def test_old_emails_lose_their_links_to_secret_links_and_get_them_back_on_downgrade(
    databases: SqliteDatabases | PostgresDatabases, tmp_path: Path
) -> None:
    url = await _database_at(databases, tmp_path, BEFORE)
    rows = {
        "kept": _old_row("kept", INVITE, "invitation"),
        "pending": _old_row("pending", SIGN_IN, "magic_link"),
        "sent": _old_row("sent", UNSUBSCRIBE, "reply"),
    }
    plain = _old_row("failed", f"{BASE}/me/spaces", "reply")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.insert(OLD_TABLE), [*rows.values(), plain])
        await upgrade_async(url, AFTER)
        async with engine.connect() as connection:
            found = {
                row.status: row
                for row in await connection.execute(
                    sa.select(
                        _columns.status,
                        _columns.body_text,
                        _columns.body_html,
                        _columns.secret_links,
                    )
                )
            }
        assert found["kept"].secret_links == [INVITE], "the operator still reads it"
        assert found["pending"].secret_links == [SIGN_IN], "still to deliver"
        assert found["sent"].secret_links is None, "delivered: gone"
        for status in rows:
            assert found[status].body_text == "Go:\n⟦secret-link:0⟧\n"
            assert "token" not in (found[status].body_html or "")
            assert "/invitations/" not in (found[status].body_html or "")
        assert found["failed"].body_text == plain["body_text"], "ordinary links stay"
        assert found["failed"].secret_links is None

        await asyncio.to_thread(command.downgrade, alembic_config(url), BEFORE)
        async with engine.connect() as connection:
            back = {
                row.status: row.body_text
                for row in await connection.execute(
                    sa.select(OLD_TABLE.c.status, OLD_TABLE.c.body_text)
                )
            }
        assert back["kept"] == rows["kept"]["body_text"]
        assert back["pending"] == rows["pending"]["body_text"]
        assert back["sent"] == "Go:\n[secret link hidden]\n"
        await upgrade_async(url)
    finally:
        await engine.dispose()
