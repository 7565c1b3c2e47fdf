"""Export and delete what the bot stores about a member, through the member-data contract.

No feature writes its own privacy code: each repository that holds member data declares it
(``bot.storage.member_data``) and the unit of work lists them; this service walks that list.
``/privacy`` itself arrives with the introductions feature.
"""

from __future__ import annotations

from typing import Any

from bot.services.members import MemberDirectory
from bot.storage.database import Database


class PrivacyService:
    def __init__(self, db: Database, directory: MemberDirectory) -> None:
        self.db = db
        self.directory = directory

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Every stored field about the member in this server, one section per kind of data."""
        export: dict[str, Any] = {}
        async with self.db.read() as uow:
            for repository in uow.member_data:
                part = await repository.export_member(guild_id, user_id)
                clash = export.keys() & part.keys()
                assert not clash, f"{type(repository).__name__} reuses the sections {clash}"
                export.update(part)
        return export

    async def delete(self, guild_id: int, user_id: int) -> int:
        """Delete everything about the member in this server in one transaction; rows touched."""
        async with self.db.transaction() as uow:
            await self.directory.consent_withdrawn(uow, guild_id, user_id)
            touched = 0
            for repository in uow.member_data:
                touched += await repository.delete_member(guild_id, user_id)
            self.directory.member_deleted(uow, guild_id, user_id)
        return touched
