"""Introduction requests, blocks, snoozes, display names and the contact card

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intro_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("requester_id", sa.BigInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requester_told_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intro_requests")),
    )
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_intro_requests_due", ["requester_told_at", "expires_at"], unique=False
        )
        batch_op.create_index(
            "ix_intro_requests_requester", ["guild_id", "requester_id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_intro_requests_target", ["guild_id", "target_id", "state"], unique=False
        )

    op.create_table(
        "member_blocks",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("blocker_id", sa.BigInteger(), nullable=False),
        sa.Column("blocked_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "guild_id", "blocker_id", "blocked_id", name=op.f("pk_member_blocks")
        ),
    )
    with op.batch_alter_table("member_blocks", schema=None) as batch_op:
        batch_op.create_index("ix_member_blocks_blocked", ["guild_id", "blocked_id"], unique=False)

    with op.batch_alter_table("member_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact", sa.Text(), nullable=True))

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("display_name", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("display_name")
        batch_op.drop_column("snoozed_until")

    with op.batch_alter_table("member_profiles", schema=None) as batch_op:
        batch_op.drop_column("contact")

    with op.batch_alter_table("member_blocks", schema=None) as batch_op:
        batch_op.drop_index("ix_member_blocks_blocked")

    op.drop_table("member_blocks")
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_intro_requests_target")
        batch_op.drop_index("ix_intro_requests_requester")
        batch_op.drop_index("ix_intro_requests_due")

    op.drop_table("intro_requests")
