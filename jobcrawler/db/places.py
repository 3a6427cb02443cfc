"""Postings found by any of their places, not only the primary one.

`posting_locations` holds every place of a posting (position 0 is its own city/country);
its indexes on `country` and `lower(city)` serve these filters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, func

from jobcrawler.db.models import JobPosting, PostingLocation

postings = JobPosting.__table__
places = PostingLocation.__table__


def in_place(
    query: Select[Any], *, country: str | None = None, city: str | None = None
) -> Select[Any]:
    """`query` (over job_postings) narrowed to postings with a place in `country` (ISO
    alpha-2) and/or `city` (case-insensitive); both given, one place must match both."""
    if not country and not city:
        return query
    match = exists().where(places.c.posting_id == postings.c.id)
    if country:
        match = match.where(places.c.country == country.upper())
    if city:
        match = match.where(func.lower(places.c.city) == func.lower(city))
    return query.where(match)
