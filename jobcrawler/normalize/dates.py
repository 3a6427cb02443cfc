"""Any ATS timestamp -> timezone-aware UTC datetime; unparseable values give None.

Relative text ("Posted Yesterday", "3 days ago") resolves against the crawl's clock, so it
gives another date on every crawl: `is_relative` tells the store to keep the first one.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

_MS_THRESHOLD = 10**11  # larger epochs are milliseconds (10**11 s is in the year 5138)
_EPOCH = re.compile(r"[+-]?\d+(?:\.\d+)?")
_UTC_SUFFIX = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
# Workday: "Posted Today", "Posted Yesterday", "Posted 6 Days Ago", "Posted 30+ Days Ago";
# career pages: "posted 5 hours ago", "2 weeks ago", "a month ago".
_RELATIVE = re.compile(
    r"(?:posted\s+)?(?:(?P<today>today|just\s+now)|(?P<yesterday>yesterday)"
    r"|(?P<count>\d+|an?)\+?\s+(?P<unit>minute|hour|day|week|month)s?\s+ago)",
    re.IGNORECASE,
)
_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
}


def to_utc(value: Any, *, now: datetime | None = None) -> datetime | None:
    """Aware UTC datetime from a datetime, date, epoch (s or ms) or date string; never raises."""
    try:
        return _to_utc(value, now)
    except (ValueError, TypeError, OverflowError, OSError):
        return None


def is_relative(value: Any) -> bool:
    """Whether `value` is relative text that `to_utc` resolves against the current time."""
    return isinstance(value, str) and _RELATIVE.fullmatch(value.strip()) is not None


def _to_utc(value: Any, now: datetime | None) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(value)
    if isinstance(value, str):
        return _from_string(value.strip(), now)
    return None


def _now() -> datetime:
    return datetime.now(UTC)


def _age(relative: re.Match[str]) -> timedelta:
    if relative["today"]:
        return timedelta(0)
    if relative["yesterday"]:
        return timedelta(days=1)
    count = relative["count"].lower()
    return _UNITS[relative["unit"].lower()] * (1 if count in ("a", "an") else int(count))


def _from_epoch(seconds: float) -> datetime | None:
    if not math.isfinite(seconds):
        return None
    if abs(seconds) > _MS_THRESHOLD:
        seconds /= 1000
    return datetime.fromtimestamp(seconds, tz=UTC)


def _from_string(text: str, now: datetime | None) -> datetime | None:
    if not text:
        return None
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text))
    relative = _RELATIVE.fullmatch(text)
    if relative:
        return _to_utc(now or _now(), None) - _age(relative)
    try:
        # fromisoformat covers "Z", offsets, fractions and date-only strings (Python 3.11+).
        return _to_utc(datetime.fromisoformat(_UTC_SUFFIX.sub("+00:00", text)), None)
    except ValueError:
        pass
    return _to_utc(parsedate_to_datetime(text), None)  # RFC 2822; raises ValueError if not
