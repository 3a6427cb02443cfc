"""The `schedule_runs` ledger: claim a run before calling scrapyd, then record the outcome.

A claim is an INSERT that does nothing on a unique conflict, so of two ticks racing for the
same (company, due time, attempt) exactly one gets a row back. A claim whose scheduling failed
is kept as `failed_to_schedule`; a later tick takes it over with a conditional UPDATE, which
is just as exclusive. A claim whose schedule.json was sent but got no answer is `uncertain`
(the node may have queued it) until reconciliation looks the job up on that node.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from jobcrawler.catalog import Company as CatalogCompany
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import Company, CrawlSession
from jobcrawler.db.schedule import ScheduleRun

runs = ScheduleRun.__table__
companies = Company.__table__
sessions = CrawlSession.__table__
#: Statuses of a claim that holds its due run: no other tick may place it.
HOLDING = ("scheduled", "uncertain")


@dataclass
class Run:
    """One crawl to place: a company's due time (or now, for manual), and which attempt."""

    company: CatalogCompany
    company_id: int
    due_at: datetime
    attempt: int
    trigger: str
    job_id: str
    id: int | None = None  # the claim's row, once claimed
    retaken: bool = False  # claimed by taking over a failed_to_schedule row

    @property
    def slug(self) -> str:
        return self.company.slug


def insert_or_skip(conn: Connection, table: Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING (any unique constraint), on PostgreSQL or SQLite."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


def ensure_companies(engine: Engine, catalog: Iterable[CatalogCompany]) -> dict[str, int]:
    """{slug: companies.id}; catalog companies that never crawled get their row now.

    Existing rows are left alone: a crawl refreshes name, board and flags when it opens.
    """
    wanted = list(catalog)
    with write_transaction(engine) as conn:
        rows = [
            {"slug": c.slug, "name": c.name, "ats": c.ats, "board": c.board, "active": c.active}
            for c in wanted
        ]
        if rows:
            conn.execute(insert_or_skip(conn, companies), rows)
        slugs = [c.slug for c in wanted]
        found = conn.execute(
            select(companies.c.slug, companies.c.id).where(companies.c.slug.in_(slugs))
        )
        return dict(found.all())


def last_scheduled(engine: Engine) -> dict[int, datetime]:
    """{company_id: latest due time placed or being placed by the cron path}."""
    query = (
        select(runs.c.company_id, func.max(runs.c.due_at))
        .where(runs.c.trigger != "manual", runs.c.status.in_(HOLDING))
        .group_by(runs.c.company_id)
    )
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def claim(engine: Engine, run: Run, now: datetime) -> bool:
    """Take the run for this process; False when another tick holds or placed it."""
    with write_transaction(engine) as conn:
        values = {
            "company_id": run.company_id,
            "due_at": run.due_at,
            "attempt": run.attempt,
            "trigger": run.trigger,
            "job_id": run.job_id,
            "scheduled_at": now,
            "status": "scheduled",
        }
        stmt = insert_or_skip(conn, runs).values(values).returning(runs.c.id)
        run.id = conn.execute(stmt).scalar()
        if run.id is None:  # taken; maybe by a tick that failed to place it: take it over
            retake = (
                update(runs)
                .where(
                    runs.c.company_id == run.company_id,
                    runs.c.due_at == run.due_at,
                    runs.c.attempt == run.attempt,
                    runs.c.status == "failed_to_schedule",
                )
                .values(status="scheduled", scheduled_at=now, node=None, error=None)
                .returning(runs.c.id, runs.c.job_id)
            )
            row = conn.execute(retake).first()
            if row is not None:
                run.id, run.job_id = row
                run.retaken = True
    return run.id is not None


def has_session(engine: Engine, run: Run) -> bool:
    """Whether the run's company recorded a session under its job id: then some node ran it."""
    found = exists().where(sessions.c.job_id == run.job_id, sessions.c.company_id == run.company_id)
    with engine.connect() as conn:
        return conn.execute(select(found)).scalar_one()


def companies_of_jobs(engine: Engine, job_ids: Iterable[str]) -> dict[str, str]:
    """{slug: job id} of the runs these batch jobs hold (scrapyd lists only `batch`)."""
    wanted = list(job_ids)
    if not wanted:
        return {}
    query = (
        select(companies.c.slug, runs.c.job_id)
        .join(runs, runs.c.company_id == companies.c.id)
        .where(runs.c.job_id.in_(wanted))
    )
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def _update(engine: Engine, batch: Sequence[Run], **values: object) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(runs).where(runs.c.id.in_([r.id for r in batch])).values(**values))


def placed(engine: Engine, batch: Sequence[Run], node: str | None, now: datetime) -> None:
    """scrapyd accepted the runs' job: remember where, and when (reconciliation relies on it).

    `node` is None when only a crawl session proves that some node took it."""
    _update(engine, batch, node=node, scheduled_at=now)


def rename(engine: Engine, batch: Sequence[Run], job_id: str) -> None:
    """Claims going out together as one batch job take its id before scrapyd is called, so
    reconciliation looks for the job that may actually run."""
    _update(engine, batch, job_id=job_id)
    for run in batch:
        run.job_id = job_id


def release(engine: Engine, batch: Sequence[Run], error: str) -> None:
    """No node took the runs' job: keep the reason, and let a later tick take them over."""
    _update(engine, batch, status="failed_to_schedule", error=error[:2000])


def uncertain(engine: Engine, batch: Sequence[Run], node: str, error: str, now: datetime) -> None:
    """schedule.json reached `node` but its answer was lost: the next reconciliation settles
    whether the node queued the runs' job; until then no other node may take them."""
    _update(engine, batch, status="uncertain", node=node, scheduled_at=now, error=error[:2000])


@dataclass(frozen=True)
class FailedRun:
    """A placed run whose crawl failed and that nothing newer has superseded yet."""

    company_id: int
    slug: str
    due_at: datetime
    attempt: int
    job_id: str
    failed_at: datetime


def failed_runs(engine: Engine, since: datetime, max_attempt: int) -> list[FailedRun]:
    """Runs with a failed session since `since`, attempt < max_attempt, not yet retried, and
    no later crawl of the company (a newer crawl makes the retry pointless)."""
    later = sessions.alias("later")
    following = runs.alias("following")
    retried = exists().where(
        following.c.company_id == runs.c.company_id,
        following.c.due_at == runs.c.due_at,
        following.c.attempt == runs.c.attempt + 1,
        following.c.status.in_(HOLDING),
    )
    newer = exists().where(
        later.c.company_id == sessions.c.company_id, later.c.started_at > sessions.c.started_at
    )
    failed_at = func.coalesce(sessions.c.finished_at, sessions.c.started_at)
    query = (
        select(
            runs.c.company_id,
            companies.c.slug,
            runs.c.due_at,
            runs.c.attempt,
            runs.c.job_id,
            failed_at,
        )
        .join(
            sessions,
            (sessions.c.job_id == runs.c.job_id) & (sessions.c.company_id == runs.c.company_id),
        )
        .join(companies, companies.c.id == runs.c.company_id)
        .where(
            sessions.c.status == "failed",
            runs.c.status == "scheduled",
            runs.c.attempt < max_attempt,
            failed_at >= since,
            ~retried,
            ~newer,
        )
        .order_by(failed_at)
    )
    with engine.connect() as conn:
        return [FailedRun(*row) for row in conn.execute(query)]
