"""UKG Pro (UltiPro) job board: `POST .../JobBoardView/LoadSearchResults` and the HTML
`OpportunityDetail` page.

Boards live at `{host}/{TENANT}/JobBoard/{guid}`; the fake serves them under
`/ukg/{token}/{TENANT}/JobBoard/{guid}/...`. Quirks reproduced: the search is a POSTed
`opportunitySearch{Top, Skip, ...}` answered with `{"opportunities": [...], "totalCount":
N}` (Top over 500 is cut to 500); GUID ids; `FullTime` as the only employment field;
`JobLocationType` 0 hybrid / 1 on-site / 2 remote / null; `Locations[].Address` with
`State{Code, Name}` and `Country{Code: "USA", Name}` (alpha-3), remote places as a
`LocalizedName` without city; `PostedDate` (the requisition's creation) before the
board's `JobBoardMemberships[].ExternalPostedDate`; the detail page is HTML whose inline
script passes the opportunity JSON to `new US.Opportunity.CandidateOpportunityDetail(...)`,
with `Description`, and a `PayRange` filled even when `PayRangeVisible` is false; an
unknown board answers 200 with totalCount 0, a closed or unknown posting 200 with the
empty app shell.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import HTML_TYPE, Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import Posting
from .xmlfeeds import headed_description

NAMESPACE = uuid.UUID("8c1f3e2a-6d4b-4f7a-9e0c-2b3d4f5a6b7c")
MAX_TOP = 500
LOCATION_TYPES = {"hybrid": 0, "on-site": 1, "remote": 2}
COUNTRIES = {"US": "USA", "GB": "GBR", "DE": "DEU", "CA": "CAN", "NL": "NLD"}
SHELL = (
    "<!DOCTYPE html><html><head><title>Opportunity</title></head><body>"
    '<div data-bind="text: title()"></div><script src="/site.min.js"></script></body></html>'
)


def tenant_of(token: str) -> str:
    """`ACM1001ACME` for board `acme`: UKG tenant aliases are letters and digits."""
    letters = re.sub(r"[^A-Za-z0-9]", "", token).upper() or "X"
    return f"{letters[:3]}1001{letters}"


def board_guid(token: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"board/{token}"))


def _iso(ms: int) -> str:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
    return f"{stamp}.{ms % 1000:03d}Z"


class UKG(Platform):
    name = "ukg"
    tenant_prefix = True

    def company_keys(self, token: str) -> dict[str, Any]:
        """The board's URL; `base_url` then replaces its origin."""
        guid = board_guid(token)
        return {"careers_url": f"https://recruiting.ultipro.com/{tenant_of(token)}/JobBoard/{guid}"}

    def routes(self) -> Sequence[Route]:
        prefix = "/ukg/{token}/{tenant}/JobBoard/{board}"
        return (
            Route(f"{prefix}/JobBoardView/LoadSearchResults", "list", self.search, method="POST"),
            Route(f"{prefix}/OpportunityDetail", "detail", self.detail_page),
        )

    def external_id(self, seed: int, index: int) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{seed}/{index}"))

    def page_of(self, request: Request) -> int:
        try:
            search = request.json()["opportunitySearch"]
            return int(search["Skip"]) // max(1, int(search["Top"]))
        except (ValueError, TypeError, KeyError, ZeroDivisionError):
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        if kind == "detail":
            return Response(200, SHELL.encode(), HTML_TYPE)
        return json_response({"opportunities": [], "totalCount": 0})

    def search(self, request: Request, board: Board) -> Response:
        if not self._same_board(request, board):
            return self.not_found(request, "list")
        try:
            search = request.json()["opportunitySearch"]
            top, skip = min(int(search["Top"]), MAX_TOP), int(search["Skip"])
        except (ValueError, TypeError, KeyError):
            return json_response({"message": "The request is invalid."}, status=400)
        if request.empty:
            return json_response({"opportunities": [], "totalCount": 0})

        def render(postings: list[Posting]) -> list[dict[str, Any]]:
            return [self.summary(p) for p in postings]

        items = board.render_cached("opportunities", render)
        return json_response({"opportunities": items[skip : skip + top], "totalCount": len(items)})

    def detail_page(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.query.get("opportunityId", ""))
        if posting is None or not self._same_board(request, board):
            return self.not_found(request, "detail")
        data = json.dumps(self.detail(posting)).replace("</", "<\\/")
        page = (
            "<!DOCTYPE html><html><head><title>Opportunity Details</title></head><body>"
            f"<h1>{escape(board.company)}</h1><script>$(function () {{\n"
            f"    var opportunity = new US.Opportunity.CandidateOpportunityDetail({data});\n"
            "    ko.applyBindings(opportunity);\n});</script></body></html>"
        )
        return Response(200, page.encode(), HTML_TYPE)

    def _same_board(self, request: Request, board: Board) -> bool:
        params = request.params
        return params["tenant"] == tenant_of(board.token) and params["board"] == board_guid(
            board.token
        )

    def summary(self, p: Posting) -> dict[str, Any]:
        return {
            "Id": p.external_id,
            "Title": p.title,
            "RequisitionNumber": p.requisition_id or f"REQ{p.index:06d}",
            "JobCategoryName": p.department,
            "FullTime": p.employment == "full_time",
            "PostedDate": _iso(p.created_ms),
            "BriefDescription": escape(p.description().intro[0][:200], quote=False),
            "JobLocationType": LOCATION_TYPES.get(p.workplace),
            "Locations": [self._location(place) for place in p.places],
        }

    def detail(self, p: Posting) -> dict[str, Any]:
        salary = p.salary if p.salary is not None and p.salary_structured else None
        return {
            **self.summary(p),
            "OpportunityIsClosed": False,
            "Description": headed_description(p),
            "JobBoardMemberships": [
                {"PublishedExternal": True, "ExternalPostedDate": _iso(p.updated_ms)}
            ],
            "PayRangeVisible": salary is not None,
            "PayRange": {
                "PayRangeMinimum": f"{salary.minimum:.2f}" if salary else "0.00",
                "PayRangeMaximum": f"{salary.maximum:.2f}" if salary else "0.00",
            },
            "PayRangeCurrencyCode": salary.currency if salary else "USD",
            "HoursPerWeek": 40 if p.employment == "full_time" else 20,
        }

    def _location(self, place: Any) -> dict[str, Any]:
        code = COUNTRIES.get(place.country_code, place.country_code)
        state = {"Code": place.region, "Name": place.region} if place.region else None
        return {
            "LocalizedName": place.name,
            "LocalizedDescription": place.name,
            "Address": {
                "City": place.city,
                "State": state,
                "Country": {"Code": code, "Name": place.country},
                "PostalCode": None,
            },
        }


FAKE = UKG()
