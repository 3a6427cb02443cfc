"""Rendering: Jinja2 templates and the stylesheet, both read from the package with
importlib.resources, so they load from a wheel and from the zipped scrapyd egg alike.

Autoescaping is on for every template: titles, errors and URLs come from career sites.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FunctionLoader, StrictUndefined

PACKAGE = "jobcrawler.dashboard"


def _template_source(name: str) -> str:
    return resources.files(PACKAGE).joinpath("templates", name).read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_template_source),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=when, ago=ago, web_url=web_url, salary=salary)
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


#: The files under static/ and their media types: nothing else is served from there.
STATIC = {"dashboard.css": "text/css", "favicon.svg": "image/svg+xml"}


@cache
def static_file(name: str) -> bytes:
    return resources.files(PACKAGE).joinpath("static", name).read_bytes()


def when(value: datetime | None) -> str:
    """A time as `2026-12-02 12:20 UTC`; empty for none."""
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, coarsely: `40 s`, `12 min`, `5 h`, `3 d`."""
    if value is None:
        return ""
    seconds = max(((now or datetime.now(UTC)) - value).total_seconds(), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return f"{int(seconds)} s ago"


def salary(low: float | None, high: float | None, currency: str | None) -> str:
    """`60,000–80,000 EUR`, `from 60,000 EUR`; empty when no amount is given."""
    low_text, high_text = (f"{n:,.0f}" if n is not None else "" for n in (low, high))
    if not (low_text or high_text):
        return ""
    amount = f"{low_text}–{high_text}" if low_text and high_text else f"{low_text or high_text}"
    return f"{amount} {currency or ''}".strip()


def web_url(value: str | None) -> str | None:
    """The URL if it is http(s), else None: a `javascript:` link would run when clicked,
    escaping or not."""
    try:
        scheme = urlsplit(value or "").scheme.lower()
    except ValueError:
        return None
    return value if scheme in ("http", "https") else None
