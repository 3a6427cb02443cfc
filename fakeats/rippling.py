"""Rippling board API v2 (`ats.rippling.com/api/v2/board/{board}/jobs`).

Quirks reproduced: `page` (0-based) / `pageSize` paging (at most 100; more is a 400) in an
`{items, page, pageSize, totalItems, totalPages}` envelope; a job with several locations
comes as one item per location (`totalItems` counts items, not jobs), so a job can
straddle two pages; `locations[].workplaceType` ON_SITE / REMOTE / HYBRID; no date and no
description in the list; the job (`/jobs/{id}`) has `description: {company, role}`,
`employmentType: {label: "SALARIED_FT", id: "Salaried, full-time"}`, `createdOn` with
a -07:00 offset, `payRangeDetails` only when pay is structured; an unknown job is a 404
`RESOURCE_NOT_FOUND`.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import Posting
from .xmlfeeds import bullets, paragraphs

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
NAMESPACE = uuid.UUID("6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b")
WORKPLACE = {"remote": "REMOTE", "hybrid": "HYBRID", "on-site": "ON_SITE"}
EMPLOYMENT = {
    "full_time": ("SALARIED_FT", "Salaried, full-time"),
    "part_time": ("HOURLY_PT", "Hourly, part-time"),
    "contract": ("CONTRACTOR", "Contractor"),
    "intern": ("INTERN", "Intern"),
    "temporary": ("TEMPORARY", "Temporary"),
}


def _error(status: int, code: str, message: str) -> Response:
    return json_response({"code": code, "message": message}, status=status)


def _paging(request: Request) -> tuple[int, int]:
    page = int(request.query.get("page") or 0)
    size = int(request.query.get("pageSize") or DEFAULT_PAGE_SIZE)
    if page < 0 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError("paging out of range")
    return page, size


class Rippling(Platform):
    name = "rippling"

    def routes(self) -> Sequence[Route]:
        api = "/api/v2/board/{token}/jobs"
        return (
            Route(api, "list", self.list_jobs),
            Route(f"{api}/{{job_id}}", "detail", self.get_job),
        )

    def external_id(self, seed: int, index: int) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{seed}/{index}"))

    def page_of(self, request: Request) -> int:
        try:
            return _paging(request)[0]
        except ValueError:
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        return _error(404, "RESOURCE_NOT_FOUND", "Resource not found")

    def list_jobs(self, request: Request, board: Board) -> Response:
        try:
            page, size = _paging(request)
        except ValueError:
            return _error(400, "BAD_REQUEST", f"pageSize must be between 1 and {MAX_PAGE_SIZE}")
        items = (
            [] if request.empty else board.render_cached("items", lambda ps: self._items(ps, board))
        )
        return json_response(
            {
                "items": items[page * size : (page + 1) * size],
                "page": page,
                "pageSize": size,
                "totalItems": len(items),
                "totalPages": math.ceil(len(items) / size),
            }
        )

    def get_job(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["job_id"])
        if posting is None:
            return self.not_found(request, "detail")
        return json_response(self.job(posting, board))

    def _items(self, postings: list[Posting], board: Board) -> list[dict[str, Any]]:
        """One item per job and location, as the board lists them."""
        items = []
        for p in postings:
            base = {
                "id": p.external_id,
                "name": p.title,
                "url": f"https://ats.rippling.com/{board.token}/jobs/{p.external_id}",
                "department": {"name": p.department},
            }
            items += [{**base, "locations": [self._location(p, place)]} for place in p.places]
        return items

    def _location(self, p: Posting, place: Any) -> dict[str, Any]:
        location = {
            "name": place.name,
            "country": place.country,
            "countryCode": place.country_code,
            "workplaceType": WORKPLACE.get(
                place.kind if place.kind != "on-site" else p.workplace, "ON_SITE"
            ),
        }
        if place.city:
            location["city"] = place.city
        if place.region:
            location["state"] = place.region
        return location

    def job(self, p: Posting, board: Board) -> dict[str, Any]:
        d = p.description()
        label, words = EMPLOYMENT[p.employment]
        role = paragraphs(d.intro[1:]) + "".join(
            f"<h3>{escape(heading, quote=False)}</h3>{bullets(items)}"
            for heading, items in d.sections
        )
        job: dict[str, Any] = {
            "uuid": p.external_id,
            "name": p.title,
            "description": {
                "company": paragraphs(d.intro[:1]),
                "role": role + paragraphs(d.closing),
            },
            "workLocations": [place.name for place in p.places],
            "department": {"name": p.department},
            "employmentType": {"label": label, "id": words},
            "createdOn": time.strftime(
                "%Y-%m-%dT%H:%M:%S.000000-07:00", time.gmtime(p.created_ms // 1000 - 7 * 3600)
            ),
            "companyName": board.company,
            "url": f"https://ats.rippling.com/{board.token}/jobs/{p.external_id}",
            "board": {"boardURL": f"https://ats.rippling.com/{board.token}/jobs", "logo": None},
            "unlistedFromSearch": False,
        }
        if p.salary is not None and p.salary_structured:
            s = p.salary
            job["payRangeDetails"] = [
                {
                    "currency": s.currency,
                    "frequency": s.interval.upper(),
                    "rangeStart": s.minimum,
                    "rangeEnd": s.maximum,
                }
            ]
        return job


FAKE = Rippling()
