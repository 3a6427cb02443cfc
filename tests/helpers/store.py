"""Database helpers: postings, crawls and leases written straight through CrawlStore, and
the rows they leave."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event, select, update

from jobcrawler.db.lease import leases
from jobcrawler.db.models import Company, CrawlSession, JobEvent, JobPosting, PostingLocation
from jobcrawler.db.store import CompanyRecord, CrawlStore, SessionResult

ACME = CompanyRecord(slug="acme", name="Acme Inc", ats="greenhouse", board="acme")


def posting(i: int, **changes: Any) -> dict[str, Any]:
    base = {
        "external_id": str(i),
        "title": f"Engineer {i}",
        "url": f"https://jobs.example.com/{i}",
        "apply_url": f"https://jobs.example.com/{i}/apply",
        "location": "Berlin, Germany",
        "city": "Berlin",
        "region": "Berlin",
        "country": "DE",
        "remote_type": "hybrid",
        "employment_type": "full_time",
        "department": "Engineering",
        "team": "Platform",
        "salary_min": 60000,
        "salary_max": 80000.5,
        "salary_currency": "EUR",
        "salary_period": "year",
        "posted_at": datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        "description_html": f"<p>Build things.\tTabs, \\backslashes\\ and\r\nnewlines {i}</p>",
        "description": f"Build things {i}.\n\n* one\n* two",
    }
    return base | changes


def crawl(
    engine: Engine,
    postings: Sequence[dict[str, Any]],
    *,
    company: CompanyRecord = ACME,
    complete: bool = True,
    batch: int = 7,
    **close_kwargs: Any,
) -> SessionResult:
    store = CrawlStore(engine)
    store.open(company, spider="greenhouse", job_id="job-1", trigger="schedule")
    for start in range(0, len(postings), batch):
        store.write(postings[start : start + batch])
    close_kwargs.setdefault("items_scraped", len(postings))
    return store.close(
        finish_reason="finished",
        complete=complete,
        incomplete_reason=None if complete else "listing page 3 failed",
        error_count=0,
        stats={"finish_time": datetime(2026, 11, 23, tzinfo=UTC), "item_scraped_count": 1},
        **close_kwargs,
    )


def postings_by_id(engine: Engine, slug: str = "acme") -> dict[str, JobPosting]:
    with engine.connect() as conn:
        query = select(JobPosting).join(Company).where(Company.slug == slug)
        return {row.external_id: row for row in conn.execute(query)}


def events(engine: Engine, kind: str | None = None) -> list[Any]:
    query = select(JobPosting.external_id, JobEvent).join_from(JobEvent, JobPosting)
    query = query.order_by(JobEvent.id)
    if kind:
        query = query.where(JobEvent.kind == kind)
    with engine.connect() as conn:
        return list(conn.execute(query))


def session(engine: Engine, session_id: int) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(CrawlSession).where(CrawlSession.id == session_id)).one()


@contextmanager
def captured_sql(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


OTHER = CompanyRecord(slug="other", name="Other", ats="lever", board="other")


def open_store(engine: Engine, company: CompanyRecord = ACME) -> CrawlStore:
    store = CrawlStore(engine, retry_delays=())
    store.open(company, spider=company.slug, job_id=None, trigger="manual")
    return store


def session_rows(engine: Engine) -> list[tuple[int, str, str | None]]:
    sessions = CrawlSession.__table__
    with engine.connect() as conn:
        query = select(sessions.c.id, sessions.c.status, sessions.c.error).order_by(sessions.c.id)
        return [tuple(row) for row in conn.execute(query)]


def set_holder(engine: Engine, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(update(leases).values(**values))


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def close(store: CrawlStore, complete: bool = True, gone: frozenset[str] = frozenset()):
    return store.close(
        gone=gone,
        finish_reason="finished",
        complete=complete,
        incomplete_reason=None if complete else "database write failed",
        items_scraped=0,
        error_count=0,
        stats={},
    )


def stored_places(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    query = (
        select(JobPosting.external_id, PostingLocation.position, PostingLocation.city)
        .join(PostingLocation, PostingLocation.posting_id == JobPosting.id)
        .add_columns(PostingLocation.region, PostingLocation.country, PostingLocation.raw)
        .order_by(JobPosting.external_id, PostingLocation.position)
    )
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for external_id, position, *place in conn.execute(query):
            assert position == len(found.setdefault(external_id, []))
            found[external_id].append(tuple(place))
    return found
