"""Opening the database for a command, with one-line errors instead of tracebacks.

A report only reads: it never creates or upgrades tables. On a fresh database (a SQLite
file not there yet, or a server database without jobcrawler's tables) there is simply no
crawl to show; on a schema of another version it says which command fixes it. Commands
that write (crawls, `tick`, `maintain`...) migrate first, as before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from sqlalchemy import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from jobcrawler.db.engine import current_heads, database_url, head_revisions, make_engine, migrate

#: Exit status when the database cannot be reached (as for crawls: jobcrawler.outcome).
EXIT_UNREACHABLE = 5
#: Exit status when the database's schema is not this version's.
EXIT_SCHEMA = 1
NO_CRAWLS = "no crawls yet"

T = TypeVar("T")


class DatabaseProblem(Exception):
    """The database cannot serve the command; the message is one line for the user."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def shown(url: str) -> str:
    """The URL as it may be printed: without its password."""
    return make_url(url).render_as_string(hide_password=True)


def read_engine(url: str | None = None, note: TextIO | None = None) -> Engine | None:
    """An engine on a database at this version's schema, or None (after saying "no crawls
    yet" on `note`, default stderr) when it has no jobcrawler tables. Creates nothing."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not _sqlite_file_exists(parsed.database):
        return _fresh(url, note)
    engine = make_engine(url)
    heads = _reach(engine, url, current_heads)
    if not heads:
        engine.dispose()
        return _fresh(url, note)
    wanted = head_revisions()
    if heads != wanted:
        engine.dispose()
        have, need = max(heads), max(wanted)
        fix = "run `python -m jobcrawler db upgrade`" if have < need else "upgrade jobcrawler"
        message = f"the database at {shown(url)} has schema {have}, this jobcrawler reads {need}"
        raise DatabaseProblem(f"{message}: {fix}", EXIT_SCHEMA)
    return engine


def _fresh(url: str, note: TextIO | None) -> None:
    print(f"{NO_CRAWLS}: the database at {shown(url)} has no tables", file=note or sys.stderr)


def write_engine(url: str | None = None) -> Engine:
    """An engine on a reachable database migrated to head (tables created if need be)."""
    url = url or database_url()
    engine = make_engine(url)
    _reach(engine, url, lambda conn: None)
    migrate(engine)
    return engine


def _reach(engine: Engine, url: str, read: Callable[[Connection], T]) -> T:
    """`read` on a first connection; a refused one (server down, bad password, no such
    file or directory) becomes the one-line DatabaseProblem."""
    try:
        with engine.connect() as conn:
            return read(conn)
    except DBAPIError as exc:
        engine.dispose()
        reason = (str(exc.orig).strip() or type(exc.orig).__name__).splitlines()[0]
        message = f"cannot reach the database at {shown(url)}: {reason}"
        raise DatabaseProblem(message, EXIT_UNREACHABLE) from None


def _sqlite_file_exists(database: str | None) -> bool:
    return not database or database == ":memory:" or Path(database).exists()
