"""Posting search as one SQL query: filters, full-text match, keyset pagination.

Pages are cut by keyset on (sort key, id), never by OFFSET: postings a crawl inserts
meanwhile do not shift the next page, and a deep page costs what the first one does. Sort
keys never change once written (first seen) or fall back to one that doesn't, so no
posting moves between pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, tuple_, type_coerce

from jobcrawler.api import cursor
from jobcrawler.db.models import Company, JobPosting, UTCDateTime
from jobcrawler.db.places import in_place
from jobcrawler.db.search import matches

postings = JobPosting.__table__
companies = Company.__table__

#: Sort names: a leading "-" is descending. `posted` falls back to the first-seen time
#: for postings that give no date, so the key is never NULL.
SORT_KEYS: dict[str, ColumnElement[Any]] = {
    "first_seen": postings.c.first_seen_at,
    "posted": type_coerce(
        func.coalesce(postings.c.posted_at, postings.c.first_seen_at), UTCDateTime()
    ),
}
SORTS = (*SORT_KEYS, *(f"-{name}" for name in SORT_KEYS))
LIST_COLUMNS = (
    "id", "external_id", "title", "url", "apply_url", "location", "city", "region", "country",
    "remote_type", "employment_type", "department", "team", "salary_min", "salary_max",
    "salary_currency", "salary_period", "posted_at", "status", "first_seen_at",
    "last_seen_at", "removed_at",
)  # fmt: skip


@dataclass(frozen=True)
class PostingFilter:
    """What a search asks for; None means any. Also the seam for saved searches."""

    q: str | None = None
    company: str | None = None
    country: str | None = None
    city: str | None = None
    remote_type: str | None = None
    employment_type: str | None = None
    department: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str | None = None
    status: str | None = "active"
    posted_since: datetime | None = None
    first_seen_since: datetime | None = None


def search(
    dialect: str, where: PostingFilter, sort: str, limit: int, after: str | None = None
) -> Select[Any]:
    """The page after cursor `after` (limit + 1 rows: the extra one says there is more).
    Raises cursor.BadCursor."""
    name = sort.removeprefix("-")
    descending = sort.startswith("-")
    key = SORT_KEYS[name]
    columns = [postings.c[c] for c in LIST_COLUMNS]
    query = select(*columns, companies.c.slug.label("company"), key.label("sort_key"))
    query = query.join(companies, companies.c.id == postings.c.company_id)
    query = _filtered(query, dialect, where)
    if after is not None:
        at, last_id = cursor.decode(after, datetime, int)
        position = tuple_(key, postings.c.id)
        value = tuple_(type_coerce(at, UTCDateTime()), last_id)
        query = query.where(position < value if descending else position > value)
    order = (key.desc(), postings.c.id.desc()) if descending else (key, postings.c.id)
    return query.order_by(*order).limit(limit + 1)


def next_cursor(row: Any) -> str:
    return cursor.encode(row.sort_key, row.id)


def _filtered(query: Select[Any], dialect: str, where: PostingFilter) -> Select[Any]:
    equal = {
        companies.c.slug: where.company,
        postings.c.remote_type: where.remote_type,
        postings.c.employment_type: where.employment_type,
        postings.c.department: where.department,
        postings.c.status: where.status,
        postings.c.salary_currency: where.currency and where.currency.upper(),
    }
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    if where.salary_min is not None:  # ranges overlap
        query = query.where(
            func.coalesce(postings.c.salary_max, postings.c.salary_min) >= where.salary_min
        )
    if where.salary_max is not None:
        query = query.where(
            func.coalesce(postings.c.salary_min, postings.c.salary_max) <= where.salary_max
        )
    if where.posted_since is not None:
        query = query.where(postings.c.posted_at >= where.posted_since)
    if where.first_seen_since is not None:
        query = query.where(postings.c.first_seen_at >= where.first_seen_since)
    if where.q and where.q.strip():
        query = query.where(matches(dialect, where.q))
    return in_place(query, country=where.country, city=where.city)
