"""The member-data contract: every repository that stores anything about a member says so.

A repository that keeps a member's id in any column implements :class:`MemberData`: it names
the tables and columns it covers and can export and delete what they hold about one member in
one server. The unit of work lists those repositories, ``PrivacyService`` walks the list, and an
architecture test scans the migrated schema so that a new table holding a member id that no
repository declares fails CI.

Which columns can hold a member's id (:func:`holds_member_id`): ``user_id``, any name ending in
``_user_id`` or ``_by`` (who did something: ``created_by``, ``decided_by``, ``updated_by``), the
names of the roles a member plays in a record (:data:`MEMBER_ROLE_COLUMNS`, such as
``requester_id`` or ``mentor_id``), and the outbox's ``recipient`` ("user:ID" for a DM). A new
role name joins that set when its table is written.

Export is generic: :class:`~bot.storage.repositories.member_rows.MemberRowsRepository` reads
every row of a declared table that names the member, all columns, and the privacy service
redacts them (``bot.domain.privacy``): a member column is "you" or "the other member", and text
in a row that names someone else is withheld unless the repository says whose it is
(``text_owners``). A repository may describe its tables in one line each
(``table_descriptions``) for the export's readme and ``/privacy show``. Delete stays with the
repository (``delete_member``), because only it knows what to delete and what to anonymise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Protocol, runtime_checkable

from bot.domain.privacy import member_in, member_value

__all__ = ["MEMBER_ROLE_COLUMNS", "MemberData", "holds_member_id", "member_in", "member_value"]

MEMBER_ROLE_COLUMNS = frozenset(
    {
        "actor_id",
        "author_id",
        "blocked_id",
        "blocker_id",
        "member_id",
        "mentee_id",
        "mentor_id",
        "owner_id",
        "recipient",
        "recipient_id",
        "reporter_id",
        "requester_id",
        "target_id",
    }
)


def holds_member_id(column: str) -> bool:
    """True when a column of this name can hold a member's (Discord user's) id."""
    name = column.lower()
    return name == "user_id" or name.endswith(("_user_id", "_by")) or name in MEMBER_ROLE_COLUMNS


@runtime_checkable
class MemberData(Protocol):
    """A repository holding data about members: what it covers, and delete.

    Optional class attributes, read with :func:`descriptions_of` and :func:`owners_of`:
    ``table_descriptions`` (table → one line saying what it holds, in plain words) and
    ``text_owners`` (table → {text column → the member column of the member it belongs to})
    and ``code_columns`` (table → long string columns that only ever hold codes, never text).
    """

    # table name → the columns of that table that hold a member's id
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Delete (or anonymise) what is stored about the member here; rows affected."""
        ...


def descriptions_of(repository: object) -> Mapping[str, str]:
    found: Mapping[str, str] = getattr(repository, "table_descriptions", {})
    return found


def owners_of(repository: object) -> Mapping[str, Mapping[str, str | tuple[str, ...]]]:
    found: Mapping[str, Mapping[str, str | tuple[str, ...]]] = getattr(
        repository, "text_owners", {}
    )
    return found


def codes_of(repository: object) -> Mapping[str, tuple[str, ...]]:
    found: Mapping[str, tuple[str, ...]] = getattr(repository, "code_columns", {})
    return found
