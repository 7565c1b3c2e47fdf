"""The database: engine, SQLite pragmas, unit of work, single-writer guard, migrations, backup.

Writes are serialised in this process (one asyncio lock, ``BEGIN IMMEDIATE`` on SQLite) and a
lock file refuses a second writer process on the same SQLite file. Reads run concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


class DatabaseError(Exception):
    """A storage problem explained in one line for the operator."""


class DatabaseInUse(DatabaseError):
    """Another process already writes to this SQLite file."""


@dataclass(frozen=True)
class HealthReport:
    schema_version: str | None
    head_version: str
    integrity: str

    known_versions: tuple[str, ...] = ()

    @property
    def current(self) -> bool:
        return self.schema_version == self.head_version

    @property
    def ok(self) -> bool:
        """Intact, and a schema this code can use (a new or older one is migrated at start)."""
        known = self.schema_version is None or self.schema_version in self.known_versions
        return self.integrity == "ok" and known


class WriterLock:
    """An exclusive ``flock`` on ``<database>.lock``; released when the process dies."""

    def __init__(self, database_file: Path) -> None:
        self.path = database_file.with_name(database_file.name + ".lock")
        self._file: TextIO | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise DatabaseInUse(
                f"{self.path.with_suffix('')} is already in use by {holder}: "
                "run one bot per database file"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return None if path in ("", ":memory:") else Path(path)


def _read_only_url(url: str, path: Path) -> str:
    """The same file as an SQLite URI opened with ``mode=ro``: never created, never written."""
    driver = url.split(":///", 1)[0]
    return f"{driver}:///file:{quote(str(path))}?mode=ro&uri=true"


def _reason(exc: BaseException) -> str:
    """The driver's own words, first line only (SQLAlchemy wraps them with its help links)."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip().splitlines()
    return text[0] if text else type(inner).__name__


def _configure_sqlite(engine: AsyncEngine, synchronous: str, *, read_only: bool = False) -> None:
    """Pragmas on every new connection, and explicit BEGIN so DDL and reads are transactional.

    pysqlite's legacy transaction handling would otherwise autocommit DDL and start
    transactions lazily; see SQLAlchemy's "Serializable isolation / Savepoints" notes.
    A read-only connection leaves the journal mode alone: setting it is a write.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:
            cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _create_engine(url: str, *, pool_pre_ping: bool) -> AsyncEngine:
    """The engine; a driver left out of the install is one line saying how to add it."""
    try:
        return create_async_engine(url, pool_pre_ping=pool_pre_ping)
    except ImportError as exc:
        if url.startswith("postgresql"):
            raise DatabaseError(
                "DATABASE_URL is PostgreSQL but its driver (asyncpg) is not installed: "
                "pip install 'sigbot[postgres]'"
            ) from None
        raise DatabaseError(f"the database driver is not installed: {_reason(exc)}") from None


class Database:
    """One per process. Build with :meth:`open`; close with :meth:`close`."""

    def __init__(self, url: str, engine: AsyncEngine, writer_lock: WriterLock | None) -> None:
        self.url = url
        self.engine = engine
        self.is_sqlite = url.startswith("sqlite")
        self._writer_lock = writer_lock
        self._write_serialiser = asyncio.Lock()
        # Called after every committed write (e.g. to wake the outbox sender at once).
        self.commit_listeners: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, url: str, *, writer: bool = True, synchronous: str = "FULL") -> Database:
        """Connect. A writer takes the single-writer lock and runs a quick integrity check.

        A reader (``writer=False``: ``check``, ``backup``) changes nothing: the SQLite file must
        already exist and is opened read-only, so a mistyped ``DATABASE_URL`` is an error rather
        than a new empty database that passes the health check.
        """
        path = sqlite_file(url)
        lock = None
        if path is not None and writer:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = WriterLock(path)
            lock.acquire()
        elif path is not None and not path.is_file():
            raise DatabaseError(
                f"{path} does not exist: check DATABASE_URL "
                "(the bot creates the file when it first starts, or run `python -m bot migrate`)"
            )
        engine_url = url if writer or path is None else _read_only_url(url, path)
        engine = _create_engine(engine_url, pool_pre_ping=not url.startswith("sqlite"))
        if url.startswith("sqlite"):
            _configure_sqlite(engine, synchronous, read_only=not writer)
        database = cls(url, engine, lock)
        await database._connect_or_explain()
        if writer and path is not None:
            integrity = await database.integrity_check(quick=True)
            if integrity != "ok":
                await database.close()
                raise DatabaseError(f"{path} failed its integrity check: {integrity}")
        return database

    async def _connect_or_explain(self) -> None:
        """One connection up front, so an unreachable server is one line, not a traceback."""
        try:
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
        except (OSError, TimeoutError, SQLAlchemyError, sqlite3.Error) as exc:
            await self.close()
            where = make_url(self.url).render_as_string(hide_password=True)
            raise DatabaseError(
                f"cannot connect to the database {where}: {_reason(exc)}; "
                "check DATABASE_URL and that the database server is running"
            ) from None

    async def close(self) -> None:
        await self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[UnitOfWork]:
        """A write unit of work: commits on success, rolls back on any error."""
        async with self._write_serialiser, self.engine.connect() as conn:
            if self.is_sqlite:
                await conn.execution_options(sqlite_begin="IMMEDIATE")
            async with conn.begin():
                uow = UnitOfWork(conn)
                yield uow
        uow.committed()
        for listener in self.commit_listeners:
            listener()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[UnitOfWork]:
        """A read-only snapshot; concurrent with writes."""
        async with self.engine.connect() as conn, conn.begin():
            yield UnitOfWork(conn)

    # -- migrations -------------------------------------------------------------------------

    @staticmethod
    def alembic_config(connection: Connection | None = None) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        return config

    @classmethod
    def head_version(cls) -> str:
        head = ScriptDirectory.from_config(cls.alembic_config()).get_current_head()
        assert head is not None, "no migrations found"
        return head

    async def migrate(self, revision: str = "head") -> str | None:
        """Upgrade to ``revision`` (default: the newest); returns the version now in force."""
        async with self._write_serialiser, self.engine.connect() as conn:
            if self.is_sqlite:
                # Batch migrations recreate tables, so foreign keys are off meanwhile and
                # checked after. The pragma is a no-op inside a transaction: run it outside.
                await conn.run_sync(_outside_transaction, "PRAGMA foreign_keys=OFF")
            await conn.run_sync(lambda sync: command.upgrade(self.alembic_config(sync), revision))
            await conn.commit()
            if self.is_sqlite:
                await conn.run_sync(_outside_transaction, "PRAGMA foreign_keys=ON")
                problems = await conn.run_sync(_outside_transaction, "PRAGMA foreign_key_check")
                if problems:
                    raise DatabaseError(f"foreign key violations after migration: {problems[:3]}")
        version = await self.schema_version()
        log.info("Database schema at version %s", version)
        return version

    async def schema_version(self) -> str | None:
        async with self.engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )

    # -- health and backup ---------------------------------------------------------------------

    async def integrity_check(self, *, quick: bool = False) -> str:
        if not self.is_sqlite:
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
            return "ok"
        pragma = "quick_check" if quick else "integrity_check"
        async with self.engine.connect() as conn:
            rows = (await conn.exec_driver_sql(f"PRAGMA {pragma}")).scalars().all()
        return "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:5])

    async def health(self) -> HealthReport:
        scripts = ScriptDirectory.from_config(self.alembic_config())
        return HealthReport(
            schema_version=await self.schema_version(),
            head_version=self.head_version(),
            integrity=await self.integrity_check(quick=True),
            known_versions=tuple(rev.revision for rev in scripts.walk_revisions()),
        )

    async def backup(self, destination: Path, *, overwrite: bool = False) -> Path:
        """An online, consistent copy via SQLite's backup API; writers carry on meanwhile.

        An existing file at ``destination`` (an older backup, say) is kept unless ``overwrite``.
        """
        source = sqlite_file(self.url)
        if source is None:
            raise DatabaseError("backup works on SQLite files; use pg_dump for PostgreSQL")
        if not source.exists():
            raise DatabaseError(f"{source} does not exist: nothing to back up")
        _refuse_unsafe_target(source, destination, overwrite=overwrite)
        return await asyncio.to_thread(_copy_sqlite, source, destination)


def _outside_transaction(sync_conn: Connection, sql: str) -> list[Any]:
    """Run ``sql`` on the raw DBAPI connection, bypassing SQLAlchemy's autobegin."""
    cursor = sync_conn.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _refuse_unsafe_target(source: Path, destination: Path, *, overwrite: bool) -> None:
    """Never write over the live database (or its WAL), never guess a name in a folder, and
    replace an existing file (last week's backup, say) only when asked to."""
    if destination.is_dir():
        raise DatabaseError(
            f"{destination} is a folder: give the backup a file name, "
            f"e.g. {destination / 'sigbot-backup.sqlite3'}"
        )
    live = [source, *(source.with_name(source.name + s) for s in ("-wal", "-shm", ".lock"))]
    target = destination.resolve()
    for path in live:
        same_inode = destination.exists() and path.exists() and os.path.samefile(destination, path)
        if same_inode or target == path.resolve():
            raise DatabaseError(
                f"{destination} is the live database itself: write the backup to another file"
            )
    if destination.exists() and not overwrite:
        raise DatabaseError(
            f"{destination} already exists: choose another file name, or add --force to replace it"
        )


def _copy_sqlite(source: Path, destination: Path) -> Path:
    """Copy into ``<destination>.partial`` beside the target, then rename: never half a file."""
    partial = destination.with_name(destination.name + ".partial")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        result = _snapshot(source, partial)
        if result != "ok":
            raise DatabaseError(f"the backup failed its integrity check: {result}")
        partial.replace(destination)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(f"cannot write the backup to {destination}: {_reason(exc)}") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return destination


def _snapshot(source: Path, copy: Path) -> str:
    """One backup step (a single consistent snapshot) as a self-contained file; its integrity."""
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            return str(dst.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            dst.close()
    finally:
        src.close()
