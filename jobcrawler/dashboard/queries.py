"""The dashboard's own reads: recent new/removed counts per company, and a company's
postings per day.

The overview's 7-day counts sum the crawl sessions' `new_count`/`removed_count`: a few rows
per company and week, whatever the number of postings. The chart's daily series comes from
job_events instead, because events record every change of a posting's status, also those no
session makes (`scheduler maintain` marking postings stale), and they outlive the sessions
`maintain` deletes after 90 days, the chart's own window. It reads the company's events of
the window, grouped by day in SQL (about 90 x 4 rows come back), and walks the current active
count back through them. On PostgreSQL the planner reaches them through the events' time
index, so the cost follows all companies' events of the window: `make bench` measures
tens to a few hundred ms on 100,000 postings (tests/bench_dashboard.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, select
from sqlalchemy.orm import aliased

from jobcrawler.db.models import Company, CrawlSession, JobEvent, JobPosting

postings = JobPosting.__table__
companies = Company.__table__
sessions = CrawlSession.__table__
events = JobEvent.__table__

#: How each event kind moves the active count; `removed` of a stale posting moves nothing.
ACTIVE_DELTA = {"created": 1, "reopened": 1, "removed": -1, "stale": -1}


@dataclass(frozen=True)
class Day:
    """One UTC day of a company: active postings at its end (now, for today), and events."""

    day: date
    active: int
    new: int
    reopened: int
    removed: int


def recent_counts(
    conn: Connection, slugs: Sequence[str], since: datetime
) -> dict[str, tuple[int, int]]:
    """{slug: (new, removed)} over the sessions started since `since`."""
    if not slugs:
        return {}
    query = (
        select(
            companies.c.slug,
            func.coalesce(func.sum(sessions.c.new_count), 0),
            func.coalesce(func.sum(sessions.c.removed_count), 0),
        )
        .join(companies, companies.c.id == sessions.c.company_id)
        .where(companies.c.slug.in_(slugs), sessions.c.started_at >= since)
        .group_by(companies.c.slug)
    )
    return {slug: (int(new), int(removed)) for slug, new, removed in conn.execute(query)}


def daily_series(conn: Connection, slug: str, today: date, days: int = 90) -> list[Day]:
    """The last `days` UTC days up to `today`, oldest first."""
    start = datetime.combine(today - timedelta(days=days - 1), time(), UTC)
    company = postings.c.company_id == (
        select(companies.c.id).where(companies.c.slug == slug).scalar_subquery()
    )
    active_now = conn.execute(
        select(func.count()).where(company, postings.c.status == "active")
    ).scalar_one()
    counts: dict[tuple[date, str], int] = {}
    for day, kind, was_stale, n in conn.execute(_event_counts(conn.dialect.name, company, start)):
        key = (date.fromisoformat(str(day)[:10]), "removed_stale" if was_stale else kind)
        counts[key] = counts.get(key, 0) + n
    series = []
    active = active_now
    for offset in range(days):  # newest first, walking the count back
        day = today - timedelta(days=offset)
        n = {kind: counts.get((day, kind), 0) for kind in (*ACTIVE_DELTA, "removed_stale")}
        series.append(
            Day(day, active, n["created"], n["reopened"], n["removed"] + n["removed_stale"])
        )
        active -= sum(n[kind] * delta for kind, delta in ACTIVE_DELTA.items())
    return series[::-1]


def _event_counts(dialect: str, company: Any, start: datetime) -> Any:
    """(day, kind, removed from stale, count) of the company's status-changing events."""
    before = aliased(events)
    previous_kind = (
        select(before.c.kind)
        .where(before.c.posting_id == events.c.posting_id, before.c.id < events.c.id)
        .order_by(before.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    was_stale = case((and_(events.c.kind == "removed", previous_kind == "stale"), 1), else_=0)
    rows = (
        select(_utc_day(dialect, events.c.at).label("day"), events.c.kind, was_stale.label("s"))
        .join(postings, postings.c.id == events.c.posting_id)
        .where(company, events.c.at >= start, events.c.kind.in_(ACTIVE_DELTA))
        .subquery()
    )
    return select(rows.c.day, rows.c.kind, rows.c.s, func.count()).group_by(
        rows.c.day, rows.c.kind, rows.c.s
    )


def _utc_day(dialect: str, column: Any) -> Any:
    """The UTC calendar day of a timestamp: SQLite stores naive UTC, PostgreSQL timestamptz."""
    if dialect == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)
