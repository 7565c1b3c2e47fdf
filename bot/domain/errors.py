"""Domain errors: each carries the sentence a member or moderator should read."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. ``str(error)`` is a friendly, complete sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The user gave a value the bot cannot accept; nothing was changed."""


class NotFound(DomainError):
    """The thing the user named does not exist (in this server)."""


class Conflict(DomainError):
    """The action clashes with the current state (already done, limit reached)."""
