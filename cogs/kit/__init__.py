"""The components kit every cog uses (issue #19): one copy of what each feature's views need.

- ``WithComponents``: a cog's persistent components, registered while it is loaded.
- ``services``, ``guild_id``, ``guild_name``: what a callback reads off its interaction.
- ``PersistentButton``: a ``DynamicItem`` button whose custom id comes from its spec.
- ``RecordButton``: one that carries a record's id.
- ``ModeratorOnlyButton``: a persistent button re-checked for Manage Server at click time.
- ``ConfirmDestructiveButton``: the red confirm under a "remove this?" warning.
- ``PageButton``, ``ReviewPageButton``, ``DecisionButton``: paging a moderator's message, and
  a review queue of members' suggestions with its decision buttons.

Custom ids are ``bot.domain.custom_ids.CustomId`` specs, shared with the services that send
the same buttons as plain JSON.
"""

from cogs.kit.buttons import (
    ConfirmDestructiveButton,
    Interaction,
    ModeratorOnlyButton,
    PersistentButton,
    RecordButton,
)
from cogs.kit.cog import WithComponents
from cogs.kit.context import guild_id, guild_name, services
from cogs.kit.paging import (
    REVIEW_PAGE,
    DecisionButton,
    PageButton,
    ReviewPageButton,
    last_page_offset,
)

__all__ = [
    "REVIEW_PAGE",
    "ConfirmDestructiveButton",
    "DecisionButton",
    "Interaction",
    "ModeratorOnlyButton",
    "PageButton",
    "PersistentButton",
    "RecordButton",
    "ReviewPageButton",
    "WithComponents",
    "guild_id",
    "guild_name",
    "last_page_offset",
    "services",
]
