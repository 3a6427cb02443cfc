"""Close the sessions of crawls that died, so that no session stays `running` forever.

A crawl killed with `kill -9`, or whose database vanished at its end, never closes its
session. Its lease (`jobcrawler/db/lease.py`) says whether its process is gone; such a
session is closed `failed` with the reason, keeping the counts its batches wrote. Called
by the next crawl of the company (when it opens), by `report` and by the scheduler tick.
Running sessions without a lease (crawls before leases existed, or scrapyd jobs that never
opened one) are left to the scheduler's reconciliation.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select, update

from jobcrawler.db import lease
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import CrawlSession

logger = logging.getLogger(__name__)

sessions = CrawlSession.__table__


def close_dead_sessions(engine: Engine, company_id: int | None = None) -> int:
    """Close the `running` sessions whose crawl process is gone; how many were closed."""
    with write_transaction(engine) as conn:
        return close_dead(conn, company_id, datetime.now(UTC))


def close_dead(conn: Connection, company_id: int | None, now: datetime) -> int:
    """`close_dead_sessions` inside the caller's transaction; frees the dead holders' leases."""
    leases = lease.leases
    query = select(
        leases.c.company_id, leases.c.session_id, leases.c.host, leases.c.pid, leases.c.expires_at
    )
    if company_id is not None:
        query = query.where(leases.c.company_id == company_id)
    closed = 0
    for row in conn.execute(query).all():
        holder = lease.Holder(row.session_id, row.host, row.pid, row.expires_at)
        reason = lease.gone_reason(holder, now)
        if reason is None:
            continue
        done = conn.execute(
            update(sessions)
            .where(sessions.c.id == holder.session_id, sessions.c.status == "running")
            .values(status="failed", error=reason, finished_at=now)
        )
        lease.release(conn, row.company_id, holder.session_id)
        if done.rowcount:
            logger.warning("Closed crawl session %d as failed: %s", holder.session_id, reason)
            closed += 1
    return closed
