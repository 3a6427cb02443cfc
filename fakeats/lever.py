"""Lever Postings API (`api.lever.co/v0/postings/{site}`).

Quirks reproduced: a bare JSON array; JSON only with `mode=json` or `Accept:
application/json` (query wins), otherwise an HTML page like Lever's widget; optional
`skip`/`limit` paging (no limit = the rest of the board); the description split into
`description` + `lists` + `additional` with `*Plain` twins; `commitment` as free text and
sometimes missing; `salaryRange` only on some postings; 404 `{"ok":false,...}`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import HTML_TYPE, Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting

NAMESPACE = uuid.UUID("6f1b52c4-3a8e-4c55-9a57-0d6f4b0e8a11")
COMMITMENTS: dict[str, tuple[str, ...]] = {
    "full_time": ("Full-time", "Permanent", "Full Time", "Full-time"),
    "part_time": ("Part-time", "Part Time"),
    "contract": ("Contract", "Contractor"),
    "intern": ("Intern", "Internship"),
    "temporary": ("Temporary", "Fixed Term"),
}
INTERVALS = {"year": "per-year-salary", "hour": "per-hour-wage"}


def _text(value: str) -> str:
    return escape(value, quote=False)


def _paging(request: Request) -> tuple[int, int | None]:
    """(skip, limit) from the query; ValueError when they are not non-negative integers."""
    skip = int(request.query.get("skip") or 0)
    raw_limit = request.query.get("limit")
    limit = int(raw_limit) if raw_limit else None
    if skip < 0 or (limit is not None and limit < 0):
        raise ValueError("negative paging value")
    return skip, limit


def _wants_json(request: Request) -> bool:
    mode = request.query.get("mode")
    if mode is not None:
        return mode == "json"
    accept = request.headers.get("accept", "").lower()
    if "application/json" not in accept:
        return False
    html_at = accept.find("text/html")
    return html_at < 0 or accept.index("application/json") < html_at


class Lever(Platform):
    name = "lever"

    def routes(self) -> Sequence[Route]:
        return (
            Route("/v0/postings/{token}", "list", self.list_postings),
            Route("/v0/postings/{token}/{posting_id}", "detail", self.get_posting),
        )

    def external_id(self, seed: int, index: int) -> str:
        return str(uuid.uuid5(NAMESPACE, f"lever/{seed}/{index}"))

    def page_of(self, request: Request) -> int:
        try:
            skip, limit = _paging(request)
        except ValueError:
            return 0
        return skip // limit if limit else 0

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"ok": False, "error": "Document not found"}, status=404)

    def list_postings(self, request: Request, board: Board) -> Response:
        try:
            skip, limit = _paging(request)
        except ValueError:
            return json_response({"ok": False, "error": "Invalid skip or limit"}, status=400)
        end = None if limit is None else skip + limit
        if not _wants_json(request):
            rows: list[str] = []
            if not request.empty:
                rows = board.render_cached("html", lambda ps: self._html_rows(ps, board.token))
            return Response(200, self._html_page(board, rows[skip:end]), HTML_TYPE)
        if request.empty:
            return Response(200, b"[]")

        def render(postings: list[Posting]) -> list[bytes]:
            return [dumps(self.posting(p, board.token)) for p in postings]

        fragments = board.render_cached("json", render)
        return Response(200, b"[" + b",".join(fragments[skip:end]) + b"]")

    def get_posting(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["posting_id"])
        if posting is None:
            return self.not_found(request, "detail")
        return json_response(self.posting(posting, board.token))

    def posting(self, p: Posting, site: str) -> dict[str, Any]:
        d = p.description()
        opening_pars = d.intro[:1] if p.variant % 3 == 0 else ()
        body_pars = d.intro[len(opening_pars) :]
        opening = "".join(f"<div>{_text(par)}</div>" for par in opening_pars)
        body = "".join(f"<div>{_text(par)}</div>" for par in body_pars)
        opening_plain = "\n".join(opening_pars)
        body_plain = "\n".join(body_pars)
        categories: dict[str, Any] = {}
        commitments = COMMITMENTS[p.employment]
        if p.variant % 20 != 0:
            categories["commitment"] = commitments[p.variant // 20 % len(commitments)]
        categories.update(
            department=p.department,
            location=p.place.name,
            team=p.team,
            allLocations=[place.name for place in p.places],
        )
        hosted = f"https://jobs.lever.co/{site}/{p.external_id}"
        posting: dict[str, Any] = {
            "additional": "".join(f"<div>{_text(par)}</div>" for par in d.closing),
            "additionalPlain": "\n".join(d.closing),
            "categories": categories,
            "createdAt": p.created_ms,
            "descriptionPlain": "\n".join(x for x in (opening_plain, body_plain) if x),
            "description": opening + body,
            "id": p.external_id,
            "lists": [
                {"text": heading, "content": "".join(f"<li>{_text(i)}</li>" for i in items)}
                for heading, items in d.sections
            ],
            "text": p.title,
            "country": p.place.country_code,
            "workplaceType": p.workplace,
            "opening": opening,
            "openingPlain": opening_plain,
            "descriptionBody": body,
            "descriptionBodyPlain": body_plain,
            "hostedUrl": hosted,
            "applyUrl": f"{hosted}/apply",
        }
        if p.salary is not None and p.salary_structured:
            s = p.salary
            posting["salaryRange"] = {
                "currency": s.currency,
                "interval": INTERVALS[s.interval],
                "min": s.minimum,
                "max": s.maximum,
            }
            if p.variant % 2:
                note = "Pay is based on experience, skills and location."
                posting["salaryDescription"] = f"<div>{note}</div>"
                posting["salaryDescriptionPlain"] = note
        return posting

    def _html_rows(self, postings: list[Posting], site: str) -> list[str]:
        site = escape(site)
        return [
            f'<div class="posting" data-qa-posting-id="{p.external_id}">'
            f'<a class="posting-title" href="https://jobs.lever.co/{site}/{p.external_id}">'
            f'<h5 data-qa="posting-name">{_text(p.title)}</h5>'
            f'<span class="sort-by-location">{_text(p.place.name)}</span></a></div>'
            for p in postings
        ]

    def _html_page(self, board: Board, rows: list[str]) -> bytes:
        return (
            f"<!DOCTYPE html><html><head><title>{_text(board.company)} jobs</title></head>"
            f'<body><div class="postings-wrapper">{"".join(rows)}</div></body></html>'
        ).encode()


FAKE = Lever()
