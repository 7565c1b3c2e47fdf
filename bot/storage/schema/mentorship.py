"""Mentorship: mentors' offers, mentees' requests, who was told of a request, and the matches.

The shape of the flow is in the columns, so every job reads what is due from the database:
- a request is ``open`` until claimed, cancelled or expired; ``routed_wave`` 0 means "route it now"
  (a new request, or one sent back after a poor fit), and ``opened_at`` drives the 3-day
  escalation and the 14-day expiry;
- ``mentor_request_mentors`` remembers every mentor told of a request (and those excluded after a
  poor fit), so a request is never routed to the same mentor twice;
- a match is ``opening`` while its private thread is being created (capacity is taken, the request
  is not claimable), ``active`` once the thread exists, ``closed`` at the end; the ``*_at`` columns
  of a match record which of its scheduled steps already happened, exactly once each.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from bot.storage.schema.base import metadata

mentor_profiles = Table(
    "mentor_profiles",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("capacity", Integer, nullable=False),  # 1–5 mentees at once
    Column("note", Text, nullable=True),
    Column("paused", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("guild_id", "user_id", name="pk_mentor_profiles"),
)

# A server's mentorship settings (/setup mentorship): who may offer to mentor.
mentor_settings = Table(
    "mentor_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("require_role_id", BigInteger, nullable=True),  # None: anyone may offer
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", BigInteger, nullable=True),
)

# The topics a mentor chose; none means "all my tags".
mentor_topics = Table(
    "mentor_topics",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("tag_id", Integer, nullable=False),
    PrimaryKeyConstraint("guild_id", "user_id", "tag_id", name="pk_mentor_topics"),
)

mentor_requests = Table(
    "mentor_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("mentee_id", BigInteger, nullable=False),
    Column("tag_id", Integer, nullable=False),
    Column("goals", Text, nullable=False),
    Column("term_months", Integer, nullable=False),  # 3, 6 or 12
    Column("background", Text, nullable=True),
    Column("status", String(16), nullable=False),  # open, matched, cancelled, expired, closed
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),  # reset when routed again
    Column("routed_wave", Integer, nullable=False),  # 0: to route now; 1: first mentors told; …
    Column("escalated_at", DateTime(timezone=True), nullable=True),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("card_channel_id", BigInteger, nullable=True),
    Column("card_message_id", BigInteger, nullable=True),
    Column("card_key", String(100), nullable=True),  # the outbox key of the current card
    Index("ix_mentor_requests_guild_mentee", "guild_id", "mentee_id"),
    Index("ix_mentor_requests_status", "status", "opened_at"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

mentor_request_mentors = Table(
    "mentor_request_mentors",
    metadata,
    Column(
        "request_id",
        Integer,
        ForeignKey("mentor_requests.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("guild_id", BigInteger, nullable=False),
    Column("mentor_id", BigInteger, nullable=False),
    Column("wave", Integer, nullable=False),
    Column("notified_at", DateTime(timezone=True), nullable=True),
    Column("excluded", Boolean, nullable=False),  # a past poor fit: never routed to again
    PrimaryKeyConstraint("request_id", "mentor_id", name="pk_mentor_request_mentors"),
    Index("ix_mentor_request_mentors_mentor", "guild_id", "mentor_id"),
)

mentor_matches = Table(
    "mentor_matches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column(
        "request_id",
        Integer,
        ForeignKey("mentor_requests.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("mentor_id", BigInteger, nullable=False),
    Column("mentee_id", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),  # opening, active, closed
    Column("matched_at", DateTime(timezone=True), nullable=False),
    Column("term_ends_at", DateTime(timezone=True), nullable=False),
    Column("thread_id", BigInteger, nullable=True),
    Column("fit_check_sent_at", DateTime(timezone=True), nullable=True),
    Column("next_checkin_at", DateTime(timezone=True), nullable=True),
    Column("end_reminder_sent_at", DateTime(timezone=True), nullable=True),
    Column("term_end_prompted_at", DateTime(timezone=True), nullable=True),
    Column("extend_by_mentor", Boolean, nullable=False),
    Column("extend_by_mentee", Boolean, nullable=False),
    Column("extensions", Integer, nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("outcome", String(16), nullable=True),  # completed, withdrawn, poor_fit
    Column("closed_by", BigInteger, nullable=True),  # a party who pressed Close; None: the bot
    Index("ix_mentor_matches_guild_mentor", "guild_id", "mentor_id", "status"),
    Index("ix_mentor_matches_guild_mentee", "guild_id", "mentee_id"),
    Index("ix_mentor_matches_status", "status"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

mentor_fit_answers = Table(
    "mentor_fit_answers",
    metadata,
    Column(
        "match_id", Integer, ForeignKey("mentor_matches.id", ondelete="CASCADE"), nullable=False
    ),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("answer", String(16), nullable=False),  # good, unsure, poor
    Column("answered_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("match_id", "user_id", name="pk_mentor_fit_answers"),
)

mentor_checkins = Table(
    "mentor_checkins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "match_id", Integer, ForeignKey("mentor_matches.id", ondelete="CASCADE"), nullable=False
    ),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),  # who recorded it
    Column("note", Text, nullable=False),
    Column("minutes", Integer, nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_mentor_checkins_match", "match_id"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

mentor_feedback = Table(
    "mentor_feedback",
    metadata,
    Column(
        "match_id", Integer, ForeignKey("mentor_matches.id", ondelete="CASCADE"), nullable=False
    ),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("rating", Integer, nullable=False),  # 1–5
    Column("comment", Text, nullable=True),  # moderators only
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("match_id", "user_id", name="pk_mentor_feedback"),
)
