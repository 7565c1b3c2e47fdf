"""What the control API raises when a test asks for something a Discord client could not do."""

from __future__ import annotations


class SandboxUsageError(Exception):
    """The test asked for something a Discord client could not do."""


class CommandNotFound(SandboxUsageError, LookupError):
    pass


class CommandNotAvailable(SandboxUsageError, PermissionError):
    """The member would not see this command (permissions or context)."""
