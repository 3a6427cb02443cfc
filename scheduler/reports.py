"""Read and tidy the crawl record: `maintain`, `status`, `stats` and `new`.

Queries return plain dicts (one per row) that jobcrawler.output prints as a table for people
(the *_COLUMNS below) or as JSON / CSV / JSON lines for machines; tests check the dicts.
The reports take `engine=None` for a database without tables yet: nothing crawled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from jobcrawler.catalog import Company as CatalogCompany
from jobcrawler.db import bulk
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import Company, CrawlSession, JobEvent, JobPosting
from jobcrawler.db.schedule import ScheduleRun
from jobcrawler.output import Column
from scheduler import planning
from scheduler.runs import last_scheduled
from scheduler.scrapyd import Node, ScrapydError

companies = Company.__table__
sessions = CrawlSession.__table__
postings = JobPosting.__table__
events = JobEvent.__table__
runs = ScheduleRun.__table__

Row = dict[str, Any]

# --- maintain -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Maintenance:
    sessions_deleted: int
    runs_deleted: int
    postings_staled: int


def maintain(
    engine: Engine, now: datetime, *, sessions_days: float = 90, stale_days: float = 60
) -> Maintenance:
    """Drop old sessions (and ledger rows), keep postings; mark long-unseen postings stale.

    Events of deleted sessions stay, with session_id NULL (set explicitly, not left to the
    foreign key, so it holds whatever the connection's PRAGMAs).
    """
    cutoff = now - timedelta(days=sessions_days)
    stale_before = now - timedelta(days=stale_days)
    with write_transaction(engine) as conn:
        old = select(sessions.c.id).where(sessions.c.started_at < cutoff)
        conn.execute(update(events).where(events.c.session_id.in_(old)).values(session_id=None))
        deleted = conn.execute(delete(sessions).where(sessions.c.started_at < cutoff)).rowcount
        dropped = conn.execute(delete(runs).where(runs.c.scheduled_at < cutoff)).rowcount
        stale_ids = conn.scalars(
            select(postings.c.id).where(
                postings.c.status == "active", postings.c.last_seen_at < stale_before
            )
        ).all()
        bulk.update_postings(conn, stale_ids, status="stale")
        for chunk in bulk.chunks(stale_ids):
            rows = [{"posting_id": pid, "kind": "stale", "at": now} for pid in chunk]
            conn.execute(insert(events), rows)
    return Maintenance(deleted, dropped, len(stale_ids))


# --- status -------------------------------------------------------------------------------


def node_status(nodes: Sequence[Node]) -> list[Row]:
    """Each node's health and queue (daemonstatus.json: all projects on the node)."""
    rows = []
    for node in nodes:
        row: Row = {"node": node.url, "health": "ok", "pending": None, "running": None}
        row["finished"] = None
        try:
            answer = node.daemonstatus()
        except ScrapydError as exc:
            row["health"] = str(exc).removeprefix(f"scrapyd {node.url}: ")
        else:
            row.update({k: answer.get(k) for k in ("pending", "running", "finished")})
        rows.append(row)
    return rows


def company_status(
    engine: Engine | None, catalog: Sequence[CatalogCompany], now: datetime
) -> list[Row]:
    """Per catalog company: the last crawl's start and status, and the next due time, which
    is the current one (overdue) while a tick has yet to place it."""
    last, ids, placed = _crawl_record(engine) if engine is not None else ({}, {}, {})
    rows = []
    for company in sorted(catalog, key=lambda c: c.slug):
        started, status = last.get(company.slug, (None, None))
        rows.append(
            {
                "company": company.slug,
                "schedule": company.schedule,
                "last_crawl": started,
                "last_status": status,
                "next_due": (
                    _next_due(company.schedule, now, placed.get(ids.get(company.slug)))
                    if company.active
                    else None
                ),
                "active": company.active,
            }
        )
    return rows


def _crawl_record(
    engine: Engine,
) -> tuple[dict[str, tuple[datetime, str]], dict[str, int], dict[int, datetime]]:
    """Per slug its last crawl (start, status) and company id; per company id its last run
    placed by the scheduler."""
    latest = (
        select(sessions.c.company_id, func.max(sessions.c.id).label("id"))
        .group_by(sessions.c.company_id)
        .subquery()
    )
    query = (
        select(companies.c.slug, sessions.c.started_at, sessions.c.status)
        .join(latest, latest.c.company_id == companies.c.id)
        .join(sessions, sessions.c.id == latest.c.id)
    )
    with engine.connect() as conn:
        last = {slug: (started, status) for slug, started, status in conn.execute(query)}
        ids = dict(conn.execute(select(companies.c.slug, companies.c.id)).all())
    return last, ids, last_scheduled(engine)


def _next_due(schedule: str, now: datetime, last_placed: datetime | None) -> datetime:
    """The due time still waiting for a tick (within the default catch-up), else the next."""
    return planning.due_time(schedule, now, last_placed) or planning.next_due(schedule, now)


# --- stats --------------------------------------------------------------------------------


def stats(engine: Engine, now: datetime, days: float) -> list[Row]:
    """Per company over the last `days`: crawls, success rate and mean duration (both of the
    finished crawls: a running one has no outcome yet), new/updated/removed. The last row,
    company "TOTAL", sums every crawl."""
    query = (
        select(
            companies.c.slug,
            sessions.c.status,
            sessions.c.new_count,
            sessions.c.updated_count,
            sessions.c.removed_count,
            sessions.c.started_at,
            sessions.c.finished_at,
        )
        .join(sessions, sessions.c.company_id == companies.c.id)
        .where(sessions.c.started_at >= now - timedelta(days=days))
    )
    with engine.connect() as conn:
        found = conn.execute(query).all()
        slugs = conn.scalars(select(companies.c.slug).order_by(companies.c.slug)).all()
    per_company = {slug: [r for r in found if r.slug == slug] for slug in slugs}
    rows = [_stats_row(slug, crawls) for slug, crawls in per_company.items()]
    rows.append(_stats_row("TOTAL", found))
    return rows


def _stats_row(company: str, crawls: Sequence[Any]) -> Row:
    durations = [
        (c.finished_at - c.started_at).total_seconds() for c in crawls if c.finished_at is not None
    ]
    finished = [c for c in crawls if c.status != "running"]
    succeeded = sum(c.status == "succeeded" for c in finished)
    return {
        "company": company,
        "crawls": len(crawls),
        "succeeded": succeeded,
        "success_rate": round(succeeded / len(finished), 4) if finished else None,
        "new": sum(c.new_count for c in crawls),
        "updated": sum(c.updated_count for c in crawls),
        "removed": sum(c.removed_count for c in crawls),
        "avg_duration_s": round(sum(durations) / len(durations), 1) if durations else None,
    }


# --- new ----------------------------------------------------------------------------------

NEW_FIELDS = (
    "external_id", "title", "url", "location", "remote_type",
    "salary_min", "salary_max", "salary_currency", "salary_period", "first_seen_at",
)  # fmt: skip
#: The keys of each `new_postings` row.
NEW_ROW = ("company", *NEW_FIELDS)


def new_postings(engine: Engine, now: datetime, hours: float) -> list[Row]:
    """Postings first seen in the last `hours`, newest first."""
    query = (
        select(companies.c.slug.label("company"), *(postings.c[f] for f in NEW_FIELDS))
        .join(companies, companies.c.id == postings.c.company_id)
        .where(postings.c.first_seen_at >= now - timedelta(hours=hours))
        .order_by(postings.c.first_seen_at.desc(), companies.c.slug, postings.c.external_id)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


# --- output -------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def salary(row: Mapping[str, Any]) -> str:
    low, high = row.get("salary_min"), row.get("salary_max")
    if low is None and high is None:
        return ""
    span = f"{low:,.0f}" if high in (None, low) else f"{low or 0:,.0f}-{high:,.0f}"
    unit = "/".join(x for x in (row.get("salary_currency"), row.get("salary_period")) if x)
    return f"{span} {unit}".strip()


#: The tables: names, titles, URLs and errors are cut short to fit; figures and times are not.
NODE_COLUMNS = (
    Column("node", shrink=True),
    Column("health", shrink=True),
    Column("pending"),
    Column("running"),
    Column("finished"),
)
COMPANY_COLUMNS = (
    Column("company", shrink=True),
    Column("schedule", shrink=True),
    Column("last_crawl"),
    Column("last_status"),
    Column("next_due"),
    Column("active"),
)
STATS_COLUMNS = (
    Column("company", shrink=True),
    Column("crawls"),
    Column("succeeded"),
    Column("success_rate", show=lambda row: percent(row["success_rate"])),
    Column("new"),
    Column("updated"),
    Column("removed"),
    Column("avg_duration_s"),
)
NEW_COLUMNS = (
    Column("first_seen_at"),
    Column("company", shrink=True),
    Column("title", shrink=True),
    Column("location", shrink=True),
    Column("remote_type", "remote"),
    Column("salary", show=salary),
)  # a URL cut to fit is no link: the url is in json, csv and jsonl
