"""One crawl per company at a time, enforced in the database by a lease row.

`crawl_leases` holds at most one row per company: the session, host and pid of the crawl
that writes its postings, and when its lease expires. A crawl takes the lease in the
transaction that opens its session and renews it with every batch and a heartbeat. The
lease is free when there is no row, when it expired, or when its holder ran on this host
and its process is gone (checked with the pid: a `kill -9` frees it at once). Takers
queue on the company row lock (PostgreSQL: the company upsert locks it until commit;
SQLite: `BEGIN IMMEDIATE`), so exactly one of two crawls starting together gets it.
Expiry times are this host's clock: the lease is minutes long, clock skew is seconds.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from jobcrawler.db.models import CrawlLease

#: How long a lease lasts without renewal.
LEASE_SECONDS = 120.0
#: How often a running crawl renews its lease even when it writes nothing.
HEARTBEAT_SECONDS = 30.0

leases = CrawlLease.__table__


@dataclass(frozen=True)
class Holder:
    session_id: int
    host: str
    pid: int
    expires_at: datetime

    def __str__(self) -> str:
        return f"session {self.session_id}, pid {self.pid} on host {self.host}"


class CrawlRefused(Exception):
    """Another live crawl holds the company's lease."""

    def __init__(self, slug: str, holder: Holder) -> None:
        super().__init__(
            f"another crawl of {slug} is running ({holder}, lease until "
            f"{holder.expires_at:%Y-%m-%d %H:%M:%S} UTC): this one stops without writing"
        )
        self.holder = holder


class LeaseLost(Exception):
    """The crawl's lease expired and another crawl took it: it must stop writing."""


def this_host() -> str:
    return socket.gethostname()[:255]


def process_alive(pid: int) -> bool:
    """Whether process `pid` on this host runs (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no procfs: the signal check is all we have
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def gone_reason(holder: Holder, now: datetime) -> str | None:
    """Why the holder's crawl is over, or None if it may still be running."""
    if holder.host == this_host() and not process_alive(holder.pid):
        return f"crawl process died: pid {holder.pid} on host {holder.host}"
    if holder.expires_at < now:
        return (
            f"crawl process stopped renewing its lease: pid {holder.pid} on host "
            f"{holder.host}, lease expired {holder.expires_at:%Y-%m-%d %H:%M:%S} UTC"
        )
    return None


def current(conn: Connection, company_id: int) -> Holder | None:
    row = conn.execute(
        select(leases.c.session_id, leases.c.host, leases.c.pid, leases.c.expires_at).where(
            leases.c.company_id == company_id
        )
    ).one_or_none()
    return Holder(*row) if row else None


def take(conn: Connection, company_id: int, session_id: int, now: datetime, seconds: float) -> None:
    """Make `session_id` (this process) the holder; the caller checked the lease is free."""
    values = {
        "session_id": session_id,
        "host": this_host(),
        "pid": os.getpid(),
        "acquired_at": now,
        "expires_at": now + timedelta(seconds=seconds),
    }
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(leases).values(company_id=company_id, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["company_id"], set_=values))


def renew(
    conn: Connection, company_id: int, session_id: int, now: datetime, seconds: float
) -> None:
    """Extend the lease; raise LeaseLost if the session no longer holds it."""
    done = conn.execute(
        update(leases)
        .where(leases.c.company_id == company_id, leases.c.session_id == session_id)
        .values(expires_at=now + timedelta(seconds=seconds))
    )
    if not done.rowcount:
        raise LeaseLost(
            f"crawl session {session_id} lost its lease (it expired and another crawl took it)"
        )


def release(conn: Connection, company_id: int, session_id: int) -> None:
    conn.execute(
        delete(leases).where(leases.c.company_id == company_id, leases.c.session_id == session_id)
    )
