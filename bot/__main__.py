"""Operator interface: ``python -m bot [run|sync|migrate|backup PATH|check|sandbox]``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.heartbeat import HeartbeatFile, heartbeat_status
from bot.logging import configure_logging

if TYPE_CHECKING:
    from bot.client import SigBot
from bot.storage.database import Database, DatabaseError
from config.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")

EXIT_OK, EXIT_FAILURE, EXIT_BAD_SETTINGS = 0, 1, 2
RECONNECT_MESSAGE = "Attempting a reconnect in %.2fs"  # discord.client logs it with a traceback


class OperatorError(Exception):
    """What failed and what to do, in one line for the operator (exit 1, no traceback)."""


class OneLineReconnects(logging.Filter):
    """discord.py logs every gateway retry as an exception; say it in one line instead.

    The retries themselves are discord.py's (exponential backoff until the network is back).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == RECONNECT_MESSAGE and record.exc_info:
            error = record.exc_info[1]
            record.msg = "Lost the connection to Discord (%s); attempting a reconnect in %.2fs"
            record.args = (one_line(error), *(record.args or ()))
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"  # it recovers by itself
        return True


def one_line_reconnects() -> None:
    discord_client = logging.getLogger("discord.client")
    if not any(isinstance(f, OneLineReconnects) for f in discord_client.filters):
        discord_client.addFilter(OneLineReconnects())


def one_line(error: BaseException | None) -> str:
    text = str(error).strip().splitlines() if error is not None else []
    return text[0] if text else type(error).__name__


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m bot",
        description="Community bot for SIG and chapter servers: interest tags, consented "
        "introductions, mentorship threads and icebreaker prompts.",
        epilog="Settings come from the environment or a .env file; see README.md.",
    )
    commands = cli.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="connect to Discord with DISCORD_TOKEN and serve (default)")
    sync = commands.add_parser("sync", help="publish the slash commands to Discord")
    sync.add_argument("--guild", type=int, metavar="ID", help="only to this server (instant)")
    commands.add_parser("migrate", help="upgrade the database schema to the newest version")
    backup = commands.add_parser("backup", help="online, consistent copy of the SQLite database")
    backup.add_argument("path", type=Path, help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    commands.add_parser(
        "check", help="check settings, database, schema version and the gateway heartbeat"
    )
    sandbox = commands.add_parser(
        "sandbox", help="run the real bot against a local Discord-compatible server (no token)"
    )
    sandbox.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    sandbox.add_argument("--script", type=Path, help="run driver commands from FILE and exit")
    return cli


async def run(settings: Settings) -> int:
    from bot.app import build_bot

    token = settings.token()
    bot = await build_bot(settings, record_heartbeat=True)
    stop_on_signals(bot)
    async with bot:
        await log_in(bot, token)
        await bot.connect()  # retries the gateway by itself while the network is away
    return EXIT_OK


async def log_in(bot: SigBot, token: str) -> None:
    """Log in (and run ``setup_hook``); a refused token or no network is one line."""
    import aiohttp
    import discord

    try:
        await bot.login(token)
    except discord.LoginFailure:
        raise OperatorError(
            "Discord refused DISCORD_TOKEN: copy the bot's token again from the Developer Portal"
        ) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise OperatorError(
            f"cannot reach Discord at {discord.http.Route.BASE} ({one_line(exc)}): "
            "check the network (or DISCORD_API_BASE_URL) and start the bot again"
        ) from None


def stop_on_signals(bot: SigBot) -> None:
    """SIGTERM (docker stop) and SIGINT close the bot cleanly: sender, gateway, database."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def close() -> None:
        log.info("Shutting down")
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, close)


async def sync(settings: Settings, guild_id: int | None) -> int:
    from bot.app import build_bot

    token = settings.token()
    bot = await build_bot(settings)
    async with bot:
        await log_in(bot, token)  # runs setup_hook: migrations and extensions, no gateway
        count = await bot.sync_commands(guild_id)
    where = f"server {guild_id}" if guild_id else "all servers (may take up to an hour to show)"
    print(f"Published {count} commands to {where}.")
    return EXIT_OK


async def migrate(settings: Settings) -> int:
    db = await Database.open(settings.database_url)
    try:
        version = await db.migrate()
    finally:
        await db.close()
    print(f"Database schema at version {version}.")
    return EXIT_OK


async def backup(settings: Settings, path: Path, *, force: bool = False) -> int:
    db = await Database.open(settings.database_url, writer=False)
    try:
        written = await db.backup(path, overwrite=force)
    finally:
        await db.close()
    print(f"Backup written to {written} (integrity ok).")
    return EXIT_OK


async def check(settings: Settings) -> int:
    """Read-only, so it can run beside the bot (the Docker health check does)."""
    db = await Database.open(settings.database_url, writer=False)
    try:
        report = await db.health()
    finally:
        await db.close()
    token_present = bool(settings.discord_token and settings.discord_token.get_secret_value())
    print(f"settings ok (DISCORD_TOKEN {'present' if token_present else 'missing'})")
    print(f"schema version {report.schema_version or 'none'} (newest {report.head_version})")
    print(f"integrity {report.integrity}")
    if not report.current and report.ok:
        print("the schema will be upgraded when the bot starts (or run `python -m bot migrate`)")
    elif not report.ok and report.integrity == "ok":
        print("this database was written by a newer version of the bot: upgrade the bot")
    heartbeat = heartbeat_status(HeartbeatFile(settings.heartbeat_path))
    print(heartbeat.describe())
    return EXIT_OK if report.ok and heartbeat.ok else EXIT_FAILURE


SANDBOX_MISSING = (
    "the sandbox is not installed: run `make install`, or "
    "`pip install -e packages/discord-sandbox` in this checkout"
)


async def sandbox(settings: Settings, db: Path | None, script: Path | None) -> int:
    try:  # a separate package (packages/discord-sandbox), absent from the runtime image
        from sandbox.cli import run_sandbox
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] != "sandbox":
            raise  # the sandbox is there but something it needs is not: show that
        raise OperatorError(SANDBOX_MISSING) from None
    return await run_sandbox(settings, db_path=db, script=script)


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command or "run"
    if command == "run":
        return await run(settings)
    if command == "sync":
        return await sync(settings, args.guild)
    if command == "migrate":
        return await migrate(settings)
    if command == "backup":
        return await backup(settings, args.path, force=args.force)
    if command == "check":
        return await check(settings)
    return await sandbox(settings, args.db, args.script)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        secret = settings.discord_token.get_secret_value() if settings.discord_token else ""
        configure_logging(settings.log_level, secrets=[secret])
        one_line_reconnects()
        return asyncio.run(dispatch(args, settings))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    except (DatabaseError, OperatorError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
