"""Dayforce candidate portal and its job-posting search, served under `/dayforce/{token}`
(the host `jobs.dayforcehcm.com`); the client namespace is the token.

Quirks reproduced: the portal page `/{culture}/{namespace}/CANDIDATEPORTAL` sets a
next-auth cookie, `/api/auth/csrf` answers `{csrfToken}` and sets the CSRF cookie, and
the search POST `/api/geo/{namespace}/jobposting/search` is a 403 without the
`X-CSRF-TOKEN` header and that cookie. Pages hold 25 whatever the body asks, from
`paginationStart`, in a `{jobPostings, maxCount, offset, count}` envelope; postings
carry the full HTML `jobDescription`, `postingLocations` (a virtual posting gives only a
country), `hasVirtualLocation` on some postings only, and UTC timestamps.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from typing import Any

from .base import Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import Posting
from .sites import description_html, html_response, page_html

PAGE = 25
JOB_BOARD = "CANDIDATEPORTAL"
CSRF_COOKIE = "__Host-next-auth.csrf-token"


def _token(board: Board) -> str:
    return hashlib.sha256(f"csrf/{board.token}/{board.seed}".encode()).hexdigest()


def _utc(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ms // 1000))


class Dayforce(Platform):
    name = "dayforce"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        prefix = "/dayforce/{token}"
        return (  # the csrf route first: the portal's pattern matches its path too
            Route(f"{prefix}/api/auth/csrf", "detail", self.csrf),
            Route(f"{prefix}/{{culture}}/{{namespace}}/{{job_board}}", "list", self.portal),
            Route(
                f"{prefix}/api/geo/{{namespace}}/jobposting/search",
                "list",
                self.search,
                method="POST",
            ),
        )

    def external_id(self, seed: int, index: int) -> str:
        return str(1000 + (seed % 100) * 10_000 + index)

    def page_of(self, request: Request) -> int:
        if request.method != "POST":
            return 0
        try:
            return 1 + int(request.json()["paginationStart"]) // PAGE
        except (ValueError, TypeError, KeyError):
            return 0

    def portal(self, request: Request, board: Board) -> Response:
        params = request.params
        if params["namespace"] != board.token or params["job_board"].upper() != JOB_BOARD:
            return json_response({"error": "Not Found"}, status=404)
        response = html_response(page_html(f"{board.company} Careers", '<div id="__next"></div>'))
        response.headers["Set-Cookie"] = "__Secure-next-auth.callback-url=%2F; Path=/; Secure"
        return response

    def csrf(self, request: Request, board: Board) -> Response:
        token = _token(board)
        response = json_response({"csrfToken": token})
        response.headers["Set-Cookie"] = f"{CSRF_COOKIE}={token}%7Cabc; Path=/; Secure; HttpOnly"
        return response

    def search(self, request: Request, board: Board) -> Response:
        token = _token(board)
        cookie = request.headers.get("cookie", "")
        if request.headers.get("x-csrf-token") != token or f"{CSRF_COOKIE}={token}" not in cookie:
            return json_response({"message": "Forbidden"}, status=403)
        try:
            body = request.json()
            start = int(body["paginationStart"])
            ok = (
                body["clientNamespace"] == board.token == request.params["namespace"] and start >= 0
            )
        except (ValueError, TypeError, KeyError):
            ok = False
        if not ok:
            return json_response({"message": "Bad Request"}, status=400)
        postings = (
            []
            if request.empty
            else board.render_cached("postings", lambda found: [self.posting(p) for p in found])
        )
        shown = postings[start : start + PAGE]
        return json_response(
            {"jobPostings": shown, "maxCount": len(postings), "offset": start, "count": len(shown)}
        )

    def posting(self, p: Posting) -> dict[str, Any]:
        locations = []
        for place in p.places:
            location: dict[str, Any] = {"isoCountryCode": place.country_code}
            if place.city:
                location.update(cityName=place.city, formattedAddress=place.name)
                if place.region:
                    location["stateCode"] = place.region
            else:
                location["formattedAddress"] = place.country
            locations.append(location)
        posting: dict[str, Any] = {
            "jobPostingId": int(p.external_id),
            "jobReqId": 2000 + p.index,
            "jobTitle": p.title,
            "jobDescription": description_html(p, pay_prose=True),
            "postingLocations": locations,
            "postingStartTimestampUTC": _utc(p.created_ms),
            "postingExpiryTimestampUTC": _utc(p.created_ms + 90 * 86_400_000),
            "isEvergreen": False,
        }
        if p.variant % 3:
            posting["hasVirtualLocation"] = p.workplace == "remote"
        return posting


FAKE = Dayforce()
