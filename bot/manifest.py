"""A feature's manifest: everything it adds to the bot, declared in one object.

The central places (the services container, the unit of work and its member-data list, the
job registry, reports, the channel health check, ``/help`` and the extension list) read the
tuple of manifests in :mod:`bot.features` instead of being edited for each feature. Adding a
feature is its own folders (domain, services, schema and repositories, cogs, tests) plus one
manifest module in ``bot/features/`` and one line in ``FEATURES``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from bot.clock import Clock

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from bot.scheduling import Scheduler
    from bot.services import Services
    from bot.services.delivery import OutcomeHandler, OutcomeRouter
    from bot.services.health import ChannelSource
    from bot.services.reports.sources import Source
    from bot.storage.database import Database

T = TypeVar("T")


class Wiring:
    """What a feature's ``build`` gets: the shared infrastructure and the services built so
    far (features are built in ``FEATURES`` order, so a feature may use those before it)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        outcomes: OutcomeRouter,
        features: tuple[Feature, ...],
        *,
        default_timezone: str,
    ) -> None:
        self.db = db
        self.clock = clock
        self.outcomes = outcomes
        self.features = features
        self.default_timezone = default_timezone
        self.built: dict[str, object] = {}

    def get(self, kind: type[T]) -> T:
        """The one service of this type built so far (a feature listed earlier made it)."""
        found = [service for service in self.built.values() if type(service) is kind]
        if len(found) != 1:
            raise LookupError(f"{kind.__name__} is not built before this feature (see FEATURES)")
        service: T = found[0]
        return service


@dataclass(frozen=True)
class Job:
    """One scheduled-job registration and the fixed job ids it adds (the jobs test reads
    them)."""

    ids: tuple[str, ...]
    register: Callable[[Scheduler, Services], None]


def _nothing(_: Wiring) -> Mapping[str, object]:
    return {}


def _no_handlers(_: Services) -> Mapping[str, OutcomeHandler]:
    return {}


@dataclass(frozen=True)
class Feature:
    """What one feature adds. Every field but ``name`` is optional.

    - ``schema``: its modules in ``bot/storage/schema``; a test fails when a table is in no
      manifest's schema, or in two.
    - ``repositories``: unit-of-work attribute → repository class; those that implement
      ``MemberData`` join the privacy contract (export, delete, the schema scan).
    - ``build``: its services, by the attribute name cogs use (``services.<name>``) and typed
      access (``services.get(Type)``).
    - ``outcome_handlers``: delivery outcome handler name → handler, given the services.
    - ``jobs``, ``report_sources``, ``channel_sources``: its scheduled jobs, its report numbers
      and the channels the health check covers.
    - ``extensions``: its cog modules; ``moderator_help``: its lines in ``/help`` for
      moderators.
    """

    name: str
    schema: tuple[ModuleType, ...] = ()
    repositories: Mapping[str, Callable[[AsyncConnection], Any]] = field(default_factory=dict)
    build: Callable[[Wiring], Mapping[str, object]] = _nothing
    outcome_handlers: Callable[[Services], Mapping[str, OutcomeHandler]] = _no_handlers
    jobs: tuple[Job, ...] = ()
    report_sources: tuple[Source, ...] = ()
    channel_sources: tuple[ChannelSource, ...] = ()
    extensions: tuple[str, ...] = ()
    moderator_help: tuple[str, ...] = ()
