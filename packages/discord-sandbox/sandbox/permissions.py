"""Discord's permission bits, from the documentation's table, and the sandbox's defaults.

The sandbox keeps its own table instead of reusing ``discord.Permissions``: a fake that shared
code with the client it tests could not catch that client's mistakes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
PERMISSION_BITS: dict[str, int] = {
    "create_instant_invite": 0,
    "kick_members": 1,
    "ban_members": 2,
    "administrator": 3,
    "manage_channels": 4,
    "manage_guild": 5,
    "add_reactions": 6,
    "view_audit_log": 7,
    "priority_speaker": 8,
    "stream": 9,
    "view_channel": 10,
    "send_messages": 11,
    "send_tts_messages": 12,
    "manage_messages": 13,
    "embed_links": 14,
    "attach_files": 15,
    "read_message_history": 16,
    "mention_everyone": 17,
    "use_external_emojis": 18,
    "view_guild_insights": 19,
    "connect": 20,
    "speak": 21,
    "mute_members": 22,
    "deafen_members": 23,
    "move_members": 24,
    "use_vad": 25,
    "change_nickname": 26,
    "manage_nicknames": 27,
    "manage_roles": 28,
    "manage_webhooks": 29,
    "manage_guild_expressions": 30,
    "use_application_commands": 31,
    "request_to_speak": 32,
    "manage_events": 33,
    "manage_threads": 34,
    "create_public_threads": 35,
    "create_private_threads": 36,
    "use_external_stickers": 37,
    "send_messages_in_threads": 38,
    "use_embedded_activities": 39,
    "moderate_members": 40,
    "view_creator_monetization_analytics": 41,
    "use_soundboard": 42,
    "create_guild_expressions": 43,
    "create_events": 44,
    "use_external_sounds": 45,
    "send_voice_messages": 46,
    "set_voice_channel_status": 48,
    "send_polls": 49,
    "use_external_apps": 50,
    "pin_messages": 51,
    "bypass_slowmode": 52,
}

# Other spellings tests may use (the names some client libraries chose).
ALIASES: dict[str, str] = {
    "read_messages": "view_channel",
    "external_emojis": "use_external_emojis",
    "external_stickers": "use_external_stickers",
    "use_voice_activation": "use_vad",
    "manage_expressions": "manage_guild_expressions",
    "manage_emojis": "manage_guild_expressions",
    "manage_emojis_and_stickers": "manage_guild_expressions",
    "create_expressions": "create_guild_expressions",
}

ALL_PERMISSIONS = sum(1 << bit for bit in PERMISSION_BITS.values())

# What @everyone holds in a new server: reading, talking and threads, no moderation.
DEFAULT_EVERYONE_NAMES = (
    "add_reactions",
    "view_channel",
    "send_messages",
    "embed_links",
    "attach_files",
    "read_message_history",
    "use_external_emojis",
    "use_application_commands",
    "create_public_threads",
    "create_private_threads",
    "use_external_stickers",
    "send_messages_in_threads",
    "send_voice_messages",
    "send_polls",
    "use_external_apps",
    "pin_messages",
    "bypass_slowmode",
)

PermissionSpec = int | str | Iterable[str] | Any | None


def bit_of(name: str) -> int:
    """The flag for one permission name (Discord's, lower case, or a known alias)."""
    key = ALIASES.get(name, name)
    try:
        return 1 << PERMISSION_BITS[key]
    except KeyError:
        raise ValueError(f"unknown permission name {name!r}") from None


def permission_value(spec: PermissionSpec) -> int:
    """An int, a name, a list of names, or any object with an int ``value`` (a flags object)."""
    if spec is None:
        return 0
    if isinstance(spec, int):
        return spec
    value = getattr(spec, "value", None)
    if isinstance(value, int):
        return value
    names = [spec] if isinstance(spec, str) else list(spec)
    total = 0
    for name in names:
        total |= bit_of(name)
    return total


DEFAULT_EVERYONE = permission_value(DEFAULT_EVERYONE_NAMES)

# Bits the permission algorithm and the REST rules test by name.
ADMINISTRATOR = bit_of("administrator")
MANAGE_CHANNELS = bit_of("manage_channels")
MANAGE_GUILD = bit_of("manage_guild")
VIEW_CHANNEL = bit_of("view_channel")
SEND_MESSAGES = bit_of("send_messages")
SEND_TTS_MESSAGES = bit_of("send_tts_messages")
MANAGE_MESSAGES = bit_of("manage_messages")
EMBED_LINKS = bit_of("embed_links")
ATTACH_FILES = bit_of("attach_files")
READ_MESSAGE_HISTORY = bit_of("read_message_history")
MENTION_EVERYONE = bit_of("mention_everyone")
USE_APPLICATION_COMMANDS = bit_of("use_application_commands")
MANAGE_THREADS = bit_of("manage_threads")
CREATE_PUBLIC_THREADS = bit_of("create_public_threads")
CREATE_PRIVATE_THREADS = bit_of("create_private_threads")
SEND_MESSAGES_IN_THREADS = bit_of("send_messages_in_threads")
