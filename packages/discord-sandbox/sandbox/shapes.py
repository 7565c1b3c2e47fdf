"""Discord's v10 JSON shapes of the sandbox's world, for REST answers and gateway events.

One function per object (``shapes.message(m)``, ``shapes.channel(c)``...), so the model stays
plain data and every field Discord sends is written down in one place.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from sandbox.channels import DM, GUILD_TEXT, PRIVATE_THREAD
from sandbox.permissions import VIEW_CHANNEL
from sandbox.snowflake import snowflake_time_ms

if TYPE_CHECKING:
    from sandbox.channels import Channel, Overwrite
    from sandbox.guilds import Guild
    from sandbox.members import Member, Role, User
    from sandbox.messages import Attachment, Message
    from sandbox.scheduled_events import ScheduledEvent


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).isoformat()


def user(u: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "collectibles": None,
        "primary_guild": None,
    }
    if u.bot:
        data["bot"] = True
    return data


def role(r: Role) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def member(m: Member, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r.id) for r in m.roles if r.id != m.guild.id],
        "joined_at": iso(m.joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(m.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def overwrite(o: Overwrite) -> dict[str, Any]:
    return {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}


def attachment(a: Attachment) -> dict[str, Any]:
    url = f"https://cdn.discordapp.com/attachments/0/{a.id}/{a.filename}"
    out: dict[str, Any] = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": url,
        "proxy_url": url,
    }
    if a.content_type:
        out["content_type"] = a.content_type
    return out


def number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy of ``components`` with Discord's numeric ``id`` on every component (tree order)."""
    counter = 0

    def walk(item: dict[str, Any]) -> dict[str, Any]:
        nonlocal counter
        counter += 1
        out = dict(item)
        out.setdefault("id", counter)
        if isinstance(item.get("components"), list):
            out["components"] = [walk(c) for c in item["components"]]
        for key in ("accessory", "component"):
            if isinstance(item.get(key), dict):
                out[key] = walk(item[key])
        return out

    return [walk(c) for c in components]


def message(m: Message, *, with_guild: bool = False) -> dict[str, Any]:
    users = m.channel.state.users
    data: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel.id),
        "author": user(m.author),
        "content": m.content,
        "timestamp": iso(m.timestamp),
        "edited_timestamp": iso(m.edited_timestamp),
        "tts": False,
        "mention_everyone": m.pings_everyone,
        "mentions": [user(users[u]) for u in m.pinged_user_ids if u in users],
        "mention_roles": [str(r) for r in m.pinged_role_ids],
        "attachments": [attachment(a) for a in m.attachments],
        "embeds": m.embeds,
        "pinned": False,
        "type": m.type,
        "flags": m.flags,
        "components": number_components(m.components),
    }
    if m.nonce is not None:
        data["nonce"] = m.nonce
    if m.webhook_id is not None:
        data["webhook_id"] = str(m.webhook_id)
    if m.application_id is not None:
        data["application_id"] = str(m.application_id)
    if m.interaction_metadata is not None:
        data["interaction_metadata"] = m.interaction_metadata
    if m.thread is not None:
        data["thread"] = channel(m.thread)
    if with_guild and m.channel.guild is not None:
        data["guild_id"] = str(m.channel.guild.id)
    return data


def channel(c: Channel) -> dict[str, Any]:
    if c.type == DM:
        return {
            "id": str(c.id),
            "type": DM,
            "last_message_id": str(c.last_message_id) if c.last_message_id else None,
            "recipients": [user(u) for u in c.recipients],
            "flags": 0,
        }
    assert c.guild is not None
    data: dict[str, Any] = {
        "id": str(c.id),
        "type": c.type,
        "guild_id": str(c.guild.id),
        "name": c.name,
        "parent_id": str(c.parent_id) if c.parent_id else None,
        "flags": 0,
    }
    last = c.last_message_id
    if c.is_thread:
        data.update(
            {
                "owner_id": str(c.owner_id),
                "last_message_id": str(last) if last else None,
                "message_count": len(c.messages),
                "member_count": min(len(c.thread_members), 50),
                "total_message_sent": c.total_message_sent,
                "rate_limit_per_user": 0,
                "thread_metadata": thread_metadata(c),
            }
        )
        bot_id = c.state.bot_user.id
        if bot_id in c.thread_members:
            data["member"] = thread_member(c, bot_id)
        return data
    data["position"] = c.position
    data["permission_overwrites"] = [overwrite(o) for o in c.overwrites.values()]
    data["nsfw"] = False
    if c.type == GUILD_TEXT:
        data.update(
            {
                "topic": c.topic,
                "last_message_id": str(last) if last else None,
                "rate_limit_per_user": 0,
                "default_thread_rate_limit_per_user": 0,
                "default_auto_archive_duration": 4320,
                "last_pin_timestamp": None,
            }
        )
    return data


def thread_metadata(c: Channel) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "archived": c.archived,
        "auto_archive_duration": c.auto_archive_duration,
        "archive_timestamp": iso(c.archive_timestamp),
        "locked": c.locked,
        "create_timestamp": iso(snowflake_time_ms(c.id) / 1000),
    }
    if c.type == PRIVATE_THREAD:
        meta["invitable"] = c.invitable
    return meta


def thread_member(thread: Channel, user_id: int) -> dict[str, Any]:
    return {
        "id": str(thread.id),
        "user_id": str(user_id),
        "join_timestamp": iso(thread.thread_members[user_id]),
        "flags": 0,
    }


def scheduled_event(
    e: ScheduledEvent, *, with_user_count: bool = False, gateway: bool = False
) -> dict[str, Any]:
    """REST shape; ``gateway``: as in GUILD_CREATE, which has no exceptions list (the gateway
    schemas reject it there; the REST spec requires it)."""
    external = e.channel is None
    data: dict[str, Any] = {
        "id": str(e.id),
        "guild_id": str(e.guild.id),
        "name": e.name,
        "description": e.description,
        "channel_id": None if e.channel is None else str(e.channel.id),
        "creator_id": str(e.creator.id) if e.creator else None,
        "image": None,
        "scheduled_start_time": iso(e.start),
        "scheduled_end_time": iso(e.end),
        "status": e.status,
        "entity_type": 3 if external else 2,
        "entity_id": None,
        "recurrence_rule": None,
        "privacy_level": 2,
        "guild_scheduled_event_exceptions": [],
        "entity_metadata": {"location": e.location or ""} if external else None,
    }
    if e.creator is not None:
        data["creator"] = user(e.creator)
    if gateway:
        del data["guild_scheduled_event_exceptions"]
    if with_user_count:
        data["user_count"] = e.user_count
    return data


def guild(g: Guild) -> dict[str, Any]:
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "widget_channel_id": None,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "max_presences": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
        "region": "deprecated",
        "hub_type": None,
        "incidents_data": None,
    }


def guild_create(g: Guild) -> dict[str, Any]:
    """The GUILD_CREATE payload: the bot's own member plus members that matter (all here)."""
    bot_id = g.state.bot_user.id
    data = guild(g)
    data.update(
        {
            "joined_at": iso(g.joined_at),
            "large": False,
            "unavailable": False,
            "member_count": len(g.members),
            "voice_states": [],
            "members": [member(m) for m in g.members.values() if m.id == bot_id],
            "channels": [channel(c) for c in g.channels],
            "threads": [
                channel(t)
                for t in g.threads
                if not t.archived
                and bot_id in g.members
                and g.permissions_for(g.bot_member, t) & VIEW_CHANNEL
            ],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [
                scheduled_event(e, gateway=True) for e in g.scheduled_events.values()
            ],
            "soundboard_sounds": [],
        }
    )
    return data
