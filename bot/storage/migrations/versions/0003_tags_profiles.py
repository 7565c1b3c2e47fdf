"""tags and profiles: vocabulary, member tags, suggestions, members and profiles

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 05:44:26.882724
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("discoverable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_members")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index("ix_members_discoverable", ["guild_id", "discoverable"], unique=False)

    op.create_table(
        "tag_categories",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_categories")),
        sa.UniqueConstraint("guild_id", "key", name="uq_tag_categories_guild_key"),
    )
    op.create_table(
        "member_profiles",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("about", sa.Text(), nullable=True),
        sa.Column("looking_for", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id", "user_id"],
            ["members.guild_id", "members.user_id"],
            name=op.f("fk_member_profiles_guild_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_member_profiles")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["tag_categories.id"],
            name=op.f("fk_tags_category_id_tag_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("guild_id", "key", name="uq_tags_guild_key"),
    )
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.create_index("ix_tags_category", ["category_id"], unique=False)

    op.create_table(
        "member_tags",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id", "user_id"],
            ["members.guild_id", "members.user_id"],
            name=op.f("fk_member_tags_guild_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_member_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("guild_id", "user_id", "tag_id", name=op.f("pk_member_tags")),
    )
    with op.batch_alter_table("member_tags", schema=None) as batch_op:
        batch_op.create_index("ix_member_tags_tag", ["tag_id", "user_id"], unique=False)

    op.create_table(
        "tag_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_tag_aliases_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_aliases")),
        sa.UniqueConstraint("guild_id", "key", name="uq_tag_aliases_guild_key"),
    )
    with op.batch_alter_table("tag_aliases", schema=None) as batch_op:
        batch_op.create_index("ix_tag_aliases_tag", ["tag_id"], unique=False)

    op.create_table(
        "tag_suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("tag_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["tag_categories.id"],
            name=op.f("fk_tag_suggestions_category_id_tag_categories"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_tag_suggestions_tag_id_tags"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_suggestions")),
    )
    with op.batch_alter_table("tag_suggestions", schema=None) as batch_op:
        batch_op.create_index("ix_tag_suggestions_queue", ["guild_id", "state", "id"], unique=False)
        batch_op.create_index("ix_tag_suggestions_user", ["guild_id", "user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tag_suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_tag_suggestions_user")
        batch_op.drop_index("ix_tag_suggestions_queue")

    op.drop_table("tag_suggestions")
    with op.batch_alter_table("tag_aliases", schema=None) as batch_op:
        batch_op.drop_index("ix_tag_aliases_tag")

    op.drop_table("tag_aliases")
    with op.batch_alter_table("member_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_member_tags_tag")

    op.drop_table("member_tags")
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.drop_index("ix_tags_category")

    op.drop_table("tags")
    op.drop_table("member_profiles")
    op.drop_table("tag_categories")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index("ix_members_discoverable")

    op.drop_table("members")
