"""Running one intro round inside the caller's transaction: who is eligible, grouping, threads.

A round is claimed first (``rounds.source_key`` is unique), so a slot or an event runs exactly
once; the groups, their threads (outbox CREATE_THREAD with the members added), the DMs to anyone
who could not be grouped and to new ghosts are written in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from bot.domain.delivery import Delivery
from bot.domain.ranking import RankingIndex
from bot.domain.rounds.grouping import Grouping, Participant, group_members
from bot.domain.rounds.rules import RoundSchedule, checkin_time, is_ghost, thread_name
from bot.services.moderation_log import log_bot_notice
from bot.services.rounds import messages
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

THREAD_HANDLER = "rounds.thread"


@dataclass(frozen=True)
class RoundPlan:
    """What to run: where, for whom (``member_ids`` None: the schedule's participants)."""

    guild_id: int
    channel_id: int
    source_key: str
    label: str
    group_size: int
    schedule: RoundSchedule | None = None
    slot: datetime | None = None
    member_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class RoundResult:
    round_id: int
    groups: int
    unplaced: int


def group_key(round_id: int, group_id: int) -> str:
    return f"round:{round_id}:group:{group_id}"


def unplaced_key(round_id: int, user_id: int) -> str:
    return f"round:{round_id}:unplaced:{user_id}"


async def run_round(
    uow: UnitOfWork, plan: RoundPlan, index: RankingIndex, *, guild_name: str, now: datetime
) -> RoundResult | None:
    """Run the round once; None if its source (slot, event) already ran."""
    round_id = await uow.rounds.claim_round(
        {
            "guild_id": plan.guild_id,
            "schedule_id": plan.schedule.id if plan.schedule else None,
            "slot": plan.slot,
            "source_key": plan.source_key,
            "channel_id": plan.channel_id,
            "label": plan.label[:100],
            "group_size": plan.group_size,
            "created_at": now,
        }
    )
    if round_id is None:
        return None
    eligible = await _eligible(uow, plan, index, round_id, guild_name=guild_name, now=now)
    grouping = await _group(uow, plan, index, eligible, now)
    for group in grouping.groups:
        await _open_thread(uow, plan, round_id, group, index, guild_name=guild_name, now=now)
    for user_id, reason in grouping.unplaced.items():
        message = messages.unplaced_dm(reason, guild_name=guild_name, label=plan.label)
        await uow.outbox.enqueue(
            Delivery.dm(unplaced_key(round_id, user_id), user_id, message, guild_id=plan.guild_id),
            now=now,
        )
    ran_at = plan.slot or now
    rec = plan.schedule.recurrence if plan.schedule else None
    await uow.rounds.update_round(
        round_id, unplaced=len(grouping.unplaced), checkin_at=checkin_time(rec, ran_at)
    )
    if grouping.unplaced:
        await log_bot_notice(
            uow,
            plan.guild_id,
            f"Intro round “{plan.label}” in <#{plan.channel_id}>: {len(grouping.groups)} groups; "
            f"{len(grouping.unplaced)} member(s) could not be grouped and were told why.",
            now=now,
        )
    log.info(
        "Guild %s: round %s, %s groups, %s unplaced",
        plan.guild_id,
        round_id,
        len(grouping.groups),
        len(grouping.unplaced),
    )
    return RoundResult(round_id, len(grouping.groups), len(grouping.unplaced))


async def _eligible(
    uow: UnitOfWork,
    plan: RoundPlan,
    index: RankingIndex,
    round_id: int,
    *,
    guild_name: str,
    now: datetime,
) -> list[int]:
    """Joined (or named), discoverable, not snoozed, of the tag; skips and ghosts sit out.
    The consent rule comes first: nobody outside it is told anything (ghost DMs included)."""
    if plan.member_ids is not None:
        return await _consenting(uow, plan, index, list(dict.fromkeys(plan.member_ids)), now)
    schedule_id = plan.schedule.id if plan.schedule else None
    joined = await uow.rounds.participants(plan.guild_id, schedule_id)
    present = set(await _consenting(uow, plan, index, [p.user_id for p in joined], now))
    candidates, skipping, ghosts = [], [], []
    for p in joined:
        if p.user_id not in present or p.ghost:
            continue
        if p.paused_until is not None and p.paused_until > now:
            continue
        if p.skip_next:
            skipping.append(p.user_id)
        elif is_ghost(await uow.rounds.last_answers(plan.guild_id, p.user_id, p.counted_since)):
            ghosts.append(p.user_id)
        else:
            candidates.append(p.user_id)
    await uow.rounds.set_state(plan.guild_id, skipping, skip_next=False)
    await _new_ghosts(uow, plan.guild_id, ghosts, round_id, guild_name=guild_name, now=now)
    return candidates


async def _consenting(
    uow: UnitOfWork, plan: RoundPlan, index: RankingIndex, user_ids: list[int], now: datetime
) -> list[int]:
    records = await uow.members.many(plan.guild_id, user_ids)
    tag = plan.schedule.tag_id if plan.schedule else None
    return [
        u
        for u in user_ids
        if u in records
        and records[u].departed_at is None  # left the server (10007): nobody to meet
        and records[u].standing.visible(now)
        and (tag is None or tag in index.tags_of(u))
    ]


async def _new_ghosts(
    uow: UnitOfWork,
    guild_id: int,
    ghosts: Sequence[int],
    round_id: int,
    *,
    guild_name: str,
    now: datetime,
) -> None:
    """Left out from now on, and told once (the DM's buttons bring them back)."""
    await uow.rounds.set_state(guild_id, ghosts, ghost=True)
    for user_id in ghosts:
        await uow.outbox.enqueue(
            Delivery.dm(
                f"round:{round_id}:ghost:{user_id}",
                user_id,
                messages.ghost_dm(guild_id, guild_name=guild_name),
                guild_id=guild_id,
            ),
            now=now,
        )


async def _group(
    uow: UnitOfWork, plan: RoundPlan, index: RankingIndex, eligible: list[int], now: datetime
) -> Grouping:
    guild_id = plan.guild_id
    forbidden = {frozenset(p) for p in await uow.blocks.pairs_in(guild_id)}
    forbidden |= await uow.intro_requests.introduced_pairs(guild_id)
    if plan.schedule is not None:
        forbidden |= await uow.rounds.recent_pairs(plan.schedule.id, plan.schedule.cooldown_rounds)
    people = [Participant(u, frozenset(index.tags_of(u))) for u in eligible]
    weights = {t: index.weight(t) for p in people for t in p.tags}
    return group_members(
        people,
        weights,
        forbidden,
        group_size=plan.group_size,
        seed=plan.source_key,
        met_before=await uow.rounds.pairs_in(guild_id),
    )


async def _open_thread(
    uow: UnitOfWork,
    plan: RoundPlan,
    round_id: int,
    group: Sequence[int],
    index: RankingIndex,
    *,
    guild_name: str,
    now: datetime,
) -> None:
    group_id = await uow.rounds.add_group(round_id, plan.guild_id, group)
    shared = await _shared_names(uow, plan.guild_id, index, group)
    # In a trio or more with nothing in common to all, what each pair shares is still a start.
    pairs = []
    if not shared and len(group) > 2:
        for first, second in combinations(group, 2):
            names = await _shared_names(uow, plan.guild_id, index, (first, second))
            if names:
                pairs.append((first, second, names))
    profiles = {u: await uow.profiles.get(plan.guild_id, u) for u in group}
    opening = messages.opening(
        group,
        guild_name=guild_name,
        label=plan.label,
        profiles=profiles,
        shared=shared,
        pairs=pairs,
    )
    await uow.outbox.enqueue(
        Delivery.thread(
            group_key(round_id, group_id),
            plan.channel_id,
            name=thread_name(plan.label),
            private=True,
            member_ids=tuple(group),
            message=opening,
            guild_id=plan.guild_id,
            outcome_handler=THREAD_HANDLER,
        ),
        now=now,
    )


async def _shared_names(
    uow: UnitOfWork, guild_id: int, index: RankingIndex, members: Sequence[int]
) -> list[str]:
    """The tags every one of ``members`` holds, the most telling (rarest) first."""
    common = set(index.tags_of(members[0]))
    for user_id in members[1:]:
        common &= set(index.tags_of(user_id))
    tags = await uow.vocabulary.tags_by_ids(guild_id, common)
    return [t.name for t in sorted(tags, key=lambda t: (-index.weight(t.id), t.name))]
