"""Known body fields per route, so the sandbox refuses what Discord would not understand.

The OpenAPI spec lets almost every object carry unknown properties, so these lists are the
sandbox's own: the property names of each route's request schema in Discord's spec (checked
against the spec by the package's ``tests/test_limits_http.py`` when ``../shared`` is present).
"""

from __future__ import annotations

# Beyond the spec: fields Discord accepts (and ignores) on a route although its schema omits
# them, because real clients send them (discord.py sends ``tts`` on every webhook message edit).
# The same for an UPDATE_MESSAGE callback (a component's message edited in place).
ACCEPTED_BEYOND_SPEC: dict[str, frozenset[str]] = {
    "WEBHOOK_EDIT": frozenset({"tts"}),
    "CALLBACK_UPDATE": frozenset({"tts"}),
}
MESSAGE_CREATE = frozenset(
    {
        "allowed_mentions",
        "attachments",
        "components",
        "content",
        "embeds",
        "enforce_nonce",
        "flags",
        "message_reference",
        "nonce",
        "poll",
        "shared_client_theme",
        "sticker_ids",
        "tts",
    }
)
MESSAGE_EDIT = frozenset(
    {"allowed_mentions", "attachments", "components", "content", "embeds", "flags", "sticker_ids"}
)
WEBHOOK_EXECUTE = frozenset(
    {
        "allowed_mentions",
        "applied_tags",
        "attachments",
        "avatar_url",
        "components",
        "content",
        "embeds",
        "flags",
        "poll",
        "thread_name",
        "tts",
        "username",
    }
)
WEBHOOK_EDIT = (
    frozenset(
        {"allowed_mentions", "attachments", "components", "content", "embeds", "flags", "poll"}
    )
    | ACCEPTED_BEYOND_SPEC["WEBHOOK_EDIT"]
)
CALLBACK = frozenset({"type", "data"})
CALLBACK_MESSAGE = frozenset(
    {"allowed_mentions", "attachments", "components", "content", "embeds", "flags", "poll", "tts"}
)
CALLBACK_UPDATE = (
    frozenset({"allowed_mentions", "attachments", "components", "content", "embeds", "flags"})
    | ACCEPTED_BEYOND_SPEC["CALLBACK_UPDATE"]
)
CALLBACK_MODAL = frozenset({"custom_id", "title", "components"})
CALLBACK_CHOICES = frozenset({"choices"})
ALLOWED_MENTIONS = frozenset({"parse", "replied_user", "roles", "users"})
DM_OPEN = frozenset({"recipient_id", "access_tokens", "nicks"})
THREAD_CREATE = frozenset(
    {
        "name",
        "auto_archive_duration",
        "type",
        "invitable",
        "rate_limit_per_user",
        "applied_tags",
        "message",
    }
)
THREAD_FROM_MESSAGE = frozenset({"name", "auto_archive_duration", "rate_limit_per_user"})
CHANNEL_EDIT = frozenset(
    {
        "applied_tags",
        "archived",
        "auto_archive_duration",
        "available_tags",
        "bitrate",
        "default_auto_archive_duration",
        "default_forum_layout",
        "default_reaction_emoji",
        "default_sort_order",
        "default_tag_setting",
        "default_thread_rate_limit_per_user",
        "flags",
        "icon",
        "invitable",
        "locked",
        "name",
        "nsfw",
        "parent_id",
        "permission_overwrites",
        "position",
        "rate_limit_per_user",
        "rtc_region",
        "topic",
        "type",
        "user_limit",
        "video_quality_mode",
    }
)

# (table name, method, spec path) for the cross-check against the spec's request schemas.
SPEC_ROUTES: tuple[tuple[str, str, str], ...] = (
    ("MESSAGE_CREATE", "post", "/channels/{channel_id}/messages"),
    ("MESSAGE_EDIT", "patch", "/channels/{channel_id}/messages/{message_id}"),
    ("WEBHOOK_EXECUTE", "post", "/webhooks/{webhook_id}/{webhook_token}"),
    ("WEBHOOK_EDIT", "patch", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
    ("CALLBACK", "post", "/interactions/{interaction_id}/{interaction_token}/callback"),
    ("DM_OPEN", "post", "/users/@me/channels"),
    ("THREAD_CREATE", "post", "/channels/{channel_id}/threads"),
    ("THREAD_FROM_MESSAGE", "post", "/channels/{channel_id}/messages/{message_id}/threads"),
    ("CHANNEL_EDIT", "patch", "/channels/{channel_id}"),
)
