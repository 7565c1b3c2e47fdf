"""Events (conference mode), attendance, and the event_retention_days server default

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("discord_event_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("guild_id", "discord_event_id", name="uq_events_guild_discord_event"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_guild_end", ["guild_id", "end_date"], unique=False)

    op.create_table(
        "event_attendance",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_attendance_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_attendance")),
    )
    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.create_index("ix_event_attendance_member", ["guild_id", "user_id"], unique=False)
        batch_op.create_index("ix_event_attendance_since", ["guild_id", "since"], unique=False)

    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("event_retention_days", sa.Integer(), server_default="30", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("event_retention_days")

    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_event_attendance_since")
        batch_op.drop_index("ix_event_attendance_member")

    op.drop_table("event_attendance")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_guild_end")

    op.drop_table("events")
