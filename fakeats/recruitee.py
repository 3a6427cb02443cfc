"""Recruitee Careers Site API (`{company}.recruitee.com/api/offers/`).

Each tenant has its own host, so the fake serves it under `/recruitee/{token}/...`.
Quirks reproduced: the whole board as `{"offers": [...]}`; salary amounts are strings
(`{"min": "3750", ...}`) and offers without pay carry a salary object of nulls; work mode
as three booleans `remote`/`hybrid`/`on_site` (all false when unset); dates as
"YYYY-MM-DD HH:MM:SS UTC"; the description split into `description` + `requirements`;
`location` names only the primary place while `locations[]` lists them all.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from html import escape
from typing import Any

from . import vocab
from .base import Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting

ID_BASE = 1_000_000
EMPLOYMENT_CODES: dict[str, tuple[str, ...]] = {
    "full_time": ("fulltime_permanent", "fulltime"),
    "part_time": ("parttime_permanent", "parttime"),
    "contract": ("contract", "freelance"),
    "intern": ("internship",),
    "temporary": ("fulltime_fixed_term", "temporary"),
}
EXPERIENCE_CODES = ("entry_level", "mid_level", "experienced", "manager")
NO_SALARY: dict[str, Any] = {"min": None, "max": None, "period": None, "currency": None}


def _text(value: str) -> str:
    return escape(value, quote=False)


def _utc(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(ms // 1000))


def _slug(title: str, index: int) -> str:
    return f"{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}-{index % 7 + 1}"


def _location_text(place: vocab.Place) -> str:
    """Recruitee's `location`: city, state and country, as the sample prints it."""
    return ", ".join(dict.fromkeys(x for x in (place.city, place.region, place.country) if x))


class Recruitee(Platform):
    name = "recruitee"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        return (
            Route("/recruitee/{token}/api/offers", "list", self.list_offers),
            Route("/recruitee/{token}/api/offers/{offer_id}", "detail", self.get_offer),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Integer ids: 1,000,000 + (seed % 1000) * 1,000,000 + index."""
        return str(ID_BASE + (seed % 1000) * 1_000_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"error": "Not found"}, status=404)

    def list_offers(self, request: Request, board: Board) -> Response:
        if request.empty:
            return json_response({"offers": []})

        def render(postings: list[Posting]) -> bytes:
            return dumps({"offers": [self.offer(p, board.token) for p in postings]})

        return Response(200, board.render_cached("offers", render))

    def get_offer(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["offer_id"])
        if posting is None:
            return self.not_found(request, "detail")
        return json_response({"offer": self.offer(posting, board.token)})

    def offer(self, p: Posting, token: str) -> dict[str, Any]:
        slug = _slug(p.title, p.index)
        careers_url = f"https://{token}.recruitee.com/o/{slug}"
        description, requirements = self._description(p)
        codes = EMPLOYMENT_CODES[p.employment]
        place = p.place
        guid = hashlib.blake2b(p.external_id.encode(), digest_size=4).hexdigest()[:5]
        return {
            "id": int(p.external_id),
            "guid": guid,
            "slug": slug,
            "title": p.title,
            "status": "published",
            "company_name": p.company,
            "department": p.department,
            "tags": [p.team],
            "location": _location_text(place),
            "city": place.city or "",
            "state_name": place.region,
            "state_code": place.region if place.region and len(place.region) == 2 else None,
            "country": place.country,
            "country_code": place.country_code,
            "postal_code": None,
            "locations": [
                {
                    "id": 70_000 + n,
                    "name": other.office,
                    "city": other.city,
                    "state": other.region,
                    "country": other.country,
                    "country_code": other.country_code,
                    "postal_code": None,
                    "street": None,
                }
                for n, other in enumerate(p.places)
            ],
            "remote": p.workplace == "remote",
            "hybrid": p.workplace == "hybrid",
            "on_site": p.workplace == "on-site",
            "employment_type_code": codes[p.variant % len(codes)],
            "experience_code": EXPERIENCE_CODES[p.variant % len(EXPERIENCE_CODES)],
            "education_code": None,
            "min_hours": 20 if p.employment == "part_time" else 40,
            "max_hours": 30 if p.employment == "part_time" else 40,
            "salary": self._salary(p),
            "created_at": _utc(p.created_ms),
            "published_at": _utc(p.created_ms + 1_800_000),
            "updated_at": _utc(p.updated_ms),
            "close_at": None,
            "description": description,
            "requirements": requirements,
            "highlight": None,
            "careers_url": careers_url,
            "careers_apply_url": f"{careers_url}/c/new",
            "open_questions": [],
            "mailbox_email": f"job.{p.index}@{token}.recruitee.com",
        }

    def _salary(self, p: Posting) -> dict[str, Any]:
        if p.salary is None or not p.salary_structured:
            return dict(NO_SALARY)
        s = p.salary
        return {
            "min": str(s.minimum),
            "max": str(s.maximum),
            "period": s.interval,
            "currency": s.currency,
        }

    def _description(self, p: Posting) -> tuple[str, str]:
        """(`description`, `requirements`): the requirements section has its own field."""
        d = p.description()
        (duties, duty_items), (req_heading, req_items), (perks, perk_items) = d.sections
        body = [f"<p>{_text(par)}</p>" for par in d.intro]
        for heading, items in ((duties, duty_items), (perks, perk_items)):
            body.append(f"<h4>{_text(heading)}</h4>")
            body.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in items) + "</ul>")
        body.extend(f"<p>{_text(par)}</p>" for par in d.closing)
        requirements = (
            '<p style="min-height: 1.7em;"></p>'
            f"<h4>{_text(req_heading)}</h4><ul>"
            + "".join(f"<li>{_text(i)}</li>" for i in req_items)
            + "</ul>"
        )
        return "".join(body), requirements


FAKE = Recruitee()
