"""prompt bodies rendered once, when written

A prompt's Markdown body was rendered to HTML on every read of a timeline or of the
script; it is now rendered when the prompt is written and stored in ``body_html``. The
existing prompts are rendered here.

Revision ID: 0013_prompt_body_html
Revises: 0012_live_events
Create Date: 2026-12-02 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from causerie.core.markdown import render_markdown

revision: str = "0013_prompt_body_html"
down_revision: str | None = "0012_live_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

_prompt = sa.table(
    "prompt",
    sa.column("id", sa.Uuid()),
    sa.column("body", sa.Text()),
    sa.column("body_html", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_html", sa.Text(), server_default="", nullable=False))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_prompt.c.id, _prompt.c.body).where(_prompt.c.body != "")
    ).all()
    for start in range(0, len(rows), BATCH):
        connection.execute(
            _prompt.update()
            .where(_prompt.c.id == sa.bindparam("prompt_id"))
            .values(body_html=sa.bindparam("html")),
            [
                {"prompt_id": prompt_id, "html": render_markdown(body or "")}
                for prompt_id, body in rows[start : start + BATCH]
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.drop_column("body_html")
