"""mentorship

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentor_profiles",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name="pk_mentor_profiles"),
    )
    op.create_table(
        "mentor_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("require_role_id", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_mentor_settings")),
    )
    op.create_table(
        "mentor_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("mentee_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("background", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("routed_wave", sa.Integer(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("card_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("card_key", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_requests")),
    )
    with op.batch_alter_table("mentor_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentor_requests_guild_mentee", ["guild_id", "mentee_id"], unique=False
        )
        batch_op.create_index("ix_mentor_requests_status", ["status", "opened_at"], unique=False)

    op.create_table(
        "mentor_topics",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", "tag_id", name="pk_mentor_topics"),
    )
    op.create_table(
        "mentor_matches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.BigInteger(), nullable=False),
        sa.Column("mentee_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("term_ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("fit_check_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_checkin_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("term_end_prompted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extend_by_mentor", sa.Boolean(), nullable=False),
        sa.Column("extend_by_mentee", sa.Boolean(), nullable=False),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("closed_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentor_requests.id"],
            name=op.f("fk_mentor_matches_request_id_mentor_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_matches")),
    )
    with op.batch_alter_table("mentor_matches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentor_matches_guild_mentee", ["guild_id", "mentee_id"], unique=False
        )
        batch_op.create_index(
            "ix_mentor_matches_guild_mentor", ["guild_id", "mentor_id", "status"], unique=False
        )
        batch_op.create_index("ix_mentor_matches_status", ["status"], unique=False)

    op.create_table(
        "mentor_request_mentors",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("mentor_id", sa.BigInteger(), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentor_requests.id"],
            name=op.f("fk_mentor_request_mentors_request_id_mentor_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "mentor_id", name="pk_mentor_request_mentors"),
    )
    with op.batch_alter_table("mentor_request_mentors", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentor_request_mentors_mentor", ["guild_id", "mentor_id"], unique=False
        )

    op.create_table(
        "mentor_checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentor_matches.id"],
            name=op.f("fk_mentor_checkins_match_id_mentor_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_checkins")),
    )
    with op.batch_alter_table("mentor_checkins", schema=None) as batch_op:
        batch_op.create_index("ix_mentor_checkins_match", ["match_id"], unique=False)

    op.create_table(
        "mentor_feedback",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentor_matches.id"],
            name=op.f("fk_mentor_feedback_match_id_mentor_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("match_id", "user_id", name="pk_mentor_feedback"),
    )
    op.create_table(
        "mentor_fit_answers",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentor_matches.id"],
            name=op.f("fk_mentor_fit_answers_match_id_mentor_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("match_id", "user_id", name="pk_mentor_fit_answers"),
    )


def downgrade() -> None:
    op.drop_table("mentor_fit_answers")
    op.drop_table("mentor_feedback")
    with op.batch_alter_table("mentor_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_checkins_match")

    op.drop_table("mentor_checkins")
    with op.batch_alter_table("mentor_request_mentors", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_request_mentors_mentor")

    op.drop_table("mentor_request_mentors")
    with op.batch_alter_table("mentor_matches", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_matches_status")
        batch_op.drop_index("ix_mentor_matches_guild_mentor")
        batch_op.drop_index("ix_mentor_matches_guild_mentee")

    op.drop_table("mentor_matches")
    op.drop_table("mentor_topics")
    with op.batch_alter_table("mentor_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_requests_status")
        batch_op.drop_index("ix_mentor_requests_guild_mentee")

    op.drop_table("mentor_requests")
    op.drop_table("mentor_settings")
    op.drop_table("mentor_profiles")
