"""Per-server settings and channels by purpose.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("discoverable_by_default", sa.Boolean(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("intro_expiry_days", sa.Integer(), nullable=False),
        sa.Column("max_outgoing_pending", sa.Integer(), nullable=False),
        sa.Column("max_requests_per_day", sa.Integer(), nullable=False),
        sa.Column("max_incoming_pending", sa.Integer(), nullable=False),
        sa.Column("pair_cooldown_days", sa.Integer(), nullable=False),
        sa.Column("icebreaker_catch_up_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_guild_settings")),
    )
    op.create_table(
        "guild_channels",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", "purpose", name=op.f("pk_guild_channels")),
    )


def downgrade() -> None:
    op.drop_table("guild_channels")
    op.drop_table("guild_settings")
