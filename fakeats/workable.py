"""Workable widget API (`apply.workable.com/api/v1/widget/accounts/{account}`).

Quirks reproduced: `{name, description, jobs[]}` with the whole board, no paging; a job with
several locations comes as ONE ROW PER LOCATION, every row with the same `shortcode` and
its own `country`/`city`/`state`/`locations[]`; `description` only with `details=true`;
remote only as the `telecommuting` boolean; dates as plain "YYYY-MM-DD"; blank strings
(not nulls) for unset text fields. One job is served as the careers site's API does
(`/api/v2/accounts/{account}/jobs/{shortcode}`): 404 once it is off the board.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from html import escape
from typing import Any

from . import vocab
from .base import Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting

EMPLOYMENT_TYPES = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contract",
    "intern": "Internship",
    "temporary": "Temporary",
}
EXPERIENCE = ("Entry level", "Associate", "Mid-Senior level", "Director")


def _text(value: str) -> str:
    return escape(value, quote=False)


def _date(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms // 1000))


class Workable(Platform):
    name = "workable"

    def routes(self) -> Sequence[Route]:
        return (
            Route("/api/v1/widget/accounts/{token}", "list", self.list_jobs),
            Route("/api/v2/accounts/{token}/jobs/{shortcode}", "detail", self.get_job),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Shortcodes: 10 upper-case hex digits."""
        digest = hashlib.blake2b(f"workable/{seed}/{index}".encode(), digest_size=5)
        return digest.hexdigest().upper()

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"error": "Not found"}, status=404)

    def list_jobs(self, request: Request, board: Board) -> Response:
        details = request.flag("details")
        account = {
            "name": board.company,
            "description": f"<p>{_text(board.company)} builds software for teams.</p>",
        }
        if request.empty:
            return json_response({**account, "jobs": []})

        def render(postings: list[Posting]) -> bytes:
            rows = [row for p in postings for row in self.rows(p, details=details)]
            return dumps({**account, "jobs": rows})

        return Response(200, board.render_cached(("jobs", details), render))

    def get_job(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["shortcode"])
        if posting is None:
            return self.not_found(request, "detail")
        row = self.row(posting, posting.place, details=True)
        return json_response({**row, "id": int(posting.external_id, 16), "state": "published"})

    def rows(self, p: Posting, *, details: bool) -> list[dict[str, Any]]:
        """One row per location of the posting, all with the same shortcode."""
        return [self.row(p, place, details=details) for place in p.places]

    def row(self, p: Posting, place: vocab.Place, *, details: bool) -> dict[str, Any]:
        link = f"https://apply.workable.com/j/{p.external_id}"
        row: dict[str, Any] = {
            "title": p.title,
            "shortcode": p.external_id,
            "code": p.requisition_id or "",
            "employment_type": EMPLOYMENT_TYPES[p.employment],
            "telecommuting": p.workplace == "remote",
            "department": p.department,
            "url": link,
            "shortlink": link,
            "application_url": f"{link}/apply",
            "published_on": _date(p.created_ms),
            "created_at": _date(p.created_ms),
            "country": place.country,
            "city": place.city or "",
            "state": place.region or "",
            "education": "",
            "experience": EXPERIENCE[p.variant % len(EXPERIENCE)],
            "function": "",
            "industry": "Computer Software",
            "locations": [
                {
                    "country": place.country,
                    "countryCode": place.country_code,
                    "city": place.city or "",
                    "region": place.region or "",
                    "hidden": False,
                }
            ],
        }
        if details:
            row["description"] = self._description(p)
        return row

    def _description(self, p: Posting) -> str:
        d = p.description()
        parts = [f"<p>{_text(par)}</p>" for par in d.intro]
        for heading, items in d.sections:
            parts.append(f"<p><strong>{_text(heading)}</strong></p>")
            parts.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in items) + "</ul>")
        parts.extend(f"<p>{_text(par)}</p>" for par in d.closing)
        return "".join(parts)


FAKE = Workable()
