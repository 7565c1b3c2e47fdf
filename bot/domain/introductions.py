"""Double opt-in introductions: the request's life, the budgets, and the neutral answer.

A request is *held* (never shown to the target) when the consent rule or the target's side of
the budgets says no: the target is not discoverable, snoozed, blocked either way, already has
enough waiting, or declined this requester before (and has not asked them since). The requester
cannot tell a held request from an ignored one: both get the same neutral answer now, and the
same "it didn't work out this time" at the request's expiry. A decline is told at expiry too,
so its timing reveals nothing. Limits that concern only the requester's own behaviour (how many
they have waiting or sent today, asking the same person again within the cool-down) are refused
with a clear reason, since they reveal nothing about the target.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import Conflict, InvalidInput
from bot.domain.settings import GuildDefaults
from bot.domain.text import clean_free_text, neutralise_mentions

NOTE_LIMIT = 300
DAY = timedelta(days=1)


class RequestState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REPORTED = "reported"  # declined, the requester blocked and reported to moderators
    WITHDRAWN = "withdrawn"  # by the requester
    CANCELLED = "cancelled"  # consent changed (opt-out, block, deletion)
    EXPIRED = "expired"
    # The target deleted their data: kept only until the requester hears the neutral ending
    # at expiry (then removed), so a deletion looks exactly like a decline.
    FORGOTTEN = "forgotten"


# Ended for the target, but the requester still sees "waiting" until the request expires.
QUIETLY_ENDED = frozenset(
    {
        RequestState.DECLINED,
        RequestState.REPORTED,
        RequestState.CANCELLED,
        RequestState.FORGOTTEN,
    }
)


@dataclass(frozen=True)
class IntroRequest:
    id: int
    guild_id: int
    requester_id: int
    target_id: int
    note: str | None
    state: RequestState
    delivered: bool
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None = None
    requester_told_at: datetime | None = None
    # Accepted, but neither a DM nor the fallback thread could deliver the introduction yet.
    undelivered_since: datetime | None = None

    @property
    def waiting_for_requester(self) -> bool:
        """What the requester sees as "waiting": not accepted, not told, not withdrawn."""
        return self.requester_told_at is None and (
            self.state is RequestState.PENDING or self.state in QUIETLY_ENDED
        )

    @property
    def waiting_for_target(self) -> bool:
        return self.state is RequestState.PENDING and self.delivered

    def due_for_the_neutral_ending(self, at: datetime) -> bool:
        return self.waiting_for_requester and at >= self.expires_at


@dataclass(frozen=True)
class PairHistory:
    """What the service read about the requester, the target and the two of them."""

    requester_waiting: int  # the requester's requests still "waiting" from their side
    requester_sent_today: int  # requests the requester made in the last 24 hours
    target_incoming: int  # requests the target has been shown and not yet answered
    last_request: IntroRequest | None  # the requester's latest request to this target
    target_declined_requester: bool  # a decline or report, not followed by a request back
    target_asked_requester: bool  # the target has a request waiting for the requester
    introduced_at: datetime | None  # when the two were introduced (either direction)


def check_requester_side(
    requester_id: int, target_id: int, history: PairHistory, defaults: GuildDefaults, at: datetime
) -> None:
    """Refuse, with the reason, what depends only on the requester's own actions."""
    if requester_id == target_id:
        raise InvalidInput("You can't request an introduction to yourself.")
    if history.introduced_at is not None:
        raise Conflict(
            f"You two were already introduced on {history.introduced_at:%B %-d, %Y}. "
            "Your introduction DM has their contact details."
        )
    if history.target_asked_requester:
        raise Conflict("They have already asked to meet you: accept it in /intro pending.")
    last = history.last_request
    if last is not None and last.waiting_for_requester:
        raise Conflict("You already have a request waiting with them: see /intro pending.")
    if last is not None and at - last.created_at < timedelta(days=defaults.pair_cooldown_days):
        again = last.created_at + timedelta(days=defaults.pair_cooldown_days)
        raise Conflict(
            f"You asked them on {last.created_at:%B %-d}; you can ask again from {again:%B %-d}."
        )
    if history.requester_waiting >= defaults.max_outgoing_pending:
        raise Conflict(
            f"You have {defaults.max_outgoing_pending} requests waiting for an answer. Withdraw "
            "one in /intro pending, or wait for them to be answered or to expire."
        )
    if history.requester_sent_today >= defaults.max_requests_per_day:
        raise Conflict(
            f"You have sent {defaults.max_requests_per_day} requests in the last 24 hours; "
            "please try again tomorrow."
        )


def target_may_be_asked(history: PairHistory, defaults: GuildDefaults, *, consent: bool) -> bool:
    """Is the request shown to the target, or held? ``consent`` is the consent rule's answer."""
    return (
        consent
        and not history.target_declined_requester
        and history.target_incoming < defaults.max_incoming_pending
    )


def neutral_answer(expiry_days: int) -> str:
    """The requester's answer, the same whatever the target's state (PRODUCT: consent rules)."""
    return (
        "Your request is on its way. If they accept, you'll both get an introduction by DM. "
        f"Requests close after {expiry_days} days; if that happens without a yes, you'll hear "
        "that it didn't work out this time."
    )


def clean_note(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = neutralise_mentions(clean_free_text(text[: NOTE_LIMIT * 4]))
    if len(cleaned) > NOTE_LIMIT:
        raise InvalidInput(
            f"A note can be at most {NOTE_LIMIT} characters (that has {len(cleaned)})."
        )
    return cleaned or None


def suggested_opener(shared: Sequence[str]) -> str:
    """A first line for a conversation between two people, from what they share."""
    if not shared:
        return "Say hello and what brought you to this community."
    if len(shared) == 1:
        return f"You both follow {shared[0]}: ask what drew them to it."
    return (
        f"You share {', '.join(shared[:-1])} and {shared[-1]}: ask which of those they'd most "
        "like to talk about."
    )
