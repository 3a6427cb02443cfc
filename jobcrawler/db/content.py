"""Posting content: the fields the store keeps, their coercion, hash and old/new diff.

Hash and diff both work on the coerced values (UTC datetimes, numbers rounded to cents like
the Numeric(14, 2) column), so a value that round-trips through the database unchanged never
looks changed.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

logger = logging.getLogger(__name__)

POSTING_FIELDS = (
    "title", "url", "apply_url", "location", "city", "region", "country", "remote_type",
    "employment_type", "department", "team", "salary_min", "salary_max", "salary_currency",
    "salary_period", "posted_at", "description_html", "description",
)  # fmt: skip
CODE_LENGTHS = {"country": 2, "salary_currency": 3}
#: A place's columns in `posting_locations`, in the order of the place tuples below.
PLACE_FIELDS = ("city", "region", "country", "raw")

Place = tuple[str | None, str | None, str | None, str | None]


def utc(value: datetime) -> datetime:
    """Aware UTC datetime; naive input is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _clean_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            logger.warning("ignoring unparseable posted_at %r", value)
            return None
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    return None


def _clean_number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 2) if math.isfinite(number) else None


def clean_posting(posting: Mapping[str, Any]) -> dict[str, Any]:
    """The POSTING_FIELDS of `posting` coerced to what their columns store.

    Bad codes become NULL with a warning instead of failing the whole batch on PostgreSQL.
    """
    values: dict[str, Any] = {}
    for field in POSTING_FIELDS:
        value = posting.get(field)
        if field == "posted_at":
            value = _clean_datetime(value)
        elif field in ("salary_min", "salary_max"):
            value = _clean_number(value)
        elif value is not None:
            value = str(value).replace("\x00", "")  # PostgreSQL text can't hold NUL
        values[field] = value
    for field, length in CODE_LENGTHS.items():
        code = values[field]
        if code is not None and len(code) != length:
            logger.warning("ignoring %s %r: not a %d-letter code", field, code, length)
            values[field] = None
        elif code is not None:
            values[field] = code.upper()
    return values


def clean_places(posting: Mapping[str, Any], values: Mapping[str, Any]) -> list[Place]:
    """The posting's places (normalized `locations`) as (city, region, country, raw) tuples.

    `values` are the posting's cleaned fields: a posting without `locations` (not through
    the normalize stage) is in its own primary place, if it has one.
    """
    places = posting.get("locations")
    if places is None:
        primary = (values["city"], values["region"], values["country"])
        return [(*primary, values["location"])] if any(primary) else []
    cleaned: list[Place] = []
    for place in places:
        if not isinstance(place, Mapping):
            continue
        city, region, country, raw = (
            None if (value := place.get(field)) is None else str(value).replace("\x00", "")
            for field in PLACE_FIELDS
        )
        if country is not None and len(country) != 2:
            logger.warning("ignoring place country %r: not a 2-letter code", country)
            country = None
        cleaned.append((city, region, country and country.upper(), raw))
    return cleaned


def with_places(values: Mapping[str, Any], places: Sequence[Place]) -> dict[str, Any]:
    """What the content hash covers: the fields, and the places when there are several.

    One place is the posting's own location/city/region/country, already covered: postings
    in one place keep the hash they had before places were stored.
    """
    return {**values, "locations": list(places) if len(places) > 1 else None}


def jsonable(value: Any) -> Any:
    """`value` made JSON-serialisable: datetimes as ISO UTC strings, Decimals as floats."""
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def hash_clean(values: Mapping[str, Any]) -> str:
    """Hash of already cleaned values (the store cleans once, then hashes).

    Defined over the fields' names and non-null values, in name order, each length-prefixed:
    a field added to the model, null for existing postings, leaves their hashes unchanged,
    and no two postings share a byte stream. Cheaper than JSON-encoding ~10 KB of
    description per posting.
    """
    digest = hashlib.sha256()
    for name, value in sorted(values.items()):
        if value is None:
            continue
        if isinstance(value, datetime):
            value = utc(value).isoformat()
        data = (value if isinstance(value, str) else repr(value)).encode()
        digest.update(b"%d:%s%d:" % (len(name), name.encode(), len(data)))
        digest.update(data)
    return digest.hexdigest()


def content_hash(posting: Mapping[str, Any]) -> str:
    """Stable SHA-256 of the POSTING_FIELDS (datetimes as ISO UTC, numbers rounded to cents)
    and of the places when there are several."""
    values = clean_posting(posting)
    return hash_clean(with_places(values, clean_places(posting, values)))


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any] | None:
    """{field: {"old": .., "new": ..}} for the fields that differ, None if none do.

    `locations` (lists of place tuples) is compared too when both sides have it.
    """
    changes = {}
    places = ("locations",) if "locations" in old and "locations" in new else ()
    for field in (*POSTING_FIELDS, *places):
        before, after = jsonable(old[field]), jsonable(new[field])
        if before != after:
            changes[field] = {"old": before, "new": after}
    return changes or None
