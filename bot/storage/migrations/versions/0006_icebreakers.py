"""Icebreaker schedules, prompts, posts per slot and suggestions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "icebreaker_prompts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_icebreaker_prompts")),
        sa.UniqueConstraint("guild_id", "key", name="uq_icebreaker_prompts_guild_key"),
    )
    op.create_table(
        "icebreaker_schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("thread", sa.Boolean(), nullable=False),
        sa.Column("skip_if_quiet", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("next_slot_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_slot_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("quiet_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("quiet_message_id", sa.BigInteger(), nullable=True),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("low_pool_told_cycle", sa.Integer(), nullable=True),
        sa.Column("thread_problem_told", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_icebreaker_schedules")),
    )
    with op.batch_alter_table("icebreaker_schedules", schema=None) as batch_op:
        batch_op.create_index(
            "ix_icebreaker_schedules_due", ["paused", "next_slot_at"], unique=False
        )
        batch_op.create_index("ix_icebreaker_schedules_guild", ["guild_id"], unique=False)

    op.create_table(
        "icebreaker_suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_icebreaker_suggestions")),
    )
    with op.batch_alter_table("icebreaker_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_icebreaker_suggestions_pending", ["guild_id", "state"], unique=False
        )

    op.create_table(
        "icebreaker_posts",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prompt_id", sa.Integer(), nullable=True),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["icebreaker_prompts.id"],
            name=op.f("fk_icebreaker_posts_prompt_id_icebreaker_prompts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["icebreaker_schedules.id"],
            name=op.f("fk_icebreaker_posts_schedule_id_icebreaker_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("schedule_id", "slot", name=op.f("pk_icebreaker_posts")),
    )


def downgrade() -> None:
    op.drop_table("icebreaker_posts")
    with op.batch_alter_table("icebreaker_suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_icebreaker_suggestions_pending")

    op.drop_table("icebreaker_suggestions")
    with op.batch_alter_table("icebreaker_schedules", schema=None) as batch_op:
        batch_op.drop_index("ix_icebreaker_schedules_guild")
        batch_op.drop_index("ix_icebreaker_schedules_due")

    op.drop_table("icebreaker_schedules")
    op.drop_table("icebreaker_prompts")
