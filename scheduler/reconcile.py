"""Compare what scrapyd says about our jobs with what the crawls recorded, and fix the record.

A killed or crashed crawl never closes its session, and one that dies at startup never opens
one. scrapyd exposes no exit codes, so the ledger (`schedule_runs`: which job went to which
node) plus one `listjobs.json` snapshot per node tell: a job the node reports finished, or no
longer knows, while its session is still `running` (or missing) did not end well. Those get
a `failed` session with the reason, which makes them eligible for retries.

The snapshot is taken before the database is read: a crawl closes its session before its
process exits, so "finished" in the snapshot means the session is final by the time we read.
Runs placed after the snapshot (by a concurrent command) are left for the next tick.

A batch job (spider `batch`) holds one run per company under the same job id; sessions are
matched to runs by (job_id, company), so each company of a finished batch is judged alone.

Claims left `uncertain` (schedule.json sent, answer lost) are settled first, from the same
snapshot: confirmed when the node or a crawl session knows the job, released for a retake
when the node answers without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, Exists, delete, exists, select, text, update

from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import Company, CrawlLease, CrawlSession
from jobcrawler.db.schedule import ScheduleRun
from scheduler.cluster import Cluster

runs = ScheduleRun.__table__
sessions = CrawlSession.__table__
companies = Company.__table__
leases = CrawlLease.__table__

# A claim not placed after this long belongs to a tick that died before calling scrapyd.
STALE_CLAIM = timedelta(minutes=10)
# Runs placed this long before the snapshot must appear in it (clock skew between hosts).
SNAPSHOT_MARGIN = timedelta(seconds=60)
# How far back runs without a session are checked (scrapyd forgets old finished jobs).
LOOKBACK = timedelta(days=2)
# Serialises reconciliation between concurrent ticks on PostgreSQL (b"jobsched").
LOCK_KEY = 0x6A6F_6273_6368_6564


@dataclass(frozen=True)
class Fix:
    """One correction, for the tick's report."""

    slug: str
    job_id: str
    reason: str
    outcome: str = "failed"  # failed (a session), or confirmed / released (an uncertain claim)


def finished_without_close(job_id: str) -> str:
    return (
        f"scrapyd reports job {job_id} finished but the crawl never closed its session "
        "(killed or crashed)"
    )


def unknown_job(job_id: str, node: str) -> str:
    return (
        f"scrapyd {node} no longer knows job {job_id} (restarted or lost it) and the crawl "
        "never closed its session"
    )


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":  # SQLite: the write transaction already serialises
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def _verdict(cluster: Cluster, node: str | None, job_id: str, scheduled_at: datetime) -> str | None:
    """Why the job is over without a closed session, or None if it may still be fine.

    "finished" is proof at any time; a job missing from the snapshot is proof only if it
    was placed well before the snapshot (a concurrent command may have placed it since).
    """
    state = cluster.state(node) if node else None
    if state is None:  # node down or no longer configured: no evidence either way
        return None
    current = state.state_of(job_id)
    if current == "finished":
        return finished_without_close(job_id)
    if current is None and scheduled_at < cluster.fetched_at - SNAPSHOT_MARGIN:
        return unknown_job(job_id, node or "?")
    return None


def _settle_uncertain(conn: Connection, cluster: Cluster, has_session: Exists) -> list[Fix]:
    """Confirm or release the claims whose schedule.json answer was lost."""
    fixes = []
    claims = conn.execute(
        select(runs.c.id, runs.c.job_id, runs.c.node, runs.c.scheduled_at, companies.c.slug)
        .add_columns(has_session.label("has_session"))
        .join(companies, companies.c.id == runs.c.company_id)
        .where(runs.c.status == "uncertain")
    ).all()
    for claim in claims:
        state = cluster.state(claim.node)
        if claim.has_session or (state is not None and state.state_of(claim.job_id)):
            proof = "its crawl opened a session" if claim.has_session else "the node has it"
            reason = f"scrapyd {claim.node} took it after all ({proof})"
            fix = Fix(claim.slug, claim.job_id, reason, "confirmed")
            values = {"status": "scheduled", "error": None}
        elif state is not None and claim.scheduled_at < cluster.fetched_at - SNAPSHOT_MARGIN:
            reason = f"scrapyd {claim.node} never queued it (its schedule.json got no answer)"
            fix = Fix(claim.slug, claim.job_id, reason, "released")
            values = {"status": "failed_to_schedule", "error": reason}
        else:  # the node is still down, or was asked too recently to judge
            continue
        conn.execute(
            update(runs).where(runs.c.id == claim.id, runs.c.status == "uncertain").values(values)
        )
        fixes.append(fix)
    return fixes


def reconcile(engine: Engine, cluster: Cluster, now: datetime) -> list[Fix]:
    """Settle uncertain claims, fail dead sessions, add failed sessions for runs that never
    opened one, free stale claims. Returns what was fixed."""
    # A batch job holds many companies' runs: a run's session is its company's in that job.
    has_session = exists().where(
        sessions.c.job_id == runs.c.job_id, sessions.c.company_id == runs.c.company_id
    )
    with write_transaction(engine) as conn:
        _lock(conn)
        fixes = _settle_uncertain(conn, cluster, has_session)
        conn.execute(
            update(runs)
            .where(
                runs.c.status == "scheduled",
                runs.c.node.is_(None),
                runs.c.scheduled_at < now - STALE_CLAIM,
                ~has_session,  # scrapyd did take it (the tick died just after): keep it
            )
            .values(status="failed_to_schedule", error="claimed by a tick that stopped early")
        )
        running = conn.execute(
            select(
                sessions.c.id, sessions.c.job_id, runs.c.node, runs.c.scheduled_at, companies.c.slug
            )
            .join(
                runs,
                (runs.c.job_id == sessions.c.job_id) & (runs.c.company_id == sessions.c.company_id),
            )
            .join(companies, companies.c.id == sessions.c.company_id)
            .where(sessions.c.status == "running")
        ).all()
        for session_id, job_id, node, scheduled_at, slug in running:
            reason = _verdict(cluster, node, job_id, scheduled_at)
            if reason is None:
                continue
            done = conn.execute(
                update(sessions)
                .where(sessions.c.id == session_id, sessions.c.status == "running")
                .values(status="failed", error=reason, finished_at=now)
            )
            if done.rowcount:
                # its lease would keep the company's next crawl out until it expires
                conn.execute(delete(leases).where(leases.c.session_id == session_id))
                fixes.append(Fix(slug, job_id, reason))

        sessionless = conn.execute(
            select(
                runs.c.job_id,
                runs.c.node,
                runs.c.scheduled_at,
                runs.c.company_id,
                runs.c.trigger,
                companies.c.slug,
            )
            .join(companies, companies.c.id == runs.c.company_id)
            .where(
                runs.c.status == "scheduled",
                runs.c.node.is_not(None),
                runs.c.scheduled_at >= now - LOOKBACK,
                ~has_session,
            )
        ).all()
        for job_id, node, scheduled_at, company_id, trigger, slug in sessionless:
            reason = _verdict(cluster, node, job_id, scheduled_at)
            if reason is None:
                continue
            reason += "; it never opened one (crashed at startup?)"
            conn.execute(
                sessions.insert().values(
                    company_id=company_id,
                    spider=slug,
                    job_id=job_id,
                    trigger=trigger,
                    status="failed",
                    started_at=now,
                    finished_at=now,
                    error=reason,
                )
            )
            fixes.append(Fix(slug, job_id, reason))
    return fixes
