"""Plain helpers the service tests share (fixtures live in the conftest files).

Helpers of one feature's world sit in a module of their own: ``mentorship`` (a PT server with
mentors and the outbox), ``matches`` (a match made as the claim makes it) and ``privacy_world``
(a member active in every feature).
"""

from __future__ import annotations

from hypothesis import strategies as st
from sqlalchemy import select

from bot.services import Services
from bot.storage.schema.outbox import outbox

NASTY = [
    "@everyone",
    "@here",
    "<@123>",
    "<@&456>",
    "**x**",
    "[a](https://x.y)",
    "\u200b",
    "\u202e",
    "\u2066",
    "\x00",
    "\n",
    "ㅤ",
    "Ortho",
    "peds",
    "&",
    "-",
    "'",
]
hostile = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=10).map("".join),
    st.text(min_size=5_000, max_size=10_000),
)


async def outbox_rows(services: Services) -> list[dict[str, object]]:
    async with services.db.read() as uow:
        return [dict(r._mapping) for r in await uow.conn.execute(select(outbox))]
