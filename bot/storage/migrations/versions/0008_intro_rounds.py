"""intro rounds

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:42:19.582216
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round_participants",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("skip_next", sa.Boolean(), nullable=False),
        sa.Column("ghost", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counted_since", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint(
            "guild_id", "user_id", "schedule_id", name=op.f("pk_round_participants")
        ),
    )
    op.create_table(
        "round_schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=True),
        sa.Column("cooldown_rounds", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("next_slot_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_slot_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_schedules")),
    )
    with op.batch_alter_table("round_schedules", schema=None) as batch_op:
        batch_op.create_index("ix_round_schedules_due", ["paused", "next_slot_at"], unique=False)
        batch_op.create_index("ix_round_schedules_guild", ["guild_id"], unique=False)

    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_key", sa.String(length=120), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("unplaced", sa.Integer(), nullable=False),
        sa.Column("checkin_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checkin_done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["round_schedules.id"],
            name=op.f("fk_rounds_schedule_id_round_schedules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        sa.UniqueConstraint("schedule_id", "slot", name="uq_rounds_schedule_slot"),
        sa.UniqueConstraint("source_key", name="uq_rounds_source_key"),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index("ix_rounds_checkin", ["checkin_done", "checkin_at"], unique=False)
        batch_op.create_index("ix_rounds_guild", ["guild_id", "created_at"], unique=False)

    op.create_table(
        "round_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_groups_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_groups")),
    )
    with op.batch_alter_table("round_groups", schema=None) as batch_op:
        batch_op.create_index("ix_round_groups_round", ["round_id"], unique=False)

    op.create_table(
        "round_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["round_groups.id"],
            name=op.f("fk_round_group_members_group_id_round_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_round_group_members")),
    )
    with op.batch_alter_table("round_group_members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_round_group_members_member", ["guild_id", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("round_group_members", schema=None) as batch_op:
        batch_op.drop_index("ix_round_group_members_member")

    op.drop_table("round_group_members")
    with op.batch_alter_table("round_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_round_groups_round")

    op.drop_table("round_groups")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_rounds_guild")
        batch_op.drop_index("ix_rounds_checkin")

    op.drop_table("rounds")
    with op.batch_alter_table("round_schedules", schema=None) as batch_op:
        batch_op.drop_index("ix_round_schedules_guild")
        batch_op.drop_index("ix_round_schedules_due")

    op.drop_table("round_schedules")
    op.drop_table("round_participants")
