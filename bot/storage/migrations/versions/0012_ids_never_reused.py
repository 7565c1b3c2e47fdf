"""ids never reused: AUTOINCREMENT on every table with a surrogate id

SQLite hands the largest rowid out again after a delete; ids reach idempotency keys and Discord
nonces, so a reused id made a new message collide with an old one. Batch mode recreates each table
with AUTOINCREMENT (the rows keep their ids; ``sqlite_sequence`` starts from the largest).
PostgreSQL sequences never reuse a value, so there is nothing to do there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 03:05:00
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Parents before children, as they were created.
TABLES = (
    "tag_categories",
    "tags",
    "tag_aliases",
    "tag_suggestions",
    "outbox",
    "intro_requests",
    "icebreaker_schedules",
    "icebreaker_prompts",
    "icebreaker_suggestions",
    "mentor_requests",
    "mentor_matches",
    "mentor_checkins",
    "round_schedules",
    "rounds",
    "round_groups",
    "events",
)


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
