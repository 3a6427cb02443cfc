"""GovernmentJobs.com (NEOGOV) agency feeds (`www.governmentjobs.com/SearchEngine/JobsFeed`).

One host serves every agency (named by the `agency` query value); the fake serves each
board under `/neogov/{token}/...` so a company's `base_url` picks it, and answers another
`agency` like an unknown one. Quirks reproduced: the feed is one RSS 2.0 document of the
whole board (no paging) whose channel title names the agency ("Acme County, CA"); items
carry `title`, `link` (`/careers/{agency}/jobs/{jobId}`), `pubDate` (RFC 822,
moves on edits), a short `description`, and the `joblisting:` namespace: `jobId`,
`jobNumberSingle`, `department`, `location` ("City - ZIP - County"), `state`, `jobType`,
`minimumSalary`/`maximumSalary` ("0.00" when the agency states none) with
`salaryCurrency` and `salaryInterval` (Hour / Year / Month), `advertiseFromDateUTC`,
`advertiseToDateTime` ("Continuous" on every fifth job), and the advert sections
`examplesofduties`, `qualifications`, `supplementalinformation` (HTML; the last one left
out on every third job).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from .base import Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import DECLARATION, bullets, closing_with_pay, element, paragraphs

RSS_TYPE = "application/rss+xml; charset=utf-8"
NS = "http://www.neogov.com/namespaces/JobListing"
JOB_TYPES = {
    "full_time": "Full Time",
    "part_time": "Part Time",
    "contract": "Contract",
    "intern": "Internship",
    "temporary": "Temporary",
}
INTERVALS = {"year": "Year", "hour": "Hour"}


def _rfc822(ms: int) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(ms // 1000))


class Neogov(Platform):
    name = "neogov"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        return (Route("/neogov/{token}/SearchEngine/JobsFeed", "list", self.feed),)

    def company_keys(self, token: str) -> dict[str, Any]:
        return {"board": token}

    def external_id(self, seed: int, index: int) -> str:
        """Job ids: seven digits, unique across the whole site (`5376469`)."""
        return str(5_000_000 + (seed % 100) * 10_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        body = DECLARATION + f'<rss version="2.0" xmlns:joblisting="{NS}"><channel>'
        body += "<title>Jobs</title></channel></rss>"
        return Response(404, body.encode(), RSS_TYPE)

    def feed(self, request: Request, board: Board) -> Response:
        if request.query.get("agency", "").lower() != board.token:
            return self.not_found(request, "list")
        items = [] if request.empty else board.render_cached("items", self._items)
        body = (
            DECLARATION
            + f'<rss version="2.0" xmlns:joblisting="{NS}"><channel>'
            + element("title", f"{board.company} County, CA")
            + element("link", f"https://www.governmentjobs.com/careers/{board.token}")
            + "".join(item.replace("{agency}", board.token) for item in items)
            + "</channel></rss>"
        )
        return Response(200, body.encode(), RSS_TYPE)

    def _items(self, found: list[Posting]) -> list[str]:
        return [self.item(p) for p in found]

    def item(self, p: Posting) -> str:
        place = p.place
        d = p.description()
        (_, duties), (_, requirements), (_, benefits) = d.sections
        low = high = "0.00"
        interval, currency = "Year", "USD"
        if p.salary is not None and p.salary_structured:
            low, high = f"{p.salary.minimum:.2f}", f"{p.salary.maximum:.2f}"
            interval, currency = INTERVALS[p.salary.interval], p.salary.currency
        closes = "Continuous" if p.index % 5 == 0 else _rfc822(p.updated_ms + 30 * 86_400_000)
        fields = [
            ("jobId", p.external_id),
            ("jobNumberSingle", f"{26}-{p.index:05d}"),
            ("department", p.department),
            ("location", f"{place.city or place.name} - 9{p.index % 10000:04d} - {p.team} County"),
            ("state", place.region or ""),
            ("jobType", JOB_TYPES[p.employment]),
            ("minimumSalary", low),
            ("maximumSalary", high),
            ("salaryCurrency", currency),
            ("salaryInterval", interval),
            ("advertiseFromDateUTC", _rfc822(p.created_ms)),
            ("advertiseToDateTime", closes),
            ("examplesofduties", bullets(duties)),
            ("qualifications", bullets(requirements)),
        ]
        if p.index % 3:
            fields.append(
                ("supplementalinformation", bullets(benefits) + paragraphs(closing_with_pay(p)))
            )
        link = f"https://www.governmentjobs.com/careers/{{agency}}/jobs/{p.external_id}"
        return (
            "<item>"
            + element("title", p.title)
            + element("link", link)
            + element("guid", link)
            + element("pubDate", _rfc822(p.updated_ms))
            + element("description", paragraphs(d.intro))
            + "".join(element(f"joblisting:{name}", value) for name, value in fields)
            + "</item>"
        )


FAKE = Neogov()
