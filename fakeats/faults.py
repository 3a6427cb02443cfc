"""Injected failures for listing requests: the ways real ATS APIs break a crawl.

Each kind mimics something crawlers meet in production: 5xx, rate limiting, slow
upstreams, connections cut mid-body, garbage, bot-protection HTML pages and boards that
suddenly answer an empty list (which must not be read as "every posting was removed"),
and JSON listings with one malformed entry (a field of the wrong type, a `null` entry).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .base import HTML_TYPE, Response, dumps, json_response

# kind -> allowed options with their defaults
FAULT_KINDS: dict[str, dict[str, Any]] = {
    "http_500": {},
    "http_429": {"retry_after": 1},
    "slow": {"delay": 1.0},
    "truncated": {},
    "invalid_json": {},
    "html": {},
    "empty": {},
    # entry `entry` of the JSON posting list gets `field` = `value`; without a field, the
    # whole entry becomes `value` (null by default)
    "malformed_entry": {"entry": 1, "field": None, "value": None},
}

CHALLENGE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    b"<body><h1>Checking your browser before accessing the site.</h1>"
    b"<p>This process is automatic.</p></body></html>"
)
GARBAGE = b'{"jobs":[{"id":4000000001,"title":"Engineer",,,}]<!-- upstream error -->'


@dataclass
class Fault:
    """One configured fault; `remaining` counts down when `times` was given."""

    kind: str
    times: int | None = None
    page: int | None = None
    options: dict[str, Any] = field(default_factory=dict)
    remaining: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "times": self.times, "page": self.page, **self.options}


def make_fault(kind: str, times: int | None, page: int | None, **options: Any) -> Fault:
    """Validate a fault spec; unknown kinds or options raise ValueError."""
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
    allowed = FAULT_KINDS[kind]
    unknown = set(options) - set(allowed)
    if unknown:
        raise ValueError(f"fault {kind!r} takes no option(s) {sorted(unknown)}")
    if times is not None and (not isinstance(times, int) or times < 0):
        raise ValueError("times must be a non-negative integer or None")
    if page is not None and (not isinstance(page, int) or page < 0):
        raise ValueError("page must be a non-negative integer or None")
    return Fault(kind, times, page, {**allowed, **options}, remaining=times)


def respond(fault: Fault, render: Callable[[bool], Response]) -> Response:
    """The response a faulty listing gives; `render(empty)` makes the normal one."""
    kind = fault.kind
    if kind == "http_500":
        return json_response({"status": 500, "error": "Internal Server Error"}, status=500)
    if kind == "http_429":
        response = json_response({"status": 429, "error": "Too Many Requests"}, status=429)
        response.headers["Retry-After"] = str(fault.options["retry_after"])
        return response
    if kind == "slow":
        time.sleep(float(fault.options["delay"]))
        return render(False)
    if kind == "truncated":
        response = render(False)
        response.body = response.body[: len(response.body) // 2]
        return response
    if kind == "invalid_json":
        return Response(200, GARBAGE)
    if kind == "html":
        return Response(200, CHALLENGE_PAGE, HTML_TYPE)
    if kind == "empty":
        return render(True)
    if kind == "malformed_entry":
        return malformed_entry(render(False), **fault.options)
    raise AssertionError(kind)


def malformed_entry(response: Response, entry: int, field: str | None, value: Any) -> Response:
    """A JSON listing whose posting list (the body, or its first list of objects) has one
    entry broken; other bodies (XML feeds) are served as they are."""
    try:
        data = json.loads(response.body)
    except ValueError:
        return response
    entries = data if isinstance(data, list) else _posting_list(data)
    if entries is None or not 0 <= entry < len(entries):
        return response
    if field is None:
        entries[entry] = value
    else:
        entries[entry][field] = value
    return Response(response.status, dumps(data), response.content_type, response.headers)


def _posting_list(data: Any) -> list[Any] | None:
    lists = (v for v in data.values() if isinstance(v, list)) if isinstance(data, dict) else ()
    return next((v for v in lists if v and all(isinstance(e, dict) for e in v)), None)
