"""Per-feature report sources: what each feature counts for ``/setup report``.

A source takes the unit of work, the server and the window and returns its feature's
:class:`Contribution` (lines keyed as in ``bot.domain.reports.LAYOUT``, weekly series keyed as
in ``SERIES``). A feature's manifest names its sources (``Feature.report_sources``);
a feature without one simply has no lines in the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.domain.introductions import RequestState
from bot.domain.reports import TOP_TAGS, Contribution, Measure, Window
from bot.storage.unit_of_work import UnitOfWork

Source = Callable[[UnitOfWork, int, Window], Awaitable[Contribution]]


async def tags_source(uow: UnitOfWork, guild_id: int, window: Window) -> Contribution:
    return Contribution(
        lines={
            "members_tagged": Measure(await uow.member_tags.members_tagged(guild_id)),
            "members_newly_tagged": Measure(
                await uow.member_tags.members_tagging(guild_id, window.start, window.end)
            ),
        },
        top_tags=await uow.member_tags.top_tags(guild_id, TOP_TAGS),
    )


async def introductions_source(uow: UnitOfWork, guild_id: int, window: Window) -> Contribution:
    requests = uow.intro_requests
    requested = await requests.requested_times(guild_id, window.start, window.end)
    accepted = await requests.decided_times(
        guild_id, RequestState.ACCEPTED, window.start, window.end
    )
    reported = await requests.decided_times(
        guild_id, RequestState.REPORTED, window.start, window.end
    )
    return Contribution(
        lines={
            "intros_requested": Measure(len(requested)),
            "intros_accepted": Measure(len(accepted)),
            "intro_reports": Measure(len(reported)),
        },
        weekly={"intros_accepted": window.weekly_counts(accepted)},
    )


async def icebreakers_source(uow: UnitOfWork, guild_id: int, window: Window) -> Contribution:
    posted = await uow.icebreakers.posted_slots(guild_id, window.start, window.end)
    return Contribution(
        lines={"icebreakers_posted": Measure(len(posted))},
        weekly={"prompts_posted": window.weekly_counts(posted)},
    )


async def snoozes_source(uow: UnitOfWork, guild_id: int, window: Window) -> Contribution:
    return Contribution.counts(
        snoozes=await uow.members.snoozes_started(guild_id, window.start, window.end)
    )


async def mentorship_source(uow: UnitOfWork, guild_id: int, window: Window) -> Contribution:
    start, end = window.start, window.end
    requests, matches = uow.mentor_requests, uow.mentor_matches
    matched = await requests.matched_times(guild_id, start, end)
    return Contribution(
        lines={
            "mentor_requests_opened": Measure(
                await requests.count_requests_opened(guild_id, start, end)
            ),
            "mentor_requests_matched": Measure(len(matched)),
            "mentorships_completed": Measure(await matches.count_completed(guild_id, start, end)),
            "fit_check_rematches": Measure(await matches.count_rematches(guild_id, start, end)),
            "median_time_to_match": Measure.median_of(
                await requests.match_durations(guild_id, start, end)
            ),
        },
        weekly={"mentor_matches": window.weekly_counts(matched)},
    )


async def events_source(uow: UnitOfWork, guild_id: int, window: Window) -> Contribution:
    return Contribution.counts(
        event_attendance=await uow.events.count_attendance(guild_id, window.start, window.end)
    )


async def rounds_source(uow: UnitOfWork, guild_id: int, window: Window) -> Contribution:
    met = await uow.rounds.met_times(guild_id, window.start, window.end)
    return Contribution(
        lines={
            "round_groups": Measure(
                await uow.rounds.count_groups(guild_id, window.start, window.end)
            ),
            "round_met": Measure(len(met)),
        },
        weekly={"round_meetings": window.weekly_counts(met)},
    )
