"""`/healthz` and Prometheus `/metrics`, read from the database on each request.

The figures are the database's, not this process's: any number of API processes report
the same values, and a restart loses nothing. Written in the text exposition format by
hand: four metric families do not need a client library.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from jobcrawler.alerts.deliveries import counts as delivery_counts
from jobcrawler.db.models import Company, CrawlSession, JobPosting

companies = Company.__table__
sessions = CrawlSession.__table__
postings = JobPosting.__table__


def last_successes(conn: Connection) -> dict[str, datetime]:
    """Per company slug, when its last successful crawl finished."""
    query = (
        select(companies.c.slug, func.max(sessions.c.finished_at))
        .join(sessions, sessions.c.company_id == companies.c.id)
        .where(sessions.c.status == "succeeded")
        .group_by(companies.c.slug)
    )
    return {slug: _utc(at) for slug, at in conn.execute(query) if at is not None}


def failing(conn: Connection) -> list[str]:
    """Slugs of the active companies whose latest crawl failed."""
    older = sessions.alias("older")
    last = (
        select(func.max(older.c.id))
        .where(older.c.company_id == companies.c.id)
        .correlate(companies)
        .scalar_subquery()
    )
    query = (
        select(companies.c.slug)
        .select_from(companies)
        .join(sessions, sessions.c.id == last)
        .where(sessions.c.status == "failed", companies.c.active)
        .order_by(companies.c.slug)
    )
    return list(conn.execute(query).scalars())


def health(conn: Connection, now: datetime) -> dict[str, Any]:
    done = last_successes(conn)
    newest = max(done.values(), default=None)
    return {
        "database": True,
        "last_success_age_seconds": None if newest is None else (now - newest).total_seconds(),
        "failing_companies": failing(conn),
    }


def metrics(conn: Connection, now: datetime) -> str:
    by_status = conn.execute(
        select(sessions.c.status, func.count())
        .group_by(sessions.c.status)
        .order_by(sessions.c.status)
    ).all()
    active = conn.execute(
        select(func.count()).select_from(postings).where(postings.c.status == "active")
    ).scalar_one()
    lines = [
        "# HELP jobcrawler_crawl_sessions Crawl sessions in the database, by status.",
        "# TYPE jobcrawler_crawl_sessions gauge",
        *(f'jobcrawler_crawl_sessions{{status="{_label(s)}"}} {n}' for s, n in by_status),
        "# HELP jobcrawler_active_postings Postings whose status is active.",
        "# TYPE jobcrawler_active_postings gauge",
        f"jobcrawler_active_postings {active}",
        "# HELP jobcrawler_last_success_age_seconds Seconds since the company's last"
        " successful crawl finished.",
        "# TYPE jobcrawler_last_success_age_seconds gauge",
        *(
            f'jobcrawler_last_success_age_seconds{{company="{_label(slug)}"}} '
            f"{(now - at).total_seconds():.3f}"
            for slug, at in sorted(last_successes(conn).items())
        ),
        "# HELP jobcrawler_alert_deliveries Alert deliveries, by state.",
        "# TYPE jobcrawler_alert_deliveries gauge",
        *(
            f'jobcrawler_alert_deliveries{{state="{s}"}} {n}'
            for s, n in delivery_counts(conn).items()
        ),
    ]
    return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
