"""Posting search as one SQL query: filters, full-text match, keyset pagination.

Pages are cut by keyset on (sort key, id), never by OFFSET: postings a crawl inserts
meanwhile do not shift the next page, and a deep page costs what the first one does. Sort
keys never change once written (first seen) or fall back to one that doesn't, so no
posting moves between pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, tuple_, type_coerce

from jobcrawler.api import cursor
from jobcrawler.db.filters import PostingFilter, filtered
from jobcrawler.db.models import Company, JobPosting, UTCDateTime

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
    query = filtered(query, dialect, where)
    if after is not None:
        at, last_id = cursor.decode(after, datetime, int)
        position = tuple_(key, postings.c.id)
        value = tuple_(type_coerce(at, UTCDateTime()), last_id)
        query = query.where(position < value if descending else position > value)
    order = (key.desc(), postings.c.id.desc()) if descending else (key, postings.c.id)
    return query.order_by(*order).limit(limit + 1)


def next_cursor(row: Any) -> str:
    return cursor.encode(row.sort_key, row.id)
