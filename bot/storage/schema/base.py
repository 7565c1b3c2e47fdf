"""The one MetaData every table belongs to.

Every table with a surrogate integer id declares ``sqlite_autoincrement=True``: SQLite otherwise
hands the largest id out again after it is deleted, and ids reach idempotency keys and Discord
nonces (``intro:{id}:ask``), so a reused id would make a new message look like an old one.
PostgreSQL sequences never reuse. A storage test holds every such table to this.
"""

from __future__ import annotations

from sqlalchemy import MetaData

# Stable constraint names so Alembic batch migrations on SQLite can find them.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
