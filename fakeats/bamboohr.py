"""BambooHR careers site (`{company}.bamboohr.com/careers/list`, `/careers/{id}/detail`).

Each tenant has its own host, so the fake serves it under `/bamboohr/{token}/...`.
Quirks reproduced: the list is JSON only with `Accept: application/json` (otherwise the
careers HTML page); `{"meta": {"totalCount": N}, "result": [...]}` without descriptions,
dates or pay; ids are strings; the place is in `location{city,state}` and/or
`atsLocation{country,state,province,city}` (the other one all nulls); work mode as
`locationType` "0" on-site / "1" remote / "2" hybrid (null when unset) next to an
`isRemote` that is null, 1 or true; the detail has `description` (HTML), a free-text
`compensation`, `datePosted` (a date) and `jobOpeningShareUrl`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from html import escape
from typing import Any

from . import vocab
from .base import HTML_TYPE, Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting

EMPLOYMENT_LABELS = {
    "full_time": "Full-Time",
    "part_time": "Part-Time",
    "contract": "Contractor",
    "intern": "Intern",
    "temporary": "Temporary",
}
LOCATION_TYPES = {"on-site": "0", "remote": "1", "hybrid": "2"}
INTERVALS = {"year": "per year", "hour": "per hour"}


def _text(value: str) -> str:
    return escape(value, quote=False)


def _date(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms // 1000))


class BambooHR(Platform):
    name = "bamboohr"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        return (
            Route("/bamboohr/{token}/careers/list", "list", self.list_jobs),
            Route("/bamboohr/{token}/careers/{job_id}/detail", "detail", self.get_job),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Small integers as strings: (seed % 1000) * 100,000 + index + 1."""
        return str((seed % 1000) * 100_000 + index + 1)

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"error": "Not Found", "status": 404}, status=404)

    def list_jobs(self, request: Request, board: Board) -> Response:
        if "application/json" not in request.headers.get("accept", "").lower():
            page = f"<!DOCTYPE html><html><head><title>{_text(board.company)} - Careers</title>"
            page += '</head><body><div id="js-careers-root"></div></body></html>'
            return Response(200, page.encode(), HTML_TYPE)
        if request.empty:
            return json_response({"meta": {"totalCount": 0}, "result": []})

        def render(postings: list[Posting]) -> bytes:
            jobs = [self.summary(p) for p in postings]
            return dumps({"meta": {"totalCount": len(jobs)}, "result": jobs})

        return Response(200, board.render_cached("list", render))

    def get_job(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["job_id"])
        if posting is None:
            return self.not_found(request, "detail")
        return json_response({"meta": {}, "result": {"jobOpening": self.detail(posting, board)}})

    def summary(self, p: Posting) -> dict[str, Any]:
        place = p.place
        in_location = p.variant % 3 != 0 and place.city is not None
        in_ats = p.variant % 3 != 2 or place.city is None
        return {
            "id": p.external_id,
            "jobOpeningName": p.title,
            "departmentId": str(18_000 + vocab.DEPARTMENT_NAMES.index(p.department)),
            "departmentLabel": p.department,
            "employmentStatusLabel": EMPLOYMENT_LABELS[p.employment],
            "employmentType": None,
            "location": {
                "city": place.city if in_location else None,
                "state": place.region if in_location else None,
            },
            "atsLocation": {
                "country": place.country if in_ats else None,
                "state": place.region if in_ats else None,
                "province": None,
                "city": place.city if in_ats else None,
            },
            "isRemote": self._is_remote(p),
            "locationType": LOCATION_TYPES.get(p.workplace),
        }

    def detail(self, p: Posting, board: Board) -> dict[str, Any]:
        place = p.place
        summary = self.summary(p)
        return {
            "id": p.external_id,
            "jobOpeningShareUrl": f"https://{board.token}.bamboohr.com/careers/{p.external_id}",
            "jobOpeningName": p.title,
            "jobOpeningStatus": "Open",
            "departmentId": summary["departmentId"],
            "departmentLabel": p.department,
            "employmentStatusLabel": summary["employmentStatusLabel"],
            "location": {
                "city": place.city,
                "state": place.region,
                "postalCode": None,
                "addressCountry": place.country,
            },
            "atsLocation": summary["atsLocation"],
            "description": self._description(p),
            "compensation": self._compensation(p),
            "datePosted": _date(p.created_ms),
            "minimumExperience": "Experienced" if p.employment != "intern" else "Student",
            "locationType": summary["locationType"],
            "isRemote": summary["isRemote"],
        }

    def _is_remote(self, p: Posting) -> Any:
        if p.workplace != "remote":
            return None
        return 1 if p.variant % 2 else True

    def _compensation(self, p: Posting) -> str | None:
        if p.salary is None or not p.salary_structured:
            return None
        s = p.salary
        sym = vocab.CURRENCY_SYMBOLS[s.currency]
        return f"{sym}{s.minimum:,} - {sym}{s.maximum:,} {INTERVALS[s.interval]}"

    def _description(self, p: Posting) -> str:
        d = p.description()
        parts = [f"<p>{_text(par)}</p>" for par in d.intro]
        for heading, items in d.sections:
            bullets = "".join(f"<li>{_text(i)}</li>" for i in items)
            parts.append(f"<p><strong>{_text(heading)}</strong></p><ul>{bullets}</ul>")
        parts.extend(f"<p>{_text(par)}</p>" for par in d.closing)
        return "".join(parts)


FAKE = BambooHR()
