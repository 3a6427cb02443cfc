"""Pinpoint career site JSON (`{company}.pinpointhq.com/postings.json`).

Each tenant has its own host, so the fake serves it under `/pinpoint/{token}/...`.
Quirks reproduced: `{"data": [...]}` with every posting and no paging, total or dates
but the closing `deadline_at`; numeric ids (some written as strings) while `url`/`path`
name the posting by UUID (`/en/postings/{uuid}`); the advert split into `description`,
`key_responsibilities`, `skills_knowledge_expertise`, `benefits` with `*_header`s (null
when hidden); one `location{id, name, city, province, postal_code, street_address}` and
no country (remote postings: a location named "Remote" without city); department under
`job.department`; `workplace_type` codes plus `workplace_type_text`; `employment_type`
codes (`permanent_full_time`...) plus `employment_type_text`; pay as
`compensation_minimum/maximum/currency/frequency` plus display `compensation`, all
present but hidden behind `compensation_visible: false` on some postings.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from html import escape
from typing import Any

from . import vocab
from .base import Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting

NAMESPACE = uuid.UUID("5b0e9c1d-2f3a-4c5b-8d6e-7f8091a2b3c4")
EMPLOYMENT = {
    "full_time": ("permanent_full_time", "Permanent - Full Time"),
    "part_time": ("permanent_part_time", "Permanent - Part Time"),
    "contract": ("freelance", "Freelance"),
    "intern": ("internship", "Internship"),
    "temporary": ("fixed_term_contract", "Fixed Term Contract"),
}
WORKPLACES = {
    "on-site": ("onsite", "On-site"),
    "hybrid": ("hybrid", "Hybrid"),
    "remote": ("remote", "Fully remote"),
}
FREQUENCIES = {"year": "year", "hour": "hour"}


def _text(value: str) -> str:
    return escape(value, quote=False)


class Pinpoint(Platform):
    name = "pinpoint"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        return (Route("/pinpoint/{token}/postings.json", "list", self.list_postings),)

    def external_id(self, seed: int, index: int) -> str:
        """Six-digit posting ids: 300,000 + (seed % 100) * 2,000 + index."""
        return str(300_000 + (seed % 100) * 2_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"error": "Not Found"}, status=404)

    def list_postings(self, request: Request, board: Board) -> Response:
        if request.empty:
            return json_response({"data": []})

        def render(postings: list[Posting]) -> bytes:
            return dumps({"data": [self.posting(p, board.token) for p in postings]})

        return Response(200, board.render_cached("postings", render))

    def posting(self, p: Posting, token: str) -> dict[str, Any]:
        path = f"/en/postings/{uuid.uuid5(NAMESPACE, p.external_id)}"
        kind, kind_text = EMPLOYMENT[p.employment]
        workplace, workplace_text = WORKPLACES.get(p.workplace, (None, None))
        d = p.description()
        duties, requirements, benefits = d.sections
        salary = p.salary if p.salary is not None and p.salary_structured else None
        return {
            "id": p.external_id if p.variant % 3 == 0 else int(p.external_id),
            "title": p.title,
            "url": f"https://{token}.pinpointhq.com{path}",
            "path": path,
            "description": "".join(f"<p>{_text(x)}</p>" for x in d.intro),
            "key_responsibilities_header": duties[0],
            "key_responsibilities": _bullets(duties[1]),
            "skills_knowledge_expertise_header": requirements[0] if p.variant % 5 else None,
            "skills_knowledge_expertise": _bullets(requirements[1]),
            "benefits_header": benefits[0],
            "benefits": _bullets(benefits[1]) + "".join(f"<p>{_text(x)}</p>" for x in d.closing),
            "compensation": _display(salary) if salary else None,
            "compensation_visible": salary is not None,
            "compensation_minimum": salary.minimum if salary else None,
            "compensation_maximum": salary.maximum if salary else None,
            "compensation_currency": salary.currency if salary else None,
            "compensation_frequency": FREQUENCIES[salary.interval] if salary else None,
            "deadline_at": time.strftime(
                "%Y-%m-%dT23:59:59.000+00:00", time.gmtime(p.updated_ms // 1000 + 30 * 86_400)
            ),
            "employment_type": kind,
            "employment_type_text": kind_text,
            "workplace_type": workplace,
            "workplace_type_text": workplace_text,
            "reporting_to": None,
            "location": self._location(p),
            "job": {
                "id": int(p.external_id) - 150_000,
                "requisition_id": p.requisition_id,
                "department": {"id": 7_000 + len(p.department), "name": p.department},
                "division": None,
                "structure_custom_group_one": None,
            },
        }

    def _location(self, p: Posting) -> dict[str, Any]:
        place = p.place
        return {
            "id": 50_000 + vocab.PLACES.index(place),
            "name": place.city or place.name,
            "city": place.city,
            "province": place.region,
            "postal_code": None,
            "street_address": None,
        }


def _bullets(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{_text(x)}</li>" for x in items) + "</ul>"


def _display(salary: Any) -> str:
    sym = vocab.CURRENCY_SYMBOLS[salary.currency]
    return f"{sym}{salary.minimum:,} - {sym}{salary.maximum:,} per {salary.interval}"


FAKE = Pinpoint()
