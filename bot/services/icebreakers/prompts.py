"""The server's prompt pool: moderators add, remove and import packs; members suggest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.delivery import Delivery
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.icebreakers import clean_prompt, prompt_key
from bot.domain.tags import server_label
from bot.domain.text import safe_echo
from bot.services.moderation_log import log_moderator_action
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork
from config.icebreaker_packs import IcebreakerPack, available_icebreaker_packs, load_icebreaker_pack

MAX_PENDING_PER_MEMBER = 3
REVIEW_PAGE = 4


@dataclass(frozen=True)
class Prompt:
    id: int
    text: str
    source: str


@dataclass(frozen=True)
class PendingSuggestion:
    id: int
    user_id: int
    text: str
    created_at: datetime


class IcebreakerPrompts:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        packs: Callable[[str], IcebreakerPack] = load_icebreaker_pack,
        pack_names: Callable[[], list[str]] = available_icebreaker_packs,
    ) -> None:
        self.db = db
        self.clock = clock
        self._load_pack = packs
        self.pack_names = pack_names

    async def add(self, guild_id: int, text: str, *, actor_id: int) -> Prompt:
        clean = clean_prompt(text)
        now = self.clock.now()
        async with self.db.transaction() as uow:
            added = await uow.icebreakers.add_prompts(
                guild_id, [(clean, prompt_key(clean))], source="moderator", by=actor_id, now=now
            )
            if not added:
                raise Conflict("That prompt is already in this server's pool.")
            prompt = next(p for p in await uow.icebreakers.prompts(guild_id) if p[1] == clean)
            await log_moderator_action(
                uow, guild_id, actor_id, f"added icebreaker prompt {prompt[0]}.", now=now
            )
        return Prompt(*prompt)

    async def remove(self, guild_id: int, prompt_id: int, *, actor_id: int) -> Prompt:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            found = await uow.icebreakers.prompt(guild_id, prompt_id)
            if found is None or not await uow.icebreakers.remove_prompt(guild_id, prompt_id):
                raise NotFound(f"There is no prompt {prompt_id} in this server.")
            await log_moderator_action(
                uow, guild_id, actor_id, f"removed icebreaker prompt {prompt_id}.", now=now
            )
        return Prompt(found[0], found[1], "")

    async def pool(self, guild_id: int) -> list[Prompt]:
        async with self.db.read() as uow:
            return [Prompt(*row) for row in await uow.icebreakers.prompts(guild_id)]

    async def import_pack(self, guild_id: int, name: str, *, actor_id: int) -> tuple[str, int]:
        """Add a built-in pack's prompts (those not already in the pool); (title, how many)."""
        try:
            pack = self._load_pack(name)
        except LookupError:
            names = ", ".join(self.pack_names())
            raise InvalidInput(
                f"There is no pack called “{safe_echo(name)}”. Use one of: {names}."
            ) from None
        now = self.clock.now()
        async with self.db.transaction() as uow:
            added = await uow.icebreakers.add_prompts(
                guild_id,
                [(text, prompt_key(text)) for text in pack.prompts],
                source=f"pack:{pack.name}",
                by=actor_id,
                now=now,
            )
            await log_moderator_action(
                uow,
                guild_id,
                actor_id,
                f"imported the **{pack.title}** icebreaker pack ({added} new prompts).",
                now=now,
            )
        return pack.title, added

    # -- suggestions ----------------------------------------------------------------------------

    async def suggest(self, guild_id: int, user_id: int, text: str) -> None:
        clean = clean_prompt(text)
        now = self.clock.now()
        async with self.db.transaction() as uow:
            await _refuse_repeat(uow, guild_id, user_id, clean)
            if await uow.icebreakers.pending_by(guild_id, user_id) >= MAX_PENDING_PER_MEMBER:
                raise Conflict(
                    f"You have {MAX_PENDING_PER_MEMBER} suggestions waiting for review; please "
                    "wait for the moderators before suggesting more."
                )
            await uow.icebreakers.add_suggestion(guild_id, user_id, clean, now=now)

    async def pending(self, guild_id: int, offset: int = 0) -> tuple[list[PendingSuggestion], int]:
        async with self.db.read() as uow:
            rows = await uow.icebreakers.pending_suggestions(
                guild_id, limit=REVIEW_PAGE, offset=offset
            )
            total = await uow.icebreakers.pending_count(guild_id)
        return [PendingSuggestion(*row) for row in rows], total

    async def decide(
        self, guild_id: int, suggestion_id: int, *, approve: bool, actor_id: int, guild_name: str
    ) -> str:
        """Approve (into the pool) or reject; the suggester hears the outcome by DM."""
        now = self.clock.now()
        state = "approved" if approve else "rejected"
        async with self.db.transaction() as uow:
            decided = await uow.icebreakers.decide_suggestion(
                guild_id, suggestion_id, state, by=actor_id, now=now
            )
            if decided is None:
                raise Conflict("That suggestion was already decided.")
            user_id, text = decided
            if approve:
                await uow.icebreakers.add_prompts(
                    guild_id, [(text, prompt_key(text))], source="suggestion", by=user_id, now=now
                )
            await log_moderator_action(
                uow, guild_id, actor_id, f"{state} icebreaker suggestion {suggestion_id}.", now=now
            )
            await uow.outbox.enqueue(
                Delivery.dm(
                    f"icebreaker-suggestion:{suggestion_id}:outcome",
                    user_id,
                    {"content": _outcome_text(approve, guild_name)},
                    guild_id=guild_id,
                    subject_user_id=user_id,
                ),
                now=now,
            )
        return text


def _outcome_text(approved: bool, guild_name: str) -> str:
    where = f"**{server_label(guild_name)}**"
    if approved:
        return f"Thanks for your icebreaker suggestion in {where}: it's in the rotation now."
    return (
        f"Thanks for your icebreaker suggestion in {where}. The moderators decided not to use "
        "it this time."
    )


async def _refuse_repeat(uow: UnitOfWork, guild_id: int, user_id: int, clean: str) -> None:
    """The same prompt (the pool's key: case and spacing aside) is queued once, not twice."""
    key = prompt_key(clean)
    for suggester, text in await uow.icebreakers.pending_suggestion_texts(guild_id):
        if prompt_key(text) == key:
            who = "You already suggested" if suggester == user_id else "Someone already suggested"
            raise Conflict(f"{who} that icebreaker; it is waiting for review.")
