"""Oracle Recruiting Cloud Candidate Experience REST API (`{pod}.oraclecloud.com/hcmRestApi`).

Each pod has its own host, so the fake serves it under `/oracle/{token}/...`; the site
number is `CX_1`. Quirks reproduced: the search is `recruitingCEJobRequisitions` with its
parameters in the `finder` matrix value (`findReqs;siteNumber=CX_1,limit=25,offset=0`),
not the query; an unknown or missing finder is a 400 with a plain-text body, another site
number a search with no postings; the answer is `{"items": [ONE search row], "count": 1,
"hasMore": false, ...}` whose row carries `TotalJobsCount` and `requisitionList` (the
outer count is the one row, never the postings); `limit` defaults to 25 and a pod serves
at most 50 rows whatever is asked (board option `max_limit`); list rows carry only a
`ShortDescriptionStr` teaser, `PostedDate` as a bare date, `PrimaryLocationCountry` as a
code, `secondaryLocations` only when expanded, and `WorkplaceTypeCode` next to the
tenant's own `WorkplaceType` label (left out on every seventh posting, as tenants
without the field do). The detail is `recruitingCEJobRequisitionDetails?finder=ById;
Id="{id}",siteNumber=CX_1` with the fields flat on `items[0]`; the advert is split over
`ExternalDescriptionStr` / `ExternalResponsibilitiesStr` / `ExternalQualificationsStr`
(on every fifth posting the tenant pastes the whole advert into all three); a closed or
unknown requisition answers 200 with `items: []`. No salary field: pay is prose.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import Posting

SITE = "CX_1"
DEFAULT_LIMIT = 25
WORKPLACES = {
    "on-site": ("ORA_ON_SITE", "On-site"),
    "remote": ("ORA_REMOTE", "Remote"),
    "hybrid": ("ORA_HYBRID", "Hybrid"),
}
SCHEDULES = {"part_time": "Part time"}  # everything else is "Full time"
_PARAM = re.compile(r"([A-Za-z]+)=(\"[^\"]*\"|[^,]*)")


def _finder(request: Request, name: str) -> dict[str, str] | None:
    """The finder's parameters when it is `name;k=v,...`, else None."""
    finder = request.query.get("finder", "")
    head, _, rest = finder.partition(";")
    if head != name:
        return None
    return {k: v.strip('"') for k, v in _PARAM.findall(rest)}


def _bad_request(message: str) -> Response:
    return Response(400, message.encode(), content_type="text/plain; charset=utf-8")


def _date(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms // 1000))


def _stamp(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ms // 1000))


class Oracle(Platform):
    name = "oracle"
    tenant_prefix = True
    board_options = {"max_limit": 50}

    def company_keys(self, token: str) -> dict[str, Any]:
        """The site's URL; `base_url` then replaces the pod origin."""
        host = f"{token}.fa.us2.oraclecloud.com"
        return {"careers_url": f"https://{host}/hcmUI/CandidateExperience/en/sites/{SITE}"}

    def routes(self) -> Sequence[Route]:
        prefix = "/oracle/{token}/hcmRestApi/resources/latest"
        return (
            Route(f"{prefix}/recruitingCEJobRequisitions", "list", self.search),
            Route(f"{prefix}/recruitingCEJobRequisitionDetails", "detail", self.get_detail),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Requisition numbers: short decimal strings (`"2506217"`)."""
        return str(2_000_000 + (seed % 1000) * 100_000 + index)

    def page_of(self, request: Request) -> int:
        params = _finder(request, "findReqs") or {}
        try:
            return int(params.get("offset") or 0) // int(params.get("limit") or DEFAULT_LIMIT)
        except ValueError:
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        return Response(404, b"", content_type="text/plain; charset=utf-8")

    def search(self, request: Request, board: Board) -> Response:
        params = _finder(request, "findReqs")
        if params is None:
            return _bad_request("The finder is not valid for this resource.")
        try:
            limit = int(params.get("limit") or DEFAULT_LIMIT)
            offset = int(params.get("offset") or 0)
        except ValueError:
            return _bad_request("limit and offset must be integers")
        expand = request.query.get("expand", "")
        rows: list[dict[str, Any]] = []
        if params.get("siteNumber") == SITE and not request.empty:
            rows = board.render_cached(
                ("rows", "secondaryLocations" in expand),
                lambda found: [self.row(p, "secondaryLocations" in expand) for p in found],
            )
        served = rows[offset : offset + min(limit, board.options["max_limit"])]
        search = {
            "SearchId": None,
            "Keyword": params.get("keyword"),
            "Location": None,
            "Limit": limit,
            "Offset": offset,
            "SortBy": params.get("sortBy", "RELEVANCY"),
            "SiteNumber": params.get("siteNumber"),
            "TotalJobsCount": len(rows),
            "requisitionList": served,
        }
        return json_response(
            {"items": [search], "count": 1, "hasMore": False, "limit": 25, "offset": 0}
        )

    def get_detail(self, request: Request, board: Board) -> Response:
        params = _finder(request, "ById")
        if params is None:
            return _bad_request("The finder is not valid for this resource.")
        posting = board.posting(params.get("Id", ""))
        if posting is None or params.get("siteNumber") != SITE:
            return json_response(
                {"items": [], "count": 0, "hasMore": False, "limit": 25, "offset": 0}
            )
        return json_response(
            {
                "items": [self.detail(posting)],
                "count": 1,
                "hasMore": False,
                "limit": 25,
                "offset": 0,
            }
        )

    # -- shapes --------------------------------------------------------------------------

    def row(self, p: Posting, secondary: bool) -> dict[str, Any]:
        """A `requisitionList` row."""
        place = p.place
        row: dict[str, Any] = {
            "Id": p.external_id,
            "Title": p.title,
            "PostedDate": _date(p.updated_ms),
            "PostingEndDate": None,
            "Language": "US",
            "PrimaryLocationCountry": place.country_code,
            "GeographyId": 300_000_000 + zlib.crc32(place.office_location.encode()) % 1_000_000,
            "HotJobFlag": p.variant % 11 == 0,
            "JobFamily": p.department,
            "JobFunction": p.team,
            "JobSchedule": SCHEDULES.get(p.employment, "Full time"),
            "JobShift": "Day",
            "ShortDescriptionStr": escape(p.description().intro[0][:180], quote=False) + "…",
            "PrimaryLocation": place.office_location,
            "Distance": 0,
            "TrendingFlag": False,
            "BeFirstToApplyFlag": False,
        }
        if p.variant % 7 and p.workplace in WORKPLACES:
            row["WorkplaceTypeCode"], row["WorkplaceType"] = WORKPLACES[p.workplace]
        if secondary:
            row["secondaryLocations"] = [
                {
                    "Name": other.office_location,
                    "CountryCode": other.country_code,
                    "GeographyNodeId": 300_100_000 + n,
                }
                for n, other in enumerate(p.places[1:])
            ]
        return row

    def detail(self, p: Posting) -> dict[str, Any]:
        """The flat `items[0]` of the detail resource."""
        return {
            **self.row(p, True),
            "ExternalPostedStartDate": _stamp(p.updated_ms),
            "ExternalPostedEndDate": None,
            "RequisitionType": "Professional",
            "Organization": p.department,
            "CorporateDescriptionStr": f"<p>{escape(p.company, quote=False)} is hiring.</p>",
            **self._advert(p),
        }

    def _advert(self, p: Posting) -> dict[str, str | None]:
        d = p.description()

        def bullets(items: Sequence[str]) -> str:
            return "<ul>" + "".join(f"<li>{escape(i, quote=False)}</li>" for i in items) + "</ul>"

        intro = "".join(f"<p>{escape(par, quote=False)}</p>" for par in d.intro)
        closing = list(d.closing)
        if p.salary is not None and p.salary_structured:  # no pay field: prose only
            closing.insert(0, p.salary.prose(p.variant))
        (_, duties), (_, requirements), (benefit_title, benefits) = d.sections
        tail = f"<p><b>{escape(benefit_title, quote=False)}</b></p>{bullets(benefits)}" + "".join(
            f"<p>{escape(par, quote=False)}</p>" for par in closing
        )
        if p.variant % 5 == 0:  # the whole advert pasted into every field
            whole = intro + bullets(duties) + bullets(requirements) + tail
            return dict.fromkeys(
                (
                    "ExternalDescriptionStr",
                    "ExternalResponsibilitiesStr",
                    "ExternalQualificationsStr",
                ),
                whole,
            )
        return {
            "ExternalDescriptionStr": intro + tail,
            "ExternalResponsibilitiesStr": bullets(duties),
            "ExternalQualificationsStr": bullets(requirements),
        }


FAKE = Oracle()
