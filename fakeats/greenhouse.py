"""Greenhouse Job Board API (`boards-api.greenhouse.io/v1/boards/{token}/jobs`).

Quirks reproduced: the whole board in one response with `meta.total`; `content`,
`departments` and `offices` only with `content=true`; `content` is entity-escaped HTML;
no remote field (only text in `location.name`); employment type only as an optional
custom `metadata` field; salary only on the single-job route with `pay_transparency=true`
(`pay_input_ranges`, in cents and without an interval) or as prose in the content.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from . import vocab
from .base import Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting, iso_eastern

ID_BASE = 4_000_000_000
INTERNAL_ID_OFFSET = 1_000_000_000
METADATA_FIELD_ID = 4_100_200_004
EMPLOYMENT_VALUES: dict[str, tuple[str, ...]] = {
    "full_time": ("Full-time", "Regular", "Full Time"),
    "part_time": ("Part-time",),
    "contract": ("Contract", "Contractor"),
    "intern": ("Intern", "Internship"),
    "temporary": ("Temporary", "Fixed Term"),
}
PAY_BLURB = (
    "In order to provide transparency, the range below reflects the base pay for this role. "
    "Final offers depend on skills, experience and location."
)
_OFFICE_IDS = {
    name: 4_004_000_004 + 1000 * n
    for n, name in enumerate(dict.fromkeys(p.office for p in vocab.PLACES))
}


def _text(value: str) -> str:
    return escape(value, quote=False)


def _entity_escape(markup: str) -> str:
    """Greenhouse sends HTML escaped once more: '<p>' arrives as '&lt;p&gt;'."""
    return escape(markup, quote=False).replace('"', "&quot;").replace("'", "&#39;")


class Greenhouse(Platform):
    name = "greenhouse"

    def routes(self) -> Sequence[Route]:
        return (
            Route("/v1/boards/{token}/jobs", "list", self.list_jobs),
            Route("/v1/boards/{token}/jobs/{job_id}", "detail", self.get_job),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Integer ids: 4,000,000,000 + (seed % 1000) * 1,000,000 + index."""
        return str(ID_BASE + (seed % 1000) * 1_000_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"status": 404, "error": "Job not found"}, status=404)

    def list_jobs(self, request: Request, board: Board) -> Response:
        content = request.flag("content")
        if request.empty:
            return json_response({"jobs": [], "meta": {"total": 0}})

        def render(postings: list[Posting]) -> bytes:
            jobs = [self.job(p, board.token, content=content) for p in postings]
            return dumps({"jobs": jobs, "meta": {"total": len(jobs)}})

        return Response(200, board.render_cached(("jobs", content), render))

    def get_job(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["job_id"])
        if posting is None:
            return self.not_found(request, "detail")
        pay = request.flag("pay_transparency")
        return json_response(self.job(posting, board.token, content=True, pay=pay))

    def job(self, p: Posting, token: str, *, content: bool, pay: bool = False) -> dict[str, Any]:
        job_id = int(p.external_id)
        url = f"https://job-boards.greenhouse.io/{token}/jobs/{job_id}"
        if p.variant % 8 == 5:  # vanity careers page, as some companies configure
            url = f"https://www.{token}.example/careers?gh_jid={job_id}"
        location = p.place.name
        if len(p.places) > 1 and p.variant % 2 == 0:
            location = "; ".join(place.name for place in p.places)
        job: dict[str, Any] = {
            "absolute_url": url,
            "data_compliance": [
                {"type": "gdpr", "requires_consent": False, "retention_period": None}
            ],
        }
        if p.variant % 3 == 0:
            job["education"] = "education_optional"
        job.update(
            internal_job_id=job_id - INTERNAL_ID_OFFSET,
            location={"name": location},
            metadata=self._metadata(p),
            id=job_id,
            updated_at=iso_eastern(p.updated_ms),
            requisition_id=p.requisition_id,
            title=p.title,
            company_name=p.company,
            first_published=iso_eastern(p.created_ms),
            language="en",
            application_deadline=None,
        )
        if content:
            job["content"] = _entity_escape(self._content_html(p))
            department_id = 4_010_000_004 + 1000 * vocab.DEPARTMENT_NAMES.index(p.department)
            job["departments"] = [
                {"id": department_id, "name": p.department, "child_ids": [], "parent_id": None}
            ]
            job["offices"] = [
                {
                    "id": _OFFICE_IDS[place.office],
                    "name": place.office,
                    "location": place.office_location,
                    "child_ids": [],
                    "parent_id": None,
                }
                for place in p.places
            ]
            job.update(ai_disclaimer=None, include_ai_disclaimer=None, ai_opt_out_request_url=None)
        if pay:
            job["pay_input_ranges"] = self._pay_ranges(p)
        return job

    def _metadata(self, p: Posting) -> list[dict[str, Any]] | None:
        if p.variant % 2:
            return None
        values = EMPLOYMENT_VALUES[p.employment]
        return [
            {
                "id": METADATA_FIELD_ID,
                "name": "Employment Type",
                "value": values[p.variant // 2 % len(values)],
                "value_type": "single_select",
            }
        ]

    def _pay_ranges(self, p: Posting) -> list[dict[str, Any]]:
        if p.salary is None or not p.salary_structured:
            return []
        s = p.salary
        title = "Hourly Pay Range" if s.interval == "hour" else f"{p.place.country} Salary Range"
        return [
            {
                "min_cents": s.minimum * 100,
                "max_cents": s.maximum * 100,
                "currency_type": s.currency,
                "title": title,
                "blurb": PAY_BLURB,
            }
        ]

    def _content_html(self, p: Posting) -> str:
        d = p.description()
        parts = [f'<div class="content-intro"><p>{_text(d.intro[0])}</p></div>']
        parts.extend(f"<p>{_text(par)}</p>" for par in d.intro[1:])
        for heading, items in d.sections:
            bullets = "".join(f"<li>{_text(item)}</li>" for item in items)
            parts.append(f"<h3><strong>{_text(heading)}</strong></h3><ul>{bullets}</ul>")
        if p.salary is not None and p.salary_structured:
            s = p.salary
            sym = vocab.CURRENCY_SYMBOLS[s.currency]
            parts.append(
                '<div class="content-pay-transparency"><div class="pay-input">'
                f'<div class="title">{self._pay_ranges(p)[0]["title"]}</div>'
                f'<div class="pay-range"><span>{sym}{s.minimum:,}</span>'
                '<span class="divider">&mdash;</span>'
                f"<span>{sym}{s.maximum:,} {s.currency}</span></div></div></div>"
            )
        closing = "".join(f"<p>{_text(par)}</p>" for par in d.closing)
        parts.append(f'<div class="content-conclusion">{closing}</div>')
        return "".join(parts)


FAKE = Greenhouse()
