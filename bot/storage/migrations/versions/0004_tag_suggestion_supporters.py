"""tag suggestion supporters

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tag_suggestion_supporters",
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["tag_suggestions.id"],
            name=op.f("fk_tag_suggestion_supporters_suggestion_id_tag_suggestions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "suggestion_id", "user_id", name=op.f("pk_tag_suggestion_supporters")
        ),
    )
    with op.batch_alter_table("tag_suggestion_supporters", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tag_suggestion_supporters_user", ["guild_id", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tag_suggestion_supporters", schema=None) as batch_op:
        batch_op.drop_index("ix_tag_suggestion_supporters_user")

    op.drop_table("tag_suggestion_supporters")
