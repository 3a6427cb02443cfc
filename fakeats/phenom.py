"""Phenom career sites (`careers.acme.com/us/en`), served under `/phenom/{token}/us/en`.

Quirks reproduced: the search page `search-results` is HTML whose scripts assign the site
config (`var phApp = phApp || {refNum, locale, country, siteType, baseUrl, ...}`) and
`phApp.ddo = {"eagerLoadRefineSearch": {status, hits, totalHits, data: {jobs,
aggregations}}}` with the first 10 jobs; later pages are a POST to `/widgets` with a JSON
body (`ddoKey: "refineSearch"`, `refNum`, `from`, `size`) that serves at most 20 jobs
whatever `size` asks, and answers a wrong body with HTTP 200 and `status: 400` inside
`refineSearch`. Jobs carry `jobId`, `jobSeqNo`, `multi_location` only when there are
several places, `type` as "Full time", dates as `2026-08-15T00:00:00.000+0000`, a plain
`descriptionTeaser`, and `workLocationType` on some jobs only. The job page
`job/{jobId}/{slug}` (any slug, or none) embeds `phApp.ddo.jobDetail.data.job` with the
HTML `description`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from .base import Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import Posting
from .sites import description_html, html_response, page_html, script_json
from .xmlfeeds import html_not_found

REF_NUM = "ACMEUS"
EAGER_SIZE = 10
MAX_SIZE = 20
TYPES = {
    "full_time": "Full time",
    "part_time": "Part time",
    "contract": "Contract",
    "intern": "Intern",
    "temporary": "Temporary",
}
WORK_LOCATION = {"remote": "Remote", "hybrid": "Hybrid", "on-site": "Onsite"}


def _date(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(ms // 1000))


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")


class Phenom(Platform):
    name = "phenom"
    tenant_prefix = True

    def company_keys(self, token: str) -> dict[str, Any]:
        return {"careers_url": f"https://careers.{token}.com/us/en"}

    def routes(self) -> Sequence[Route]:
        site = "/phenom/{token}/{country}/{lang}"
        return (
            Route(f"{site}/search-results", "list", self.search_page),
            Route("/phenom/{token}/widgets", "list", self.widgets, method="POST"),
            Route(f"{site}/job/{{job_id}}/{{slug}}", "detail", self.job_page),
            Route(f"{site}/job/{{job_id}}", "detail", self.job_page),
        )

    def external_id(self, seed: int, index: int) -> str:
        return f"R{seed % 1000:03d}{index:05d}"

    def page_of(self, request: Request) -> int:
        if request.method != "POST":
            return 0
        try:
            return 1 + int(request.json()["from"]) // MAX_SIZE
        except (ValueError, TypeError, KeyError):
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        return html_not_found()

    # -- routes --------------------------------------------------------------------------

    def search_page(self, request: Request, board: Board) -> Response:
        jobs = [] if request.empty else board.render_cached("jobs", self._jobs)
        ddo = {
            "eagerLoadRefineSearch": {
                "status": 200,
                "hits": min(EAGER_SIZE, len(jobs)),
                "totalHits": len(jobs),
                "data": {"jobs": jobs[:EAGER_SIZE], "aggregations": self._aggregations(jobs)},
                "eid": {"query": "*"},
            },
            "jobwidgetsettings": {"status": "success"},
        }
        return self._page(request, board, "Search results", ddo, '<div data-ph-id="ph-search">')

    def widgets(self, request: Request, board: Board) -> Response:
        try:
            body = request.json()
            offset, size = int(body["from"]), int(body.get("size") or EAGER_SIZE)
            ok = body["ddoKey"] == "refineSearch" and body["refNum"] == REF_NUM and offset >= 0
        except (ValueError, TypeError, KeyError, AttributeError):
            ok = False
        if not ok:
            return json_response({"refineSearch": {"status": 400, "errorMessage": "bad request"}})
        jobs = [] if request.empty else board.render_cached("jobs", self._jobs)
        shown = jobs[offset : offset + min(size, MAX_SIZE)]
        search = {"status": 200, "hits": len(shown), "totalHits": len(jobs)}
        return json_response({"refineSearch": {**search, "data": {"jobs": shown}}})

    def job_page(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["job_id"])
        if posting is None:
            return self.not_found(request, "detail")
        job = {**self.job(posting), "description": description_html(posting, pay_prose=True)}
        ddo = {"jobDetail": {"status": 200, "data": {"job": job}}}
        return self._page(request, board, posting.title, ddo, '<div data-ph-id="ph-job">')

    # -- shapes --------------------------------------------------------------------------

    def job(self, p: Posting) -> dict[str, Any]:
        place = p.place
        job: dict[str, Any] = {
            "jobId": p.external_id,
            "jobSeqNo": f"{REF_NUM}{p.external_id}EXTERNALENUS",
            "reqId": p.external_id,
            "title": p.title,
            "location": place.name,
            "cityStateCountry": place.name,
            "city": place.city or "",
            "state": place.region or "",
            "country": place.country,
            "type": TYPES[p.employment],
            "category": p.department,
            "subCategory": p.team,
            "postedDate": _date(p.created_ms),
            "dateCreated": _date(p.created_ms),
            "descriptionTeaser": p.description().intro[0][:180],
            "applyUrl": f"https://acme.wd5.myworkdayjobs.com/External/job/{p.external_id}/apply",
            "isMultiLocation": len(p.places) > 1,
            "ml_skills": [p.team.lower()],
        }
        if len(p.places) > 1:
            job["multi_location"] = [other.name for other in p.places]
            job["multi_location_array"] = [{"location": other.name} for other in p.places]
        if p.variant % 3 and p.workplace in WORK_LOCATION:
            job["workLocationType"] = WORK_LOCATION[p.workplace]
        return job

    # -- internals -----------------------------------------------------------------------

    def _jobs(self, postings: list[Posting]) -> list[dict[str, Any]]:
        return [self.job(p) for p in postings]

    def _aggregations(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for job in jobs:
            counts[job["category"]] = counts.get(job["category"], 0) + 1
        return [{"field": "category", "value": counts}]

    def _page(
        self, request: Request, board: Board, title: str, ddo: dict[str, Any], body: str
    ) -> Response:
        country, lang = request.params["country"], request.params["lang"]
        config = {
            "widgetApiEndpoint": f"https://careers.{board.token}.com/widgets",
            "country": country,
            "deviceType": "desktop",
            "locale": f"{lang}_{country}",
            "refNum": REF_NUM,
            "siteType": "external",
            "baseUrl": f"https://careers.{board.token}.com/{country}/{lang}/",
            "pageName": "search-results",
        }
        script = (
            f"<script>var phApp = phApp || {script_json(config)};\n"
            f"phApp.ddo = {script_json(ddo)}; phApp.experimentData = {{}};</script>"
        )
        return html_response(page_html(title, body + "</div>", head=script))


FAKE = Phenom()
