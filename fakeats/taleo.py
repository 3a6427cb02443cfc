"""Taleo career sections (`{tenant}.taleo.net/careersection/{section}/...`).

Each tenant has its own host, so the fake serves it under `/taleo/{token}/...`; the
section is `2` and the portal number `101430233`. Quirks reproduced: `jobsearch.ftl` is a
JavaScript shell with no rows, only the portal number in a script; the rows come from
the POST `/careersection/rest/jobboard/searchjobs?lang=en&portal=N`, which answers HTTP 500
"An Error Occurred in TEE" without a `tz` header and a plain error for another portal;
`pageSize` in the body is ignored (25 per page, echoed as asked); a page past the end
serves the last page again; `column` cells have no names (title, a location cell that is
a JSON array in a string of `US-TX-Austin` hierarchies, a date as "Aug 24, 2026"), with
`linkedColumn` and `locationsColumns` pointing at the title and locations; board option
`overstate` adds that many to `totalCount`, as some sections do. The job page
`jobdetail.ftl?job={contestNo}` carries the advert as percent-encoded `!*!` strings inside
`api.fillList('requisitionDescriptionInterface', 'descRequisition', [...])`, among plain
cells; an unknown or closed requisition is a 200 page saying the job is no longer
available. No work mode, department or salary anywhere.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from .base import HTML_TYPE, Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import Posting

SECTION = "2"
PORTAL = "101430233"
PAGE_SIZE = 25

SHELL = """<!DOCTYPE html><html><head><title>Job Search</title>
<script type="text/javascript">var _ftl = {{"portal": "{portal}", "lang": "en"}};
api.init('/careersection/rest/jobboard/searchjobs?lang=en&portal={portal}');</script>
</head><body><div id="jobsTable"></div><noscript>Please enable JavaScript</noscript></body></html>
"""
GONE = """<html><head><title>Job Description</title></head><body><div class="errorMessage">
The job is no longer available.</div></body></html>"""


def _js(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _code(p: Posting, n: int) -> str:
    """A location as Taleo codes it: country, region, city, biggest first."""
    place = p.places[n]
    if place.city is None:
        return place.country  # remote places carry only the country
    return "-".join(x for x in (place.country_code, place.region, place.city) if x)


class Taleo(Platform):
    name = "taleo"
    tenant_prefix = True
    board_options = {"overstate": 0}

    def company_keys(self, token: str) -> dict[str, Any]:
        """The career section's URL; `base_url` then replaces the tenant origin."""
        url = f"https://{token}.taleo.net/careersection/{SECTION}/jobsearch.ftl?lang=en"
        return {"careers_url": url}

    def routes(self) -> Sequence[Route]:
        prefix = "/taleo/{token}/careersection"
        return (
            Route(f"{prefix}/{{section}}/jobsearch.ftl", "list", self.shell),
            Route(f"{prefix}/rest/jobboard/searchjobs", "list", self.search, method="POST"),
            Route(f"{prefix}/{{section}}/jobdetail.ftl", "detail", self.job_page),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Contest numbers: the tenant's requisition numbers (`2600417`)."""
        return f"{26 + seed % 3}{index:05d}"

    def page_of(self, request: Request) -> int:
        try:
            return max(0, int(request.json()["pageNo"]) - 1)
        except (ValueError, TypeError, KeyError):
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        return Response(404, b"<html><body>Page not found</body></html>", HTML_TYPE)

    def shell(self, request: Request, board: Board) -> Response:
        if request.params["section"] != SECTION:
            return self.not_found(request, "list")
        return Response(200, SHELL.format(portal=PORTAL).encode(), HTML_TYPE)

    def search(self, request: Request, board: Board) -> Response:
        if "tz" not in request.headers:
            return Response(500, b"An Error Occurred in TEE", "text/plain; charset=utf-8")
        if request.query.get("portal") != PORTAL:
            return json_response({"error": "invalid portal"}, status=400)
        try:
            body = request.json()
            page = int(body["pageNo"])
        except (ValueError, TypeError, KeyError):
            return Response(500, b"An Error Occurred in TEE", "text/plain; charset=utf-8")
        rows = [] if request.empty else board.render_cached("rows", self._rows)
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        page = min(max(page, 1), pages)  # past the end: the last page again
        asked = body.get("pageSize", PAGE_SIZE) if isinstance(body, dict) else PAGE_SIZE
        return json_response(
            {
                "requisitionList": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
                "pagingData": {
                    "currentPageNo": page,
                    "pageSize": asked if isinstance(asked, int) else PAGE_SIZE,
                    "totalCount": len(rows) + (board.options["overstate"] if rows else 0),
                },
                "careerSectionUnAvailable": False,
                "filtersToDisplay": [],
            }
        )

    def job_page(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.query.get("job", ""))
        if posting is None or request.params["section"] != SECTION:
            return Response(200, GONE.encode(), HTML_TYPE)
        return Response(200, self.page(posting).encode(), HTML_TYPE)

    # -- shapes --------------------------------------------------------------------------

    def _rows(self, found: list[Posting]) -> list[dict[str, Any]]:
        return [self.row(p) for p in found]

    def row(self, p: Posting) -> dict[str, Any]:
        codes = [_code(p, n) for n in range(len(p.places))]
        posted = time.strftime("%b %d, %Y", time.gmtime(p.updated_ms // 1000))
        return {
            "jobId": str(100_000 + p.index),
            "contestNo": p.external_id,
            "column": [p.title, json.dumps(codes), posted.replace(" 0", " ")],
            "linkedColumn": 0,
            "locationsColumns": [1],
            "hotJob": p.variant % 13 == 0,
            "postedToday": False,
        }

    def page(self, p: Posting) -> str:
        d = p.description()
        intro = "".join(f"<p>{escape(par, quote=False)}</p>" for par in d.intro)
        body = "".join(
            f"<p><b>{escape(h, quote=False)}</b></p><ul>"
            + "".join(f"<li>{escape(i, quote=False)}</li>" for i in items)
            + "</ul>"
            for h, items in d.sections[:2]
        )
        closing = list(d.closing)
        if p.salary is not None and p.salary_structured:
            closing.insert(0, p.salary.prose(p.variant))
        tail = "".join(f"<p>{escape(par, quote=False)}</p>" for par in closing)
        cells = [""] * 9 + [
            p.title,
            p.external_id,
            "!*!" + quote(intro + body, safe=""),
            "!*!" + quote(tail, safe=""),
            p.department,
            json.dumps([_code(p, 0)]),
            "Full-time" if p.employment == "full_time" else "Other",
        ]
        array = ",".join(_js(c) for c in cells)
        return (
            f"<html><head><title>Job Description - {escape(p.title)}</title></head><body>"
            '<div id="requisitionDescriptionInterface.descRequisitionContainer"></div>'
            '<script type="text/javascript">'
            f"api.fillList('requisitionDescriptionInterface', 'descRequisition', [{array}]);"
            "</script></body></html>"
        )


FAKE = Taleo()
