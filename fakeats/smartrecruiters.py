"""SmartRecruiters Posting API (`api.smartrecruiters.com/v1/companies/{company}/postings`).

Quirks reproduced: offset/limit paging (`limit` defaults to 10, more than 100 is a 400)
with a `{offset, limit, totalFound, content}` envelope; list items carry no description,
`postingUrl` or `applyUrl` (only the detail route has them, under `jobAd.sections`);
`location.country` is a lower-case code; `fullLocation` is malformed ("Berlin, , Germany")
when a posting has no region; `department` can be `{}`; work mode as the booleans
`location.remote` and `location.hybrid`; no salary field (pay only as prose).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting

ID_BASE = 744_000_000_000_000
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
NAMESPACE = uuid.UUID("3d5e1c2a-8b7f-4e6d-9a0b-1c2d3e4f5a6b")
EMPLOYMENT = {
    "full_time": ("permanent", "Full-time"),
    "part_time": ("part_time", "Part-time"),
    "contract": ("contract", "Contract"),
    "intern": ("intern", "Internship"),
    "temporary": ("temporary", "Temporary"),
}
FUNCTIONS = {
    "Engineering": "engineering",
    "Product": "product_management",
    "Sales": "sales",
    "Marketing": "marketing",
    "Customer Success": "customer_service",
    "Data": "analyst",
    "People & Operations": "human_resources",
}


def _text(value: str) -> str:
    return escape(value, quote=False)


def _iso(ms: int) -> str:
    """SmartRecruiters dates: '2026-09-25T18:18:52.891Z'."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
    return f"{stamp}.{ms % 1000:03d}Z"


def _error(status: int, code: str, message: str) -> Response:
    return json_response({"errors": [{"code": code, "message": message}]}, status=status)


def _paging(request: Request) -> tuple[int, int]:
    """(offset, limit); ValueError when they are not integers in range."""
    offset = int(request.query.get("offset") or 0)
    limit = int(request.query.get("limit") or DEFAULT_LIMIT)
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        raise ValueError("paging out of range")
    return offset, limit


class SmartRecruiters(Platform):
    name = "smartrecruiters"

    def routes(self) -> Sequence[Route]:
        return (
            Route("/v1/companies/{token}/postings", "list", self.list_postings),
            Route("/v1/companies/{token}/postings/{posting_id}", "detail", self.get_posting),
        )

    def external_id(self, seed: int, index: int) -> str:
        """15-digit ids: 744,000,000,000,000 + (seed % 1000) * 1,000,000 + index."""
        return str(ID_BASE + (seed % 1000) * 1_000_000 + index)

    def page_of(self, request: Request) -> int:
        try:
            offset, limit = _paging(request)
        except ValueError:
            return 0
        return offset // limit

    def not_found(self, request: Request, kind: str) -> Response:
        return _error(404, "NOT_FOUND", "Requested resource was not found")

    def list_postings(self, request: Request, board: Board) -> Response:
        try:
            offset, limit = _paging(request)
        except ValueError:
            return _error(400, "INVALID_PARAMETER", f"limit must be between 1 and {MAX_LIMIT}")
        if request.empty:
            return json_response({"offset": offset, "limit": limit, "totalFound": 0, "content": []})

        def render(postings: list[Posting]) -> list[bytes]:
            return [dumps(self.summary(p, board.token)) for p in postings]

        items = board.render_cached("postings", render)
        head = f'{{"offset":{offset},"limit":{limit},"totalFound":{len(items)},"content":['
        return Response(200, head.encode() + b",".join(items[offset : offset + limit]) + b"]}")

    def get_posting(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["posting_id"])
        if posting is None:
            return self.not_found(request, "detail")
        return json_response(self.detail(posting, board.token))

    def summary(self, p: Posting, token: str) -> dict[str, Any]:
        """A list item (no description, no URLs but `ref`)."""
        department: dict[str, str] = {}
        if p.variant % 9:
            department = {"id": str(13_800_000 + len(p.department) * 7919), "label": p.department}
        employment_id, employment_label = EMPLOYMENT[p.employment]
        summary: dict[str, Any] = {
            "id": p.external_id,
            "name": p.title,
            "uuid": str(uuid.uuid5(NAMESPACE, p.external_id)),
            "jobAdId": str(uuid.uuid5(NAMESPACE, f"{p.external_id}/{p.revision}")),
            "defaultJobAd": True,
            "refNumber": f"REF{p.index:05d}",
            "company": {"identifier": token, "name": p.company},
            "releasedDate": _iso(p.updated_ms),
            "location": self._location(p),
            "industry": {"id": "computer_software", "label": "Computer Software"},
            "department": department,
            "function": {"id": FUNCTIONS[p.department], "label": p.department},
            "typeOfEmployment": {"id": employment_id, "label": employment_label},
            "experienceLevel": {"id": "mid_senior_level", "label": "Mid-Senior Level"},
            "customField": [],
            "visibility": "PUBLIC",
            "ref": f"https://api.smartrecruiters.com/v1/companies/{token}/postings/{p.external_id}",
            "language": {"code": "en", "label": "English", "labelNative": "English (US)"},
        }
        if p.variant % 4 == 0:
            label = {"remote": "Remote", "hybrid": "Hybrid"}.get(p.workplace, "Office-based")
            summary["customField"] = [
                {
                    "fieldId": "6904797c56f594d5ed50988d",
                    "fieldLabel": "Work flexibility",
                    "valueId": hashlib.md5(label.encode()).hexdigest(),
                    "valueLabel": label,
                }
            ]
        return summary

    def detail(self, p: Posting, token: str) -> dict[str, Any]:
        """The single-posting shape: the list fields plus URLs and the job ad sections."""
        page = f"https://jobs.smartrecruiters.com/{token}/{p.external_id}"
        slug = "-".join("".join(c if c.isalnum() else " " for c in p.title.lower()).split())
        return {
            **self.summary(p, token),
            "creator": {"name": "Hiring Team"},
            "postingUrl": f"{page}-{slug}",
            "applyUrl": f"{page}-{slug}?oga=true",
            "referralUrl": f"{page}-{slug}?dcr_ci={token}",
            "jobAd": {"sections": self._sections(p)},
            "active": True,
        }

    def _location(self, p: Posting) -> dict[str, Any]:
        place = p.place
        location: dict[str, Any] = {"country": place.country_code.lower()}
        if place.city:
            location["city"] = place.city
            if place.region:
                location["region"] = place.region
        location["remote"] = p.workplace == "remote"
        location["hybrid"] = p.workplace == "hybrid"
        if place.city:
            # SmartRecruiters leaves an empty slot for a missing region on some postings.
            parts = [place.city, place.region or "", place.country]
            if not place.region and p.variant % 2:
                parts.remove("")
            location["fullLocation"] = ", ".join(parts)
        else:
            location["fullLocation"] = place.country
        return location

    def _sections(self, p: Posting) -> dict[str, dict[str, str]]:
        d = p.description()

        def paragraphs(items: Sequence[str]) -> str:
            return "".join(f"<p>{_text(x)}</p>" for x in items)

        def bullets(items: Sequence[str]) -> str:
            return "<ul>" + "".join(f"<li>{_text(x)}</li>" for x in items) + "</ul>"

        (duty_title, duties), (_, requirements), (benefit_title, benefits) = d.sections
        closing = list(d.closing)
        if p.salary is not None and p.salary_structured:  # no salary field: pay is prose
            closing.insert(0, p.salary.prose(p.variant))
        return {
            "companyDescription": {"title": "Company Description", "text": paragraphs(d.intro[:1])},
            "jobDescription": {
                "title": "Job Description",
                "text": paragraphs(d.intro[1:])
                + f"<p><strong>{_text(duty_title)}</strong></p>"
                + bullets(duties),
            },
            "qualifications": {"title": "Qualifications", "text": bullets(requirements)},
            "additionalInformation": {
                "title": "Additional Information",
                "text": f"<p><strong>{_text(benefit_title)}</strong></p>"
                + bullets(benefits)
                + paragraphs(closing),
            },
        }


FAKE = SmartRecruiters()
