"""What features ask the delivery layer to do, as plain data (ARCHITECTURE rule 9).

A feature builds a :class:`Delivery` and enqueues it in the same transaction as its own state
change. Messages are Discord's JSON message shape (``content``, ``embeds``, ``components``);
the sender always forces ``allowed_mentions`` so nothing can ping.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]


class DeliveryKind(enum.StrEnum):
    SEND_DM = "send_dm"  # target: a user id
    POST_MESSAGE = "post_message"  # target: a channel or thread id
    CREATE_THREAD = "create_thread"  # target: the parent channel id
    EDIT_MESSAGE = "edit_message"  # target: a channel id, with message_id
    UPDATE_THREAD = "update_thread"  # target: a thread id (archive, lock)


class DeliveryState(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class FailureReason(enum.StrEnum):
    DMS_CLOSED = "dms_closed"  # 50007, or still inside the cool-off after one
    QUARANTINED = "quarantined"  # the app may not DM anyone at the moment
    FORBIDDEN = "forbidden"  # 50013/50001: the bot lacks a permission
    NOT_FOUND = "not_found"  # the channel, thread or message is gone
    REJECTED = "rejected"  # Discord refused the payload (a bug on our side)
    GAVE_UP = "gave_up"  # too many transient failures
    CANCELLED = "cancelled"  # the feature withdrew it (consent changed)
    QUIET = "quiet"  # a prompt skipped: nobody posted since the previous one
    THREAD_LIMIT = "thread_limit"  # 160006, for an item that asked not to wait (see below)


@dataclass(frozen=True)
class Delivery:
    key: str
    kind: DeliveryKind
    target_id: int
    payload: dict[str, Any]
    guild_id: int | None = None
    subject_user_id: int | None = None
    outcome_handler: str | None = None

    @property
    def recipient(self) -> str:
        """The ordering lane: items for one user or one channel leave one at a time."""
        prefix = "user" if self.kind is DeliveryKind.SEND_DM else "channel"
        return f"{prefix}:{self.target_id}"

    @classmethod
    def dm(cls, key: str, user_id: int, message: Message, **extra: Any) -> Delivery:
        return cls(key, DeliveryKind.SEND_DM, user_id, {"message": message}, **extra)

    @classmethod
    def post(cls, key: str, channel_id: int, message: Message, **extra: Any) -> Delivery:
        return cls(key, DeliveryKind.POST_MESSAGE, channel_id, {"message": message}, **extra)

    @classmethod
    def thread(
        cls,
        key: str,
        parent_id: int,
        *,
        name: str,
        private: bool,
        member_ids: tuple[int, ...] = (),
        message: Message | None = None,
        **extra: Any,
    ) -> Delivery:
        payload = {
            "name": name[:100],
            "private": private,
            "member_ids": list(member_ids),
            "message": message,
        }
        return cls(key, DeliveryKind.CREATE_THREAD, parent_id, payload, **extra)

    @classmethod
    def edit(
        cls, key: str, channel_id: int, message_id: int, message: Message, **extra: Any
    ) -> Delivery:
        payload = {"message_id": message_id, "message": message}
        return cls(key, DeliveryKind.EDIT_MESSAGE, channel_id, payload, **extra)

    @classmethod
    def update_thread(
        cls, key: str, thread_id: int, *, archived: bool, locked: bool, **extra: Any
    ) -> Delivery:
        payload = {"archived": archived, "locked": locked}
        return cls(key, DeliveryKind.UPDATE_THREAD, thread_id, payload, **extra)


@dataclass(frozen=True)
class Outcome:
    """What happened to a delivery, told to the feature that enqueued it."""

    item_id: int
    key: str
    kind: DeliveryKind
    target_id: int
    guild_id: int | None
    sent: bool
    failure: FailureReason | None = None
    result: dict[str, Any] = field(default_factory=dict)  # e.g. message_id, thread_id


def nonce_for(key: str, step: str = "") -> str:
    """Discord's ``nonce`` (≤ 25 chars) for a message, stable across retries and restarts."""
    return hashlib.blake2b(f"{key}|{step}".encode(), digest_size=12).hexdigest()[:25]


# -- what to do when Discord says no ------------------------------------------------------------

QUARANTINE_CODE = 20026  # "the bot is quarantined" (dis.gd/app-quarantine)
DMS_CLOSED_CODE = 50007  # "Cannot send messages to this user"
DM_OPENS_TOO_FAST_CODE = 40003
MAX_ACTIVE_THREADS_CODE = 160006
MAX_ATTEMPTS = 8
# A CREATE_THREAD payload flag: on 160006 fail at once instead of waiting for threads to close
# (a claimed mentorship must not sit half-made; the feature undoes it and tells moderators).
GIVE_UP_ON_THREAD_LIMIT = "give_up_on_thread_limit"


class Reaction(enum.Enum):
    RETRY = "retry"  # transient: rate limit, 5xx, connection
    DMS_CLOSED = "dms_closed"
    PAUSE_DM_OPENS = "pause_dm_opens"
    STOP_DMS = "stop_dms"
    FAIL = "fail"


def react_to(status: int, code: int) -> tuple[Reaction, FailureReason | None]:
    """How the sender answers an error from Discord: ``(reaction, failure if final)``."""
    if status == 0 or status == 429 or status >= 500:
        return Reaction.RETRY, None
    if code == QUARANTINE_CODE:
        return Reaction.STOP_DMS, None
    if code == DMS_CLOSED_CODE:
        return Reaction.DMS_CLOSED, FailureReason.DMS_CLOSED
    if code == DM_OPENS_TOO_FAST_CODE:
        return Reaction.PAUSE_DM_OPENS, None
    if code == MAX_ACTIVE_THREADS_CODE:
        return Reaction.RETRY, None
    if status in (401, 403):
        return Reaction.FAIL, FailureReason.FORBIDDEN
    if status == 404:
        return Reaction.FAIL, FailureReason.NOT_FOUND
    return Reaction.FAIL, FailureReason.REJECTED


def backoff_seconds(attempts: int, *, base: float = 2.0, cap: float = 600.0) -> float:
    """Exponential backoff for transient failures: 2, 4, 8 … seconds, at most ``cap``."""
    return min(cap, base * 2 ** max(0, attempts - 1))
