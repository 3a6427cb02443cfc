"""Workday career-site CXS API (`{tenant}.wd5.myworkdayjobs.com/wday/cxs/{tenant}/{site}`).

Each tenant has its own host, so the fake serves it under `/workday/{token}/...`; the
tenant is the board token and the site is `External`.
Quirks reproduced: the search is a POST with the JSON body `{appliedFacets, limit, offset,
searchText}` (a body without those fields is a 422, `limit` > 20 a 400); `total` is
reported on the first page only (later pages say 0); list items carry no description and
a relative `postedOn` ("Posted 30+ Days Ago"); `facets` with counts (locations nested in
`locationMainGroup`, `jobFamilyGroup`, `timeType`) filter with `appliedFacets`; the board
option `cap` makes the tenant report at most `cap` postings (`total` exactly `cap`, and
offsets at or past it serve the first page again), as some tenants do at 2,000;
`remoteType` only on tenants that use it (board option `remote_type`). Board option
`facet_gaps` (facet names) leaves every third posting without a value in those facets,
as tenants leave fields empty: the search still finds it, but no value of the facet does.
Board option `start_date=False` leaves `startDate` out of the detail, as some tenants do:
the relative `postedOn` is then the only posting date.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

from . import postings, vocab
from .base import Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import DAY_MS, Posting

SITE = "External"
MAX_LIMIT = 20
TIME_TYPES = {"part_time": "Part time"}  # everything else is "Full time"
REMOTE_TYPES = {"remote": "Fully Remote", "hybrid": "Hybrid", "on-site": "On-site"}
FACETS = ("locations", "jobFamilyGroup", "timeType")


def _id(*parts: Any) -> str:
    """Workday's 32-hex object ids, stable per name."""
    return hashlib.md5("/".join(map(str, parts)).encode()).hexdigest()


def _slug(text: str) -> str:
    """Workday path segments: every character but letters and digits becomes '-'."""
    return re.sub(r"[^A-Za-z0-9]", "-", text)


def _req_id(seed: int, index: int) -> str:
    return f"JR-{seed % 1000}{index:05d}"


def _time_type(p: Posting) -> str:
    return TIME_TYPES.get(p.employment, "Full time")


def _posted_on(ms: int) -> str:
    days = int(time.time() * 1000 - ms) // DAY_MS
    if days <= 0:
        return "Posted Today"
    if days == 1:
        return "Posted Yesterday"
    return f"Posted {days} Days Ago" if days < 30 else "Posted 30+ Days Ago"


def _error(status: int, message: str) -> Response:
    return json_response(
        {"errorCode": f"HTTP_{status}", "httpStatus": status, "message": message}, status
    )


@dataclass(frozen=True, slots=True)
class _Row:
    """One posting as the search sees it: its facet values, title and list item."""

    facets: dict[str, frozenset[str]]
    title: str
    item: dict[str, Any]


class Workday(Platform):
    name = "workday"
    tenant_prefix = True
    board_options = {"cap": None, "remote_type": True, "facet_gaps": (), "start_date": True}

    def company_keys(self, token: str) -> dict[str, Any]:
        """The career site's URL; `base_url` then replaces its origin."""
        return {"careers_url": f"https://{token}.wd5.myworkdayjobs.com/en-US/{SITE}"}

    def routes(self) -> Sequence[Route]:
        prefix = "/workday/{token}/wday/cxs/{tenant}/{site}"
        return (
            Route(f"{prefix}/jobs", "list", self.search, method="POST"),
            Route(f"{prefix}/job/{{place}}/{{posting_id}}", "detail", self.get_job),
        )

    def external_id(self, seed: int, index: int) -> str:
        """The `jobPostingId`: the title the posting was created with, then its req id."""
        first = postings.generate(
            seed=seed, index=index, revision=0, external_id="", company="", description_bytes=0
        )
        return f"{_slug(first.title)}_{_req_id(seed, index)}"

    def page_of(self, request: Request) -> int:
        try:
            body = request.json()
            return int(body["offset"]) // MAX_LIMIT
        except (ValueError, TypeError, KeyError):
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        return _error(404, "The requested resource was not found")

    # -- routes --------------------------------------------------------------------------

    def search(self, request: Request, board: Board) -> Response:
        if not self._our_site(request, board):
            return self.not_found(request, "list")
        try:
            body = request.json()
            applied, limit, offset = body["appliedFacets"], body["limit"], body["offset"]
            search_text = str(body["searchText"] or "").lower()
        except (ValueError, TypeError, KeyError):
            return _error(422, "Unprocessable Entity")
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            return _error(400, f"limit must be between 1 and {MAX_LIMIT}")
        if not isinstance(offset, int) or offset < 0:
            return _error(400, "offset must be a non-negative integer")
        if not isinstance(applied, dict) or set(applied) - set(FACETS):
            return _error(400, "unknown facet in appliedFacets")
        gaps = frozenset(board.options["facet_gaps"])
        rows = [] if request.empty else board.render_cached("rows", partial(self._rows, gaps))
        wanted = {name: set(values or ()) for name, values in applied.items()}
        found = [
            row
            for row in rows
            if search_text in row.title
            and all(row.facets[name] & ids for name, ids in wanted.items())
        ]
        cap = board.options["cap"]
        total = len(found)
        if cap is not None and total >= cap:
            total = cap
            if offset >= cap:
                offset = 0  # capped tenants serve the first postings again
        first = body["offset"] == 0
        data = {
            "total": total if first else 0,
            "jobPostings": [row.item for row in found[offset : offset + limit]],
            "facets": self._facets(found) if first else [],
            "userAuthenticated": False,
        }
        return json_response(data)

    def get_job(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["posting_id"])
        if (
            posting is None
            or not self._our_site(request, board)
            or request.params["place"] != _slug(posting.place.name)
        ):
            return self.not_found(request, "detail")
        return json_response(self.detail(posting, board))

    # -- shapes --------------------------------------------------------------------------

    def path(self, p: Posting) -> str:
        return f"/job/{_slug(p.place.name)}/{p.external_id}"

    def item(self, p: Posting) -> dict[str, Any]:
        """A `jobPostings[]` entry."""
        places = p.places
        return {
            "title": p.title,
            "externalPath": self.path(p),
            "locationsText": places[0].name if len(places) == 1 else f"{len(places)} Locations",
            "postedOn": _posted_on(p.created_ms),
            "bulletFields": [_req_id(p.seed, p.index)],
        }

    def detail(self, p: Posting, board: Board) -> dict[str, Any]:
        place = p.place
        country = {"descriptor": place.country, "id": _id("country", place.country_code)}
        url = f"https://{board.token}.wd5.myworkdayjobs.com/{SITE}{self.path(p)}"
        info: dict[str, Any] = {
            "id": _id("posting", board.seed, p.index),
            "title": p.title,
            "jobDescription": self._description(p),
            "location": place.name,
            "postedOn": _posted_on(p.created_ms),
            "startDate": time.strftime("%Y-%m-%d", time.gmtime(p.created_ms // 1000)),
            "timeType": _time_type(p),
            "jobReqId": _req_id(p.seed, p.index),
            "jobPostingId": p.external_id,
            "jobPostingSiteId": SITE,
            "country": country,
            "canApply": True,
            "posted": True,
            "includeResumeParsing": True,
            "jobRequisitionLocation": {
                "descriptor": place.name,
                "country": {**country, "alpha2Code": place.country_code},
            },
            "externalUrl": url,
            "questionnaireId": _id("questionnaire", board.seed),
        }
        if not board.options["start_date"]:
            del info["startDate"]
        if len(p.places) > 1:
            info["additionalLocations"] = [other.name for other in p.places[1:]]
        if board.options["remote_type"] and p.workplace in REMOTE_TYPES:
            info["remoteType"] = REMOTE_TYPES[p.workplace]
        return {
            "jobPostingInfo": info,
            "hiringOrganization": {"name": p.company, "url": ""},
            "similarJobs": [],
            "userAuthenticated": False,
        }

    # -- internals -----------------------------------------------------------------------

    def _our_site(self, request: Request, board: Board) -> bool:
        return request.params["tenant"] == board.token and request.params["site"] == SITE

    def _rows(self, gaps: frozenset[str], found: list[Posting]) -> list[_Row]:
        return [_Row(self._facet_ids(p, gaps), p.title.lower(), self.item(p)) for p in found]

    def _facet_ids(self, p: Posting, gaps: frozenset[str]) -> dict[str, frozenset[str]]:
        """The posting's value ids per facet; none in the `facet_gaps` for every third."""
        ids = {
            "locations": frozenset(_id("location", place.name) for place in p.places),
            "jobFamilyGroup": frozenset({_id("family", p.department)}),
            "timeType": frozenset({_id("time", _time_type(p))}),
        }
        if p.index % 3 == 0:
            ids.update((name, frozenset()) for name in gaps)
        return ids

    def _facets(self, rows: list[_Row]) -> list[dict[str, Any]]:
        """Facet values with their counts among `rows`, largest first."""
        names = {
            "locations": {_id("location", place.name): place.name for place in vocab.PLACES},
            "jobFamilyGroup": {_id("family", d): d for d in vocab.DEPARTMENT_NAMES},
            "timeType": {_id("time", t): t for t in ("Full time", "Part time")},
        }

        def values(name: str) -> list[dict[str, Any]]:
            counts: dict[str, int] = {}
            for row in rows:
                for value in row.facets[name]:
                    counts[value] = counts.get(value, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], names[name][kv[0]]))
            return [{"descriptor": names[name][i], "id": i, "count": n} for i, n in ranked]

        return [
            {
                "facetParameter": "jobFamilyGroup",
                "descriptor": "Job Category",
                "values": values("jobFamilyGroup"),
            },
            {
                "facetParameter": "locationMainGroup",
                "values": [
                    {
                        "facetParameter": "locations",
                        "descriptor": "Locations",
                        "values": values("locations"),
                    }
                ],
            },
            {"facetParameter": "timeType", "descriptor": "Time Type", "values": values("timeType")},
        ]

    def _description(self, p: Posting) -> str:
        d = p.description()
        parts = [f"<p>{escape(par, quote=False)}</p>" for par in d.intro]
        for heading, items in d.sections:
            bullets = "".join(f"<li>{escape(i, quote=False)}</li>" for i in items)
            parts.append(f"<p><b>{escape(heading, quote=False)}</b></p><ul>{bullets}</ul>")
        parts.extend(f"<p>{escape(par, quote=False)}</p>" for par in d.closing)
        if p.salary is not None and p.salary_structured:  # no pay field: prose only
            parts.append(f"<p>{escape(p.salary.prose(p.variant), quote=False)}</p>")
        return "".join(parts)


FAKE = Workday()
