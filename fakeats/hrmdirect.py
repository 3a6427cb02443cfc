"""HRMDirect (ClearCompany) board (`{company}.hrmdirect.com/employment/job-openings.php`).

Each tenant has its own host, so the fake serves it under `/hrmdirect/{token}/...`.
Quirks reproduced: without `search=true` the page is only the search form; with it a
`table.reqResultTable` of `tr[data-req-id]` rows (a header row of City, State,
Department, Date columns), a posting in several places as one row per place with the same
req id and its own `req_loc`; pages of `page_size` rows (board option, default 20)
linked by a "Next" link; dates as m/d/Y; the job page `job-opening.php?req=...` has
`td.viewFieldLabel`/`td.viewFieldValue` pairs and `div.jobDesc`; an unknown or closed
req answers 200 with a page that has neither.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from html import escape

from .base import HTML_TYPE, Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import headed_description

TYPES = {
    "full_time": "Full Time",
    "part_time": "Part Time",
    "contract": "Contract",
    "intern": "Internship",
    "temporary": "Temporary",
}
FORM = (
    '<form action="job-openings.php" method="get"><input type="hidden" name="search" value="true">'
)


def _page(title: str, body: str) -> Response:
    page = (
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head>"
        f"<body>{body}</body></html>"
    )
    return Response(200, page.encode(), HTML_TYPE)


def _date(ms: int) -> str:
    return time.strftime("%m/%d/%Y", time.gmtime(ms // 1000)).lstrip("0").replace("/0", "/")


class HRMDirect(Platform):
    name = "hrmdirect"
    tenant_prefix = True
    board_options = {"page_size": 20}

    def routes(self) -> Sequence[Route]:
        prefix = "/hrmdirect/{token}/employment"
        return (
            Route(f"{prefix}/job-openings.php", "list", self.openings),
            Route(f"{prefix}/job-opening.php", "detail", self.opening),
        )

    def external_id(self, seed: int, index: int) -> str:
        return str(20_000 + (seed % 100) * 1_000 + index)

    def page_of(self, request: Request) -> int:
        try:
            return int(request.query.get("page") or 1) - 1
        except ValueError:
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        return _page("Job Openings", "<p>This job is no longer available.</p>")

    def openings(self, request: Request, board: Board) -> Response:
        if not request.flag("search"):
            return _page(
                f"{board.company} Job Openings",
                FORM + "<p>Select options and click Search.</p></form>",
            )
        page = self.page_of(request)
        size = int(board.options.get("page_size", 20))

        def render(postings: list[Posting]) -> list[str]:
            return [row for p in postings for row in self.rows(p, board.token)]

        rows = [] if request.empty else board.render_cached("rows", render)
        shown = rows[page * size : (page + 1) * size]
        table = (
            '<table class="reqResultTable"><tr><th>Position Title</th><th>City</th>'
            "<th>State</th><th>Department</th><th>Date</th></tr>" + "".join(shown) + "</table>"
        )
        if not rows:
            table = "<p>There are currently no open positions.</p>"
        more = ""
        if (page + 1) * size < len(rows):
            more = f'<a class="nextPage" href="job-openings.php?search=true&amp;page={page + 2}">Next &raquo;</a>'
        return _page(f"{board.company} Job Openings", FORM + "</form>" + table + more)

    def rows(self, p: Posting, token: str) -> list[str]:
        out = []
        for n, place in enumerate(p.places):
            link = f"job-opening.php?req={p.external_id}&amp;req_loc={3000 + n}&amp;nohd"
            city = place.city or ("Remote" if place.kind == "remote" else "")
            out.append(
                f'<tr class="reqitem ReqRowClick" data-req-id="{p.external_id}">'
                f'<td class="posTitle reqitem" id="posTitle{p.external_id}">'
                f'<a href="{link}">{escape(p.title)}</a></td>'
                f'<td class="cities reqitem">{escape(city)}</td>'
                f'<td class="state reqitem">{escape(place.region or "")}</td>'
                f'<td class="departments reqitem" id="departments{p.external_id}">{escape(p.department)}</td>'
                f'<td class="reqitem">{_date(p.updated_ms)}</td></tr>'
            )
        return out

    def opening(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.query.get("req", ""))
        if posting is None:
            return self.not_found(request, "detail")
        fields = [
            ("Location", "; ".join(p.name for p in posting.places)),
            ("Department", posting.department),
            ("Position Type", TYPES[posting.employment]),
        ]
        table = "".join(
            f'<tr><td class="viewFieldLabel"><b>{label}:</b></td>'
            f'<td class="viewFieldValue">{escape(value)}</td></tr>'
            for label, value in fields
        )
        body = (
            f'<h1 class="jobTitle">{escape(posting.title)}</h1><table class="viewFields">{table}</table>'
            f'<div class="jobDesc">{headed_description(posting, "b")}</div>'
            f'<a href="apply.php?req={posting.external_id}">Apply</a>'
        )
        return _page(posting.title, body)


FAKE = HRMDirect()
