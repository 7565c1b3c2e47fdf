"""privacy: departed members, anti-abuse record

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "block_records",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("blocker_hash", sa.String(length=64), nullable=False),
        sa.Column("blocked_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "guild_id", "blocker_hash", "blocked_hash", name=op.f("pk_block_records")
        ),
    )
    with op.batch_alter_table("block_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_block_records_blocked", ["guild_id", "blocked_hash"], unique=False
        )

    op.create_table(
        "install_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_install_secrets")),
    )
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("departed_retention_days", sa.Integer(), server_default="30", nullable=False)
        )

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("departed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_members_departed", ["departed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index("ix_members_departed")
        batch_op.drop_column("departed_at")

    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("departed_retention_days")

    op.drop_table("install_secrets")
    with op.batch_alter_table("block_records", schema=None) as batch_op:
        batch_op.drop_index("ix_block_records_blocked")

    op.drop_table("block_records")
