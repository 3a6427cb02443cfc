"""Which postings a search, an export or a saved search is about: one filter, built into
a query.

Self-contained on purpose (only the models, `places.in_place` and `search.matches`), so
the search API, the export command, the dashboard and the alerts share one meaning of
every filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator
from sqlalchemy import Select, func

from jobcrawler.db.content import utc
from jobcrawler.db.models import Company, JobPosting
from jobcrawler.db.places import in_place
from jobcrawler.db.search import matches

postings = JobPosting.__table__
companies = Company.__table__

#: The posting statuses; a filter's `status=None` means any of them.
STATUSES = ("active", "removed", "stale")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_time(value: object) -> object:
    """A time filter as ISO 8601 (a date, or a date and time): pydantic would also read a
    number, "0.5", as Unix time, which no one means by `posted_since`."""
    if isinstance(value, int | float) or (isinstance(value, str) and not ISO_DATE.match(value)):
        raise ValueError("expected an ISO 8601 date or date-time, such as 2026-11-01T08:00:00Z")
    return value


#: A `*_since` filter as the API and saved searches take it (a date alone: its midnight UTC).
Since = Annotated[datetime | None, BeforeValidator(iso_time)]


@dataclass(frozen=True)
class PostingFilter:
    """What a posting must match; unset fields match everything.

    `q`: words all found in the title or description. `country`/`city` match any of a
    posting's places. A salary bound keeps postings whose stated range reaches it
    (`salary_min` 80000 keeps 60000-90000) and drops postings that state no salary.
    Text fields match case-insensitively and whole.
    """

    q: str | None = None
    companies: tuple[str, ...] = ()
    country: str | None = None
    city: str | None = None
    remote_type: str | None = None
    employment_type: str | None = None
    department: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    currency: str | None = None
    status: str | None = "active"
    posted_since: datetime | None = None
    first_seen_since: datetime | None = None


def filtered(query: Select[Any], dialect: str, match: PostingFilter) -> Select[Any]:
    """`query` (over job_postings joined to companies) narrowed to the postings `match`
    keeps; `dialect` picks the full-text index."""
    p = postings.c
    if match.companies:
        query = query.where(companies.c.slug.in_(match.companies))
    query = in_place(query, country=match.country, city=match.city)
    for column, value in (
        (p.remote_type, match.remote_type),
        (p.employment_type, match.employment_type),
        (p.department, match.department),
    ):
        if value:
            query = query.where(func.lower(column) == value.lower())
    if match.status:
        query = query.where(p.status == match.status)
    if match.posted_since:
        query = query.where(p.posted_at >= utc(match.posted_since))
    if match.first_seen_since:
        query = query.where(p.first_seen_at >= utc(match.first_seen_since))
    if match.salary_min is not None:
        query = query.where(func.coalesce(p.salary_max, p.salary_min) >= match.salary_min)
    if match.salary_max is not None:
        query = query.where(func.coalesce(p.salary_min, p.salary_max) <= match.salary_max)
    if match.currency:
        query = query.where(p.salary_currency == match.currency.upper())
    if match.q and match.q.strip():
        query = query.where(matches(dialect, match.q))
    return query
