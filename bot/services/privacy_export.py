"""``/privacy export`` built from the member-data contract, redacted by ``bot.domain.privacy``.

No feature writes export code: every table a repository declares in ``member_columns`` is read
whole (every column of every row naming the member), and the domain rules decide what the
member may see of it. A table added tomorrow is exported, and cannot leak, the day it is
declared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.privacy import README, redact_row, scrub
from bot.storage.member_data import codes_of, descriptions_of, owners_of
from bot.storage.unit_of_work import UnitOfWork

UNSCOPED = "not_tied_to_a_server"
NAMES = "names_of_ids"  # per server: column → id → name, for the ids a reader cannot decode
NO_DESCRIPTION = "stored by a feature that has not described it yet"


@dataclass(frozen=True)
class MemberTable:
    name: str
    columns: tuple[str, ...]
    description: str
    owners: Mapping[str, str | tuple[str, ...]]
    codes: tuple[str, ...] = ()


def member_tables(uow: UnitOfWork) -> list[MemberTable]:
    """Every table of the contract, with what its repository says about it."""
    found = []
    for repository in uow.member_data:
        descriptions, owners = descriptions_of(repository), owners_of(repository)
        codes = codes_of(repository)
        for table, columns in repository.member_columns.items():
            description = descriptions.get(table, NO_DESCRIPTION)
            owned, coded = owners.get(table, {}), tuple(codes.get(table, ()))
            found.append(MemberTable(table, tuple(columns), description, owned, coded))
    return found


async def build_export(
    uow: UnitOfWork, guild_id: int | None, user_id: int, *, now: datetime
) -> dict[str, Any]:
    """Everything about the member in ``guild_id`` (None: every server), redacted."""
    servers: dict[str, dict[str, list[Any]]] = {}
    unscoped: dict[str, list[Any]] = {}
    others: set[int] = set()
    tables = member_tables(uow)
    for table in tables:
        rows = await uow.member_rows.rows(table.name, table.columns, user_id, guild_id)
        per_server = uow.member_rows.per_server(table.name)
        texts = uow.member_rows.text_columns(table.name) - set(table.codes)
        for row in rows:
            shown, named = redact_row(
                row,
                me=user_id,
                member_columns=table.columns,
                text_columns=texts,
                owners=table.owners,
            )
            others |= named
            server = row.get("guild_id") if per_server else None
            place = servers.setdefault(str(server), {}) if server is not None else unscoped
            place.setdefault(table.name, []).append(shown)
    names = await uow.members.names_of(others, (int(server) for server in servers))
    used = {name for place in [*servers.values(), unscoped] for name in place}
    readme = {
        **README,
        "exported_at": now.isoformat(),
        "tables": {t.name: t.description for t in tables if t.name in used},
    }
    export = {
        "readme": readme,
        "servers": servers,
        UNSCOPED: unscoped,
        NAMES: await names_of_ids(uow, servers),
    }
    redacted: dict[str, Any] = scrub(export, me=user_id, others=names)
    return redacted


async def names_of_ids(
    uow: UnitOfWork, servers: Mapping[str, Mapping[str, list[Any]]]
) -> dict[str, dict[str, dict[str, str]]]:
    """The names of the tags and events the export's rows point at by id (``tag_id`` 12 is
    "Sports"); rows stay exactly as stored, so the names sit beside them."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for server, tables in servers.items():
        guild_id = int(server)
        rows = [row for table_rows in tables.values() for row in table_rows]
        tag_ids, event_ids = _ids_in(rows, "tag_id"), _ids_in(rows, "event_id")
        tags = await uow.vocabulary.tags_by_ids(guild_id, tag_ids) if tag_ids else []
        events = [await uow.events.get(guild_id, event_id) for event_id in sorted(event_ids)]
        names = {
            "tag_id": {str(tag.id): tag.name for tag in tags},
            "event_id": {str(event.id): event.name for event in events if event is not None},
        }
        if any(names.values()):
            found[server] = {column: known for column, known in names.items() if known}
    return found


def _ids_in(rows: list[Any], column: str) -> set[int]:
    return {row[column] for row in rows if isinstance(row.get(column), int)}


def counts(export: Mapping[str, Any]) -> dict[str, int]:
    """Table description → how many records the export holds for it."""
    described = export["readme"]["tables"]
    found: dict[str, int] = {}
    for place in [*export["servers"].values(), export[UNSCOPED]]:
        for table, rows in place.items():
            key = described.get(table, table)
            found[key] = found.get(key, 0) + len(rows)
    return found
