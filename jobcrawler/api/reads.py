"""The API's reads other than search and the feed: one posting, companies, sessions, health."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from croniter import croniter
from sqlalchemy import Connection, func, select

from jobcrawler.api.queries import LIST_COLUMNS
from jobcrawler.db.models import Company, CrawlSession, JobEvent, JobPosting, PostingLocation

postings = JobPosting.__table__
companies = Company.__table__
sessions = CrawlSession.__table__
events = JobEvent.__table__
places = PostingLocation.__table__

SESSION_COLUMNS = [c for c in sessions.c if c.name not in ("company_id", "stats")]


def posting(conn: Connection, posting_id: int) -> dict[str, Any] | None:
    """A posting with its places and its event history, oldest first."""
    columns = [postings.c[c] for c in (*LIST_COLUMNS, "description", "description_html")]
    query = select(*columns, companies.c.slug.label("company")).join(
        companies, companies.c.id == postings.c.company_id
    )
    row = conn.execute(query.where(postings.c.id == posting_id)).first()
    if row is None:
        return None
    place_rows = conn.execute(
        select(places.c.city, places.c.region, places.c.country, places.c.raw)
        .where(places.c.posting_id == posting_id)
        .order_by(places.c.position)
    )
    history = conn.execute(
        select(events.c.id, events.c.session_id, events.c.kind, events.c.at, events.c.changes)
        .where(events.c.posting_id == posting_id)
        .order_by(events.c.id)
    )
    return {
        **row._asdict(),
        "places": [p._asdict() for p in place_rows],
        "events": [e._asdict() for e in history],
    }


def session_query(*, company: str | None = None, status: str | None = None) -> Any:
    query = select(*SESSION_COLUMNS, companies.c.slug.label("company")).join(
        companies, companies.c.id == sessions.c.company_id
    )
    if company is not None:
        query = query.where(companies.c.slug == company)
    if status is not None:
        query = query.where(sessions.c.status == status)
    return query


def session_page(
    conn: Connection, company: str | None, status: str | None, before: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """Sessions newest first, `limit` of them with an id below `before`; and the next `before`."""
    query = session_query(company=company, status=status).order_by(sessions.c.id.desc())
    if before is not None:
        query = query.where(sessions.c.id < before)
    rows = [r._asdict() for r in conn.execute(query.limit(limit + 1))]
    return rows[:limit], rows[limit - 1]["id"] if len(rows) > limit else None


def session(conn: Connection, session_id: int) -> dict[str, Any] | None:
    query = session_query().add_columns(sessions.c.stats).where(sessions.c.id == session_id)
    row = conn.execute(query).first()
    return None if row is None else row._asdict()


def company_page(
    conn: Connection,
    schedules: Mapping[str, str],
    after: str | None,
    limit: int,
    slug: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Companies by slug with their active postings, last session and next due time."""
    active = (
        select(func.count())
        .where(postings.c.company_id == companies.c.id, postings.c.status == "active")
        .scalar_subquery()
    )
    last = (
        select(func.max(sessions.c.id))
        .where(sessions.c.company_id == companies.c.id)
        .scalar_subquery()
    )
    query = select(companies, active.label("active_postings"), last.label("last_id"))
    if slug is not None:
        query = query.where(companies.c.slug == slug)
    if after is not None:
        query = query.where(companies.c.slug > after)
    rows = conn.execute(query.order_by(companies.c.slug).limit(limit + 1)).all()[: limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    last_ids = [r.last_id for r in rows if r.last_id is not None]
    found = conn.execute(session_query().where(sessions.c.id.in_(last_ids))) if last_ids else []
    last_sessions = {s.id: s._asdict() for s in found}
    now = datetime.now(UTC)
    result = [
        {
            **{k: v for k, v in r._asdict().items() if k not in ("id", "last_id")},
            "last_session": last_sessions.get(r.last_id),
            "next_due": _next_due(schedules.get(r.slug), now) if r.active else None,
        }
        for r in rows
    ]
    return result, rows[-1].slug if more else None


def _next_due(schedule: str | None, now: datetime) -> datetime | None:
    if schedule is None:
        return None
    return croniter(schedule, now).get_next(datetime).astimezone(UTC)
