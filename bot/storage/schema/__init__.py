"""The schema as SQLAlchemy Core tables, one module per feature.

Migrations must keep the database equal to ``metadata``; a test compares them. Importing this
package registers every table.
"""

from bot.storage.schema import (
    events,
    icebreakers,
    introductions,
    members,
    mentorship,
    outbox,
    privacy,
    rounds,
    settings,
    tags,
)
from bot.storage.schema.base import metadata

__all__ = [
    "events",
    "icebreakers",
    "introductions",
    "members",
    "mentorship",
    "metadata",
    "outbox",
    "privacy",
    "rounds",
    "settings",
    "tags",
]
