"""Engine construction, database URL selection and schema migrations.

SQLite is the zero-setup default for local crawls; PostgreSQL is what several concurrent
crawl processes share in production. Both get the same schema through Alembic, which is
imported only when an upgrade is due: importing it costs a crawl process a quarter second.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_FILENAME = "jobcrawler.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Arbitrary constant key: every jobcrawler process serialises schema upgrades on it.
MIGRATION_LOCK_KEY = 0x6A6F_6263_7261_776C  # b"jobcrawl"
#: Connections of a process's shared engine (setting `DB_POOL_SIZE`): fixed, whatever the
#: number of companies it crawls. A node holds max_proc x this, so 4 jobs x 2 + the scheduler
#: stay far below PostgreSQL's default 100 (`make bench` counts them during a node's run).
DEFAULT_POOL_SIZE = 2
#: A thread waits this long for a free connection; waits are off the reactor thread.
POOL_TIMEOUT = 120

_shared_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_shared_lock = threading.Lock()


def database_url() -> str:
    """`DATABASE_URL` if set, else an absolute SQLite file in the data dir."""
    return os.environ.get("DATABASE_URL") or sqlite_url(SQLITE_FILENAME)


def sqlite_url(filename: str) -> str:
    """The URL of SQLite file `filename` in the data dir (JOBCRAWLER_DATA_DIR or .scrapy/)."""
    data_dir = os.environ.get("JOBCRAWLER_DATA_DIR")
    if data_dir:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    else:
        from scrapy.utils.project import data_path

        data_dir = data_path("", createdir=True)
    # Absolute, so that crawls started from another working directory share the file.
    return f"sqlite:///{Path(data_dir).resolve() / filename}"


def make_engine(url: str | None = None, **pool: Any) -> Engine:
    """Engine for `url` (default `database_url()`) with the settings concurrent crawls need;
    `pool` are SQLAlchemy pool options (`pool_size`...)."""
    parsed = make_url(url or database_url())
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed.set(drivername="sqlite+pysqlite"), **pool)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    if backend in ("postgresql", "postgres"):
        return create_engine(
            parsed.set(drivername="postgresql+psycopg2"),
            pool_pre_ping=True,
            connect_args={"application_name": "jobcrawler"},
            **pool,
        )
    raise ValueError(f"unsupported database {parsed.drivername!r}: use SQLite or PostgreSQL")


def shared_engine(url: str | None = None, pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    """The process's one engine for `url`, its schema checked on first use. Blocking: call it
    off the reactor thread. `pool_size` counts at the first call only.

    A batch crawls hundreds of companies in one process: their store pipelines and host paces
    share one small pool and one migration check, instead of an engine and a check each.
    A failed migration is retried by the next caller. `dispose_shared_engines` releases them.
    """
    key = url or database_url()
    with _shared_lock:
        engine = _shared_engines.get(key)
        if engine is None:
            engine = _shared_engines[key] = make_engine(
                key, pool_size=max(pool_size, 1), max_overflow=0, pool_timeout=POOL_TIMEOUT
            )
        if key not in _migrated:
            migrate(engine)
            _migrated.add(key)
    return engine


def dispose_shared_engines() -> None:
    """Close the shared engines' connections (tests, whose databases come and go)."""
    with _shared_lock:
        for engine in _shared_engines.values():
            engine.dispose()
        _shared_engines.clear()
        _migrated.clear()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    _enable_wal(cursor)  # readers don't block the writer
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _enable_wal(cursor: Any) -> None:
    """Switch the file to WAL, waiting for connections that open it at the same moment.

    The switch needs an exclusive lock, and SQLite answers "database is locked" at once
    instead of calling the busy handler, so the wait is ours (up to the busy timeout).
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that takes the write lock up front.

    On SQLite a deferred transaction that reads before writing can fail with "database is
    locked" without waiting; `BEGIN IMMEDIATE` waits for the lock (busy_timeout) instead.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def copy_tree(src: Traversable, dest: Path) -> None:
    """Copy a resource tree (e.g. inside a zip) to a real directory."""
    dest.mkdir(parents=True, exist_ok=True)
    for child in src.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                copy_tree(child, dest / child.name)
        else:
            (dest / child.name).write_bytes(child.read_bytes())


@contextmanager
def migrations_dir() -> Iterator[Path]:
    """The Alembic script directory as a real path (copied out of a zipped egg if needed)."""
    src = resources.files("jobcrawler.db") / "migrations"
    if isinstance(src, Path) and src.is_dir():
        yield src
        return
    with tempfile.TemporaryDirectory(prefix="jobcrawler-migrations-") as tmp:
        dest = Path(tmp) / "migrations"
        copy_tree(src, dest)
        yield dest


def alembic_config(script_location: Path) -> Config:
    """Alembic config built in code: no alembic.ini ships with the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revisions() -> set[str]:
    """The newest migration's revision, read from the packaged file names ("0006_....py").

    Every revision id is its file's number (a test checks this against Alembic's own head),
    so finding the head needs no Alembic import.
    """
    versions = resources.files("jobcrawler.db") / "migrations" / "versions"
    numbers = [e.name.split("_", 1)[0] for e in versions.iterdir() if e.name.endswith(".py")]
    return {max(number for number in numbers if number.isdigit())}


def current_heads(conn: Connection) -> set[str]:
    """The database's revisions (what Alembic itself reads); empty when never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return set()
    return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def migrate(engine: Engine) -> None:
    """Upgrade the schema to head; two small reads and no Alembic import when it already is.

    Upgrades run under a lock (PostgreSQL advisory lock, SQLite write lock) and re-check the
    revision inside it, so crawls starting together don't race each other.
    """
    heads = head_revisions()
    with engine.connect() as conn:
        if current_heads(conn) == heads:
            return
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Transaction-scoped: released by commit/rollback, even if the upgrade fails.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        if current_heads(conn) != heads:
            upgrade(conn)


def upgrade(conn: Connection) -> None:
    """Run Alembic's upgrade to head on `conn` (the caller holds the migration lock)."""
    from alembic import command

    with migrations_dir() as script_location:
        config = alembic_config(script_location)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
