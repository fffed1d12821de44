"""live events stored once per item, with their audience rule

A live event was one row per recipient (thousands per answer in a large space). It is now
one row per item saying who hears of it (one person, the organization's staff, or the
readers of a prompt's answers); each stream decides for its own person. The rows are kept
24 hours for reconnection only, so the table is recreated empty: streams that reconnect
across the upgrade start from "now".

Revision ID: 0012_live_events
Revises: 0011_sessions
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import causerie.models.base

revision: str = "0012_live_events"
down_revision: str | None = "0011_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _drop_event_table() -> None:
    op.drop_table("event")


def upgrade() -> None:
    _drop_event_table()
    op.create_table(
        "event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", causerie.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "audience",
            sa.Enum(
                "user",
                "staff",
                "editors",
                "readers",
                name="audience",
                native_enum=False,
                length=16,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("space_id", sa.Uuid(), nullable=True),
        sa.Column("prompt_id", sa.Uuid(), nullable=True),
        sa.Column("author_participant_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_event_user_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_event_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["space.id"], name=op.f("fk_event_space_id_space"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_created_at"), ["created_at"], unique=False)
        for column in ("user_id", "space_id", "organization_id"):
            batch_op.create_index(
                f"ix_event_{column}_created_at_id", [column, "created_at", "id"], unique=False
            )


def downgrade() -> None:
    _drop_event_table()
    op.create_table(
        "event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", causerie.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("space_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["space_id"], ["space.id"], name=op.f("fk_event_space_id_space"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_event_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_event_user_id_created_at_id", ["user_id", "created_at", "id"], unique=False
        )
