"""Messages and embeds for /tags and /setup tags. Tag names are allow-listed: safe to show."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.tags import MAX_TAGS_PER_MEMBER, CategoryTags, Suggestion
from bot.domain.text import plural
from bot.services.tags import (
    CategoryListing,
    Merged,
    MergePreview,
    NewTag,
    NewTagCheck,
    PickResult,
    PresetApplied,
    Renamed,
    SuggestionDecision,
    TagChange,
    TagUsage,
)
from cogs.rendering import grouped_lines

FIELD_LIMIT = 1024
EMBED_BUDGET = 5_800  # Discord allows 6,000 characters per embed; leave room for titles
NO_TAGS_YET = (
    "This server has no tags yet. Moderators can add some with `/setup tags preset` "
    "or `/setup tags add`."
)
PICK_HEADER = (
    "**Your tags** ({count}/{limit}). Choose in each menu; changes save when you close it. "
    "Only discoverable members' tags are shown to others."
)
PUBLIC_HEADER = (
    "**Pick your interests**\nChoose from the menus to add tags to your profile in this "
    "server, then find people who share them. Use **Edit my tags** to change or remove yours."
)


def tag_added_text(change: TagChange) -> str:
    if not change.changed:
        return f"You already have **{change.tag.name}**."
    return (
        f"Added **{change.tag.name}** ({change.tag.category}). "
        f"You have {change.total}/{MAX_TAGS_PER_MEMBER} tags."
    )


def tag_removed_text(change: TagChange) -> str:
    return f"Removed **{change.tag.name}**. You have {change.total}/{MAX_TAGS_PER_MEMBER} tags."


def mine_text(groups: Sequence[CategoryTags]) -> str:
    total = sum(len(g.tags) for g in groups)
    if not total:
        return "You have no tags yet. Add some with `/tags add` or `/tags pick`."
    return f"**Your tags** ({total}/{MAX_TAGS_PER_MEMBER})\n{grouped_lines(groups)}"


def pick_result_text(result: PickResult) -> str:
    parts = []
    if result.added:
        parts.append("Added " + ", ".join(f"**{t.name}**" for t in result.added) + ".")
    if result.removed:
        parts.append("Removed " + ", ".join(f"**{t.name}**" for t in result.removed) + ".")
    if not parts:
        parts.append("No change.")
    parts.append(f"You have {result.total}/{MAX_TAGS_PER_MEMBER} tags.")
    return " ".join(parts)


COLLAPSED_NAMES = 700  # characters of rarely used tag names shown on the collapsed line


def _listing_lines(listing: CategoryListing, *, exact: bool) -> list[str]:
    """Tags with enough members, most held first; the rest collapsed onto one line.

    Members never see a count below 3 (the service already hid it); moderators see every
    count and only the unused tags are collapsed.
    """
    rare = [e for e in listing.tags if (e.members == 0 if exact else e.members is None)]
    shown = sorted(
        (e for e in listing.tags if e not in rare), key=lambda e: (-(e.members or 0), e.tag.name)
    )
    lines = [f"{entry.tag.name} · {entry.label}" for entry in shown]
    if rare:
        names = ", ".join(e.tag.name for e in rare)
        if len(names) > COLLAPSED_NAMES:
            names = names[:COLLAPSED_NAMES].rsplit(", ", 1)[0] + ", …"
        lead = "and " if lines else ""
        what = "no members" if exact else "fewer than 3 members"
        lines.append(f"*{lead}{len(rare)} with {what}:* {names}")
    return lines or ["(none yet)"]


def stale_menu_text(names: Sequence[str]) -> str:
    """A choice from a menu posted before the vocabulary changed."""
    listed = ", ".join(f"**{n}**" for n in names)
    verb = "was" if len(names) == 1 else "were"
    return (
        f"That menu is out of date: {listed} {verb} removed or renamed since it was posted. "
        "Here is the current picker."
    )


def vocabulary_embed(listings: Sequence[CategoryListing], *, exact: bool = False) -> discord.Embed:
    """The vocabulary by category with member counts, within embed limits."""
    embed = discord.Embed(title="Tags in this server")
    used = len(embed.title or "")
    left_out = 0
    for listing in listings:
        lines = _listing_lines(listing, exact=exact)
        for name, value in _fields(listing.category.name, lines):
            if used + len(name) + len(value) > EMBED_BUDGET or len(embed.fields) >= 25:
                left_out += value.count("\n") + 1
                continue
            embed.add_field(name=name, value=value, inline=False)
            used += len(name) + len(value)
    footer = (
        "Exact counts, shown to moderators only."
        if exact
        else "Tags with fewer than 3 members are grouped so nobody can be singled out."
    )
    if left_out:
        footer += f" {plural(left_out, 'more tag')} not shown: use /tags list with a category."
    embed.set_footer(text=footer)
    return embed


def _fields(title: str, lines: list[str]) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    current: list[str] = []
    for line in lines:
        if current and len("\n".join([*current, line])) > FIELD_LIMIT:
            fields.append((title if not fields else f"{title} (continued)", "\n".join(current)))
            current = []
        current.append(line)
    fields.append((title if not fields else f"{title} (continued)", "\n".join(current)))
    return fields


def suggestion_text(suggestion: Suggestion, user_id: int) -> str:
    if suggestion.user_id != user_id:
        return (
            f"“{suggestion.name}” has already been suggested and is waiting for review; "
            "you'll hear the outcome too."
        )
    return (
        f"Thanks! I passed “{suggestion.name}” to the moderators. You'll get a DM when they decide."
    )


# -- moderators ----------------------------------------------------------------------------------


def new_tag_text(new: NewTag) -> str:
    created = " (a new category)" if new.category_created else ""
    return f"Added **{new.tag.name}** to {new.tag.category}{created}."


CANCELLED = "Cancelled; nothing was changed."


def near_duplicate_text(check: NewTagCheck) -> str:
    similar = " or ".join(f"**{name}**" for name in check.similar)
    return (
        f"Did you mean {similar}? A tag with a very similar name already exists. Add "
        f"**{check.name}** as a separate tag anyway? (To make “{check.name}” find the existing "
        "tag instead, use `/setup tags alias`.)"
    )


def confirm_merge_text(preview: MergePreview) -> str:
    return (
        f"Merge **{preview.source.name}** into **{preview.target.name}**? Its members "
        f"({preview.holders_label}) move to {preview.target.name}, **{preview.source.name}** "
        f"goes away and its name then finds {preview.target.name}. This cannot be undone."
    )


def confirm_removal_text(usage: TagUsage) -> str:
    return (
        f"Members hold **{usage.tag.name}** ({usage.holders_label}). Removing it takes it off "
        "their profiles. Remove it anyway? (Or merge it into another tag with "
        "`/setup tags merge`.)"
    )


def removed_text(usage: TagUsage) -> str:
    return f"Removed **{usage.tag.name}**."


def renamed_text(renamed: Renamed) -> str:
    kept = f" “{renamed.old_name}” still finds it." if renamed.kept_alias else ""
    return f"Renamed **{renamed.old_name}** to **{renamed.tag.name}**.{kept}"


def merged_text(merged: Merged) -> str:
    return (
        f"Merged **{merged.source}** into **{merged.target.name}**: "
        f"{plural(merged.members_moved, 'member')} moved, "
        f"and “{merged.source}” now finds {merged.target.name}."
    )


def preset_text(result: PresetApplied) -> str:
    if not result.changed:
        return f"The **{result.preset}** preset is already in place; nothing changed."
    text = (
        f"Applied **{result.preset}**: "
        f"{plural(result.categories_added, 'category', 'categories')}, "
        f"{plural(result.tags_added, 'tag')} and "
        f"{plural(result.aliases_added, 'alias', 'aliases')} added."
    )
    if result.skipped:
        shown = ", ".join(result.skipped[:10])
        text += f" Skipped (name already in use): {shown}."
    return text


def review_text(pending: Sequence[Suggestion], *, waiting: int = 0, offset: int = 0) -> str:
    """One page of the queue: who suggested each and when, and how many others wait."""
    if not pending:
        return "No tag suggestions are waiting for review."
    lines = [_review_line(s) for s in pending]
    text = "**Tag suggestions waiting for review**\n" + "\n".join(lines)
    waiting = max(waiting, offset + len(pending))
    if waiting > len(pending):
        shown = f"{offset + 1}–{offset + len(pending)}"
        others = waiting - len(pending)
        text += f"\nShowing {shown} of {waiting}: {others} more waiting."
    return text


def _review_line(suggestion: Suggestion) -> str:
    where = f" in {suggestion.category}" if suggestion.category else ""
    when = f"<t:{int(suggestion.created_at.timestamp())}:d>"
    return (
        f"`#{suggestion.id}` **{suggestion.name}**{where} · from <@{suggestion.user_id}> · {when}"
    )


def decision_text(decision: SuggestionDecision) -> str:
    name = decision.suggestion.name
    if not decision.approved:
        return f"Rejected “{name}”. I'll let the member know."
    assert decision.tag is not None
    if decision.as_alias:
        return f"“{name}” now finds **{decision.tag.name}**. I'll let the member know."
    return f"Approved **{decision.tag.name}** ({decision.tag.category}). I'll let the member know."


def picker_posted_text(channel: discord.abc.GuildChannel, messages: int) -> str:
    return (
        f"Posted the picker in {channel.mention} ({plural(messages, 'message')}). Its menus keep "
        "working after restarts; post it again after changing the vocabulary."
    )
