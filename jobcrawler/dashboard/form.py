"""The search form: its query string read into the posting filter the API and the exports
use, with a message per bad field instead of an error page, so a typo leaves the form filled
in for fixing. `company` takes one slug or several, separated by commas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jobcrawler.api import queries
from jobcrawler.db.filters import PostingFilter

TEXT_FIELDS = ("q", "company", "city", "remote_type", "employment_type", "department")
STATUSES = ("active", "stale", "removed", "any")
MAX_TEXT = 200
PAGE_SIZE = 25


@dataclass
class SearchForm:
    """What the form was given (`values`, to fill it again) and what it means."""

    values: dict[str, str]
    where: PostingFilter = field(default_factory=PostingFilter)
    sort: str = "-first_seen"
    after: str | None = None
    errors: list[str] = field(default_factory=list)


def read_form(params: Mapping[str, str]) -> SearchForm:
    values = {name: params.get(name, "").strip() for name in (*TEXT_FIELDS, *OTHER_FIELDS)}
    form = SearchForm(values)
    found: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if len(values[name]) > MAX_TEXT:
            form.errors.append(f"{name}: at most {MAX_TEXT} characters")
        elif values[name]:
            found[name] = values[name]
    for name, parse in OTHER_FIELDS.items():
        if not values[name]:
            continue
        try:
            found[name] = parse(values[name])
        except ValueError as exc:
            form.errors.append(f"{name}: {exc}")
    if "company" in found:
        found["companies"] = tuple(s.strip() for s in found.pop("company").split(",") if s.strip())
    status = found.pop("status", "active")
    form.sort = found.pop("sort", form.sort)
    form.where = PostingFilter(**found, status=None if status == "any" else status)
    form.after = params.get("after") or None
    return form


def _code(size: int) -> Any:
    def parse(value: str) -> str:
        if len(value) != size or not (value.isascii() and value.isalpha()):
            raise ValueError(f"{size} letters, such as {'DE' if size == 2 else 'EUR'}")
        return value.upper()

    return parse


def _amount(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise ValueError("a whole number, such as 60000")
    return int(value)


def _day(value: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
    except ValueError:
        raise ValueError("a date, such as 2026-11-30") from None


def _choice(options: tuple[str, ...]) -> Any:
    def parse(value: str) -> str:
        if value not in options:
            raise ValueError(f"one of {', '.join(options)}")
        return value

    return parse


OTHER_FIELDS = {
    "country": _code(2),
    "currency": _code(3),
    "salary_min": _amount,
    "salary_max": _amount,
    "posted_since": _day,
    "first_seen_since": _day,
    "status": _choice(STATUSES),
    "sort": _choice(queries.SORTS),
}
