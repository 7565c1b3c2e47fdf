"""Members suggest tags; moderators approve (as a tag or an alias) or reject, and everyone who
asked for it hears the outcome by DM in the same transaction.

A new suggestion is noted in the moderation log, so it does not wait for someone to remember
``/setup tags review``. A member asking for a tag someone already suggested joins it as a
supporter instead of being turned away."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.delivery import Delivery
from bot.domain.errors import Conflict, NotFound
from bot.domain.tags import (
    MAX_PENDING_SUGGESTIONS_PER_MEMBER,
    Suggestion,
    SuggestionState,
    Tag,
    clean_name,
    safe_echo,
    spelling_key,
    suggestion_outcome_key,
    suggestion_outcome_text,
    tag_key,
)
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_moderator_action
from bot.services.tags import _steps
from bot.services.tags.index import TagIndexCache, load_index
from bot.services.tags.results import SuggestionDecision
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork


class SuggestionService:
    def __init__(
        self, db: Database, clock: Clock, directory: MemberDirectory, index: TagIndexCache
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.indexes = index

    async def suggest(
        self, guild_id: int, user_id: int, name: str, category: str | None = None
    ) -> Suggestion:
        """The new suggestion, or the waiting one another member made (``user_id`` differs),
        which this member now supports and will hear the outcome of."""
        clean = clean_name(name)
        key = tag_key(clean)
        index = await self.indexes.get(guild_id)
        existing = index.exact(clean)
        if existing is not None:
            raise Conflict(f"**{existing.name}** already exists: add it with /tags add.")
        chosen = index.category(category) if category else None
        if category and chosen is None:
            raise NotFound(
                f"There is no category “{safe_echo(category)}”. Leave it empty if unsure."
            )
        async with self.db.transaction() as uow:
            earlier = await _waiting_alike(uow, guild_id, key)
            if earlier is not None:
                return await self._support(uow, earlier, user_id)
            waiting = await uow.suggestions.pending_count_by(guild_id, user_id)
            if waiting >= MAX_PENDING_SUGGESTIONS_PER_MEMBER:
                raise Conflict(
                    f"You have {MAX_PENDING_SUGGESTIONS_PER_MEMBER} suggestions waiting for "
                    "review; please wait for the moderators before suggesting more."
                )
            now = self.clock.now()
            category_id = chosen.id if chosen else None
            suggestion_id = await uow.suggestions.add(
                guild_id, user_id, clean, key, category_id, now=now
            )
            where = f" in {chosen.name}" if chosen else ""
            await log_moderator_action(
                uow,
                guild_id,
                user_id,
                f"suggested the tag “{clean}”{where}. Review it with `/setup tags review`.",
                now=now,
            )
        return Suggestion(
            suggestion_id,
            guild_id,
            user_id,
            clean,
            category_id,
            chosen.name if chosen else None,
            SuggestionState.PENDING,
            now,
        )

    async def _support(self, uow: UnitOfWork, earlier: Suggestion, user_id: int) -> Suggestion:
        if earlier.user_id == user_id:
            raise Conflict(f"You already suggested “{earlier.name}”; it is waiting for review.")
        await uow.suggestions.add_supporter(earlier, user_id, now=self.clock.now())
        return earlier

    async def pending_suggestions(
        self, guild_id: int, limit: int = 10, offset: int = 0
    ) -> list[Suggestion]:
        async with self.db.read() as uow:
            return await uow.suggestions.pending(guild_id, limit=limit, offset=offset)

    async def pending_count(self, guild_id: int) -> int:
        """How many suggestions wait for review (for /setup show and the review pages)."""
        async with self.db.read() as uow:
            return await uow.suggestions.pending_count(guild_id)

    async def approve_suggestion(
        self,
        guild_id: int,
        suggestion_id: int,
        *,
        actor_id: int,
        guild_name: str,
        category: str | None = None,
        alias_of: str | None = None,
    ) -> SuggestionDecision:
        """Create the tag (or, with ``alias_of``, an alias) and DM the suggester, atomically.

        ``guild_name`` is the server's current name: the DM says which community it is about.
        """
        async with self.db.transaction() as uow:
            suggestion = await _pending(uow, guild_id, suggestion_id)
            if alias_of:
                tag = await self._alias_for(uow, suggestion, alias_of)
            else:
                tag = await self._tag_for(uow, suggestion, category, actor_id)
            decision = SuggestionDecision(suggestion, True, tag, bool(alias_of))
            await self._decide(uow, decision, actor_id, guild_name)
            self.directory.vocabulary_changed(uow, guild_id)
        return decision

    async def reject_suggestion(
        self, guild_id: int, suggestion_id: int, *, actor_id: int, guild_name: str
    ) -> SuggestionDecision:
        async with self.db.transaction() as uow:
            suggestion = await _pending(uow, guild_id, suggestion_id)
            decision = SuggestionDecision(suggestion, False, None, False)
            await self._decide(uow, decision, actor_id, guild_name)
        return decision

    async def _alias_for(self, uow: UnitOfWork, suggestion: Suggestion, alias_of: str) -> Tag:
        """The tag named ``alias_of``, which now also answers to the suggested name."""
        guild_id = suggestion.guild_id
        tag = (await load_index(uow, guild_id)).resolve(alias_of, near_misses=False)
        key = tag_key(suggestion.name)
        if await uow.vocabulary.key_owner(guild_id, key) is None:
            await uow.vocabulary.add_alias(
                guild_id, tag.id, suggestion.name, key, now=self.clock.now()
            )
        return tag

    async def _tag_for(
        self, uow: UnitOfWork, suggestion: Suggestion, category: str | None, actor_id: int
    ) -> Tag:
        """The tag an approved suggestion becomes: an existing one with that name, or a new one."""
        guild_id = suggestion.guild_id
        owner = await uow.vocabulary.key_owner(guild_id, tag_key(suggestion.name))
        if owner is not None:
            existing = await uow.vocabulary.get_tag(guild_id, owner[1])
            assert existing is not None
            return existing
        tag, _ = await _steps.new_tag(
            uow.vocabulary,
            guild_id,
            suggestion.name,
            category or suggestion.category,
            actor_id=actor_id,
            clock=self.clock,
        )
        return tag

    async def _decide(
        self, uow: UnitOfWork, decision: SuggestionDecision, actor_id: int, guild_name: str
    ) -> None:
        """Record the decision, log it for moderators and DM everyone who asked for the tag."""
        suggestion = decision.suggestion
        now = self.clock.now()
        state = SuggestionState.APPROVED if decision.approved else SuggestionState.REJECTED
        tag_id = decision.tag.id if decision.tag else None
        if not await uow.suggestions.decide(
            suggestion.id, state, by=actor_id, now=now, tag_id=tag_id
        ):
            raise Conflict(f"Another moderator already decided on “{suggestion.name}”.")
        await log_moderator_action(
            uow, suggestion.guild_id, actor_id, _decision_log_text(decision), now=now
        )
        text = suggestion_outcome_text(
            suggestion.name,
            guild_name=guild_name,
            approved=decision.approved,
            as_alias_of=decision.tag.name if decision.as_alias and decision.tag else None,
        )
        supporters = await uow.suggestions.supporters(suggestion.id)
        for user_id in [suggestion.user_id, *supporters]:
            await uow.outbox.enqueue(
                Delivery.dm(
                    key=_outcome_key(suggestion, user_id),
                    user_id=user_id,
                    message={"content": text},
                    guild_id=suggestion.guild_id,
                    subject_user_id=user_id,
                ),
                now=now,
            )


async def _waiting_alike(uow: UnitOfWork, guild_id: int, key: str) -> Suggestion | None:
    """The pending suggestion with this key, or one spelled with other separators."""
    earlier = await uow.suggestions.pending_with_key(guild_id, key)
    if earlier is not None:
        return earlier
    wanted = spelling_key(key)
    for suggestion_id, other_key in await uow.suggestions.pending_keys(guild_id):
        if spelling_key(other_key) == wanted:
            return await uow.suggestions.get(guild_id, suggestion_id)
    return None


def _outcome_key(suggestion: Suggestion, user_id: int) -> str:
    """One DM per person: the first suggester keeps the original key, supporters get their own."""
    key = suggestion_outcome_key(suggestion.id)
    return key if user_id == suggestion.user_id else f"{key}:{user_id}"


def _decision_log_text(decision: SuggestionDecision) -> str:
    name = decision.suggestion.name
    if not decision.approved:
        return f"rejected the tag suggestion “{name}”."
    assert decision.tag is not None
    if decision.as_alias:
        return f"approved “{name}” as another name for **{decision.tag.name}**."
    return f"approved the tag suggestion “{name}” as **{decision.tag.name}**."


async def _pending(uow: UnitOfWork, guild_id: int, suggestion_id: int) -> Suggestion:
    suggestion = await uow.suggestions.get(guild_id, suggestion_id)
    if suggestion is None:
        raise NotFound("That suggestion no longer exists.")
    if suggestion.state is not SuggestionState.PENDING:
        raise Conflict(f"The suggestion “{suggestion.name}” was already {suggestion.state.value}.")
    return suggestion
