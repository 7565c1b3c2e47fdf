"""Alembic environment: always run through ``bot.storage.database.Database.migrate``."""

from alembic import context

from bot.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with `python -m bot migrate`.")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates tables
    compare_type=True,
    # The engine emits an explicit BEGIN on SQLite, so DDL is transactional there too.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
