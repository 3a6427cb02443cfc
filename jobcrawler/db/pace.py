"""Request slots per ATS host in the `host_pace` table, shared by every crawl process.

Each scrapyd job is its own process, often on another node, so a pace kept in memory can't
space their requests to a shared API host. Taking a slot is one upsert that moves the
host's `next_at` and returns it; the row lock (PostgreSQL) or the write lock (SQLite,
`BEGIN IMMEDIATE`) makes concurrent takers queue up instead of getting the same slot. Times
come from the database's clock, so nodes whose clocks disagree still share one pace.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import ColumnElement, Connection, Double, Engine, cast, func
from sqlalchemy.dialects import postgresql, sqlite

from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import HostPace

# julianday() of 1970-01-01T00:00Z: SQLite has no sub-second Unix clock before 3.42.
UNIX_EPOCH_JULIAN_DAY = 2440587.5


class Slot(NamedTuple):
    """A granted request time and the database's clock when it was granted (Unix seconds)."""

    at: float
    now: float

    @property
    def wait(self) -> float:
        return max(0.0, self.at - self.now)


def take_slot(engine: Engine, key: str, delay: float) -> Slot:
    """The first free slot for `key`; the next taker gets one at least `delay` later."""
    with write_transaction(engine) as conn:
        next_at, now = _advance(conn, key, after=0.0, step=delay)
    return Slot(next_at - delay, now)


def hold(engine: Engine, key: str, seconds: float) -> float:
    """No slot for `key` starts within `seconds` from now; returns when the hold ends."""
    with write_transaction(engine) as conn:
        next_at, _ = _advance(conn, key, after=seconds, step=0.0)
    return next_at


def _advance(conn: Connection, key: str, *, after: float, step: float) -> tuple[float, float]:
    """`next_at = max(next_at, now + after) + step` in one statement; (new next_at, now)."""
    table = HostPace.__table__
    if conn.dialect.name == "postgresql":
        insert, greatest = postgresql.insert, func.greatest
    else:
        insert, greatest = sqlite.insert, func.max
    now = _clock(conn)
    stmt = insert(table).values(host=key, next_at=now + after + step)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.host],
        # the clock is read again after any wait for the row lock
        set_={"next_at": greatest(table.c.next_at, now + after) + step},
    ).returning(table.c.next_at, now)
    next_at, clock = conn.execute(stmt).one()
    return float(next_at), float(clock)


def _clock(conn: Connection) -> ColumnElement[float]:
    """The database's current time in Unix seconds (not the transaction's start time)."""
    if conn.dialect.name == "postgresql":
        return cast(func.extract("epoch", func.clock_timestamp()), Double)
    return (func.julianday("now") - UNIX_EPOCH_JULIAN_DAY) * 86400.0
