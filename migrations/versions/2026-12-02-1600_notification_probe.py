"""notifications name the probe they are about

A "probe" notification linked to the prompt only; it now carries the probe, so that its
link opens on the brand's question itself. Existing ones get theirs from their
deduplication key (``probe:<id>``, ``probe_overdue:<id>``).

Revision ID: 0014_notification_probe
Revises: 0013_prompt_body_html
Create Date: 2026-12-02 16:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_notification_probe"
down_revision: str | None = "0013_prompt_body_html"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
KINDS = ("probe", "probe_overdue")

_notification = sa.table(
    "notification",
    sa.column("id", sa.Uuid()),
    sa.column("kind", sa.String()),
    sa.column("dedup_key", sa.String()),
    sa.column("probe_id", sa.Uuid()),
)
_probe = sa.table("probe", sa.column("id", sa.Uuid()))


def _probe_of(dedup_key: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(dedup_key.split(":", 1)[1])
    except (IndexError, ValueError):
        return None


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("probe_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notification_probe_id_probe"),
            "probe",
            ["probe_id"],
            ["id"],
            ondelete="SET NULL",
        )
    connection = op.get_bind()
    keyed = [
        (notification_id, probe_id)
        for notification_id, dedup_key in connection.execute(
            sa.select(_notification.c.id, _notification.c.dedup_key).where(
                _notification.c.kind.in_(KINDS)
            )
        )
        if (probe_id := _probe_of(dedup_key)) is not None
    ]
    for start in range(0, len(keyed), BATCH):
        batch = keyed[start : start + BATCH]
        live = set(
            connection.execute(
                sa.select(_probe.c.id).where(_probe.c.id.in_({probe for _, probe in batch}))
            ).scalars()
        )
        rows = [{"notification_id": n, "probe": p} for n, p in batch if p in live]
        if rows:
            connection.execute(
                _notification.update()
                .where(_notification.c.id == sa.bindparam("notification_id"))
                .values(probe_id=sa.bindparam("probe")),
                rows,
            )


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notification_probe_id_probe"), type_="foreignkey")
        batch_op.drop_column("probe_id")
