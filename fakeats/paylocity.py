"""Paylocity Recruiting board (`recruiting.paylocity.com/Recruiting/Jobs/All/{guid}`).

The fake serves a board under `/paylocity/{token}/Recruiting/...`. Quirks reproduced: the
list is an HTML page whose script sets `window.pageData = {...}` with every job in `Jobs`
(no paging, no total); `JobId` numbers; `LocationName` (an office label) beside
`JobLocation{Name, City, State, Country}` with some cities in upper case and some states
missing; `PublishedDate` in Central time without a zone; `IsRemote` and
`IndeedRemoteType` (0 temporarily WFH, 1 hybrid, 2 fully remote, null); the job page
`Details/{JobId}` is HTML with a JobPosting JSON-LD block on some pages (description,
employmentType, baseSalary) and the `job-preview-details` block of `job-listing-header`
sections (Job Type, Description, Salary Description); unknown boards, closed and
unknown jobs answer 200 with the "Job Not Found" page.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import HTML_TYPE, Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import headed_description

NAMESPACE = uuid.UUID("0f1e2d3c-4b5a-4697-8877-665544332211")
REMOTE_TYPES = {"remote": 2, "hybrid": 1}
EMPLOYMENT = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "intern": "INTERN",
    "temporary": "TEMPORARY",
}
JOB_TYPES = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contract",
    "intern": "Internship",
    "temporary": "Temporary",
}
NOT_FOUND = (
    "<!DOCTYPE html><html><head><title>Job Not Found</title></head><body><h1>Job Not Found</h1>"
    "<p>We're sorry, that job does not exist or is not currently active.</p></body></html>"
)


def company_guid(token: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"company/{token}"))


def _central(ms: int) -> str:
    """`2026-07-20T07:30:00`: Central time, no zone, as the page writes it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000 - 5 * 3600))


def _pay_text(salary: Any) -> str:
    per = "hour" if salary.interval == "hour" else "year"
    return f"${salary.minimum:,.2f} - ${salary.maximum:,.2f} / {per}"


def _page(title: str, body: str) -> Response:
    page = f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head><body>{body}</body></html>"
    return Response(200, page.encode(), HTML_TYPE)


class Paylocity(Platform):
    name = "paylocity"
    tenant_prefix = True

    def company_keys(self, token: str) -> dict[str, Any]:
        return {"board": company_guid(token)}

    def routes(self) -> Sequence[Route]:
        prefix = "/paylocity/{token}/Recruiting/Jobs"
        return (
            Route(f"{prefix}/All/{{guid}}", "list", self.job_list),
            Route(f"{prefix}/Details/{{job_id}}", "detail", self.job_page),
        )

    def external_id(self, seed: int, index: int) -> str:
        return str(1_400_000 + (seed % 100) * 10_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return Response(200, NOT_FOUND.encode(), HTML_TYPE)

    def job_list(self, request: Request, board: Board) -> Response:
        if request.params["guid"].lower() != company_guid(board.token):
            return self.not_found(request, "list")

        def render(postings: list[Posting]) -> bytes:
            return json.dumps(self.page_data(postings, board, request.empty)).encode()

        data = board.render_cached(("list", request.empty), render).decode().replace("</", "<\\/")
        script = f"<script>\n    window.pageData = {data};\n</script>"
        return _page(f"{board.company} - Current Openings", f'<div id="app"></div>{script}')

    def page_data(self, postings: list[Posting], board: Board, empty: bool) -> dict[str, Any]:
        return {
            "CompanyName": board.company,
            "ModuleId": 4,
            "Jobs": [] if empty else [self.job(p) for p in postings],
        }

    def job(self, p: Posting) -> dict[str, Any]:
        place = p.place
        city = place.city.upper() if place.city and p.variant % 6 == 0 else place.city
        return {
            "JobId": int(p.external_id),
            "JobTitle": p.title,
            "LocationName": place.name if p.variant % 2 else f"{place.city or place.name} Office",
            "JobLocation": {
                "Name": place.name,
                "City": city,
                "State": place.region if p.variant % 5 else None,
                "Country": place.country_code,
                "Zip": None,
            },
            "PublishedDate": _central(p.updated_ms),
            "IsRemote": p.workplace == "remote",
            "IndeedRemoteType": REMOTE_TYPES.get(p.workplace),
            "IsInternal": False,
            "HiringDepartment": p.department if p.variant % 4 else None,
        }

    def job_page(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["job_id"])
        if posting is None:
            return self.not_found(request, "detail")
        description = headed_description(posting)
        ld = ""
        if posting.variant % 3:  # some boards' pages carry no JSON-LD
            data = json.dumps(self.job_posting(posting, board, description)).replace("</", "<\\/")
            ld = f'<script type="application/ld+json">{data}</script>'
        sections = [("Job Type", JOB_TYPES[posting.employment]), ("Description", description)]
        salary = posting.salary
        if salary is not None and posting.salary_structured:
            sections.append(("Salary Description", _pay_text(salary)))
        details = "".join(
            f'<div class="job-listing-header">{heading}</div><div>{body}</div>'
            for heading, body in sections
        )
        body = (
            f'{ld}<div class="job-preview"><h1>{escape(posting.title)}</h1>'
            f'<div class="job-preview-details">{details}</div>'
            f'<a href="/Recruiting/Jobs/Apply/{posting.external_id}">Apply</a></div>'
        )
        return _page(posting.title, body)

    def job_posting(self, p: Posting, board: Board, description: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@context": "http://schema.org",
            "@type": "JobPosting",
            "title": p.title,
            "description": description,
            "datePosted": _central(p.updated_ms),
            "employmentType": EMPLOYMENT[p.employment],
            "hiringOrganization": {"@type": "Organization", "name": board.company},
            "jobLocation": {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": p.place.city,
                    "addressRegion": p.place.region,
                    "addressCountry": p.place.country_code,
                },
            },
        }
        salary = p.salary
        if salary is not None and p.salary_structured:
            data["baseSalary"] = {
                "@type": "MonetaryAmount",
                "currency": salary.currency,
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": salary.minimum,
                    "maxValue": salary.maximum,
                    "unitText": salary.interval.upper(),
                },
            }
        return data


FAKE = Paylocity()
