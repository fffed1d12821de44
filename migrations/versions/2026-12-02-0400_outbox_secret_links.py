"""outbox secret links (owned by the outbox change)

Secret links move out of the e-mail bodies into ``outbox_message.secret_links``. Rows
written before this revision still carry them in their bodies: they are moved out too
(kept for e-mails still to send or kept without SMTP, dropped for sent and failed ones),
so no owner reads an old invitation, sign-in or unsubscribe link under "Sent e-mails".

Revision ID: 0010_secret_links
Revises: 0009_digests
Create Date: 2026-12-02 04:00:00
"""

import re
from collections.abc import Sequence
from html import unescape

import sqlalchemy as sa
from alembic import op

from causerie.outbox import secrets

revision: str = "0010_secret_links"
down_revision: str | None = "0009_digests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The secret links e-mails carried before this revision, as written in the text body.
_OLD_LINK = re.compile(
    r"https?://[^\s\"'<>]*?/(?:invitations/[A-Za-z0-9_-]+"
    r"|sign-in/link#token=[A-Za-z0-9_-]+"
    r"|unsubscribe#token=[A-Za-z0-9_.-]+)"
)
_DONE = ("sent", "failed")


_outbox = sa.table(
    "outbox_message",
    sa.column("id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("body_text", sa.Text()),
    sa.column("body_html", sa.Text()),
    sa.column("secret_links", sa.JSON(none_as_null=True)),
)


def _move_old_links() -> None:
    bind = op.get_bind()
    outbox = _outbox
    rows = bind.execute(
        sa.select(outbox.c.id, outbox.c.status, outbox.c.body_text, outbox.c.body_html).where(
            sa.or_(
                outbox.c.body_text.contains("/invitations/"),
                outbox.c.body_text.contains("#token="),
                outbox.c.body_html.contains("/invitations/"),
                outbox.c.body_html.contains("#token="),
            )
        )
    ).all()
    for row in rows:
        found = _OLD_LINK.findall(row.body_text or "")
        found += [unescape(link) for link in _OLD_LINK.findall(row.body_html or "")]
        if not found:
            continue
        links = secrets.unique_links(found)
        text, html = secrets.hide(row.body_text, row.body_html, links)
        bind.execute(
            outbox.update()
            .where(outbox.c.id == row.id)
            .values(
                body_text=text,
                body_html=html,
                secret_links=None if row.status in _DONE else links,
            )
        )


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret_links", sa.JSON(), nullable=True))
    _move_old_links()


def _put_links_back() -> None:
    """Before the column goes: links still held return to their bodies, others are masked."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _outbox.c.id, _outbox.c.body_text, _outbox.c.body_html, _outbox.c.secret_links
        ).where(
            sa.or_(
                _outbox.c.secret_links.is_not(None),
                _outbox.c.body_text.contains("⟦secret-link:"),
                _outbox.c.body_html.contains("⟦secret-link:"),
            )
        )
    ).all()
    mask = "[secret link hidden]"
    for row in rows:
        links = list(row.secret_links or [])
        html = row.body_html
        bind.execute(
            _outbox.update()
            .where(_outbox.c.id == row.id)
            .values(
                body_text=secrets.reveal_text(row.body_text, links, mask=mask),
                body_html=secrets.reveal_html(html, links, mask=mask) if html else html,
            )
        )


def downgrade() -> None:
    _put_links_back()
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("secret_links")
