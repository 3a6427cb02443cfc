"""Tell a passing database fault from a refused statement, and retry the passing ones.

A dropped connection, a server restart or SQLite's "database is locked" go away if we
wait; a row the database refuses (NUL byte, an id too long for the index, a constraint)
fails the same way every time and must be isolated instead (see `CrawlStore.write`).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import exc as sa_exc

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Waits between attempts of a batch write (about 15 s in all).
WRITE_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
#: Waits between attempts to close a session (about 30 s in all).
CLOSE_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)

# SQLSTATE classes that pass: connection exception, transaction rollback (serialization,
# deadlock), insufficient resources, operator intervention (shutdown, cannot connect now).
_TRANSIENT_SQLSTATES = ("08", "40", "53", "57")
_TRANSIENT_SQLITE = ("locked", "busy", "unable to open", "disk i/o")


def is_transient(exc: BaseException) -> bool:
    """True when retrying the same statement later may well succeed."""
    if isinstance(exc, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    code = getattr(orig, "pgcode", None)
    if code:
        return code.startswith(_TRANSIENT_SQLSTATES)
    if isinstance(orig, sqlite3.Error):
        return any(word in str(orig).lower() for word in _TRANSIENT_SQLITE)
    # psycopg2 reports a refused or lost connection as an OperationalError without a code
    return isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)


def retrying(
    call: Callable[[], T],
    delays: Sequence[float],
    what: str,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`call()`, again after each of `delays` while it fails transiently; else raise."""
    for delay in delays:
        try:
            return call()
        except Exception as exc:
            if not is_transient(exc):
                raise
            logger.warning("%s failed (%s); retrying in %gs", what, first_line(exc), delay)
        sleep(delay)
    return call()


def first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
