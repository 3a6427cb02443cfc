"""Comeet Careers API 2.0 (`www.comeet.co/careers-api/2.0/company/{uid}/positions`).

Quirks reproduced: a bare JSON array, no paging; every call needs the company's public
`token` (`api_token(uid)` here): none answers 401, a wrong one 403; `details[]` (HTML
sections with an `order` that the array order does not follow) only with `details=true`;
`workplace_type` beside the deprecated `location.is_remote`, which is true on some hybrid
positions, and older positions without `workplace_type` at all; only `time_updated` as date.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting

API = "https://www.comeet.co/careers-api/2.0/company"
WORKPLACE_TYPES = {"on-site": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
EMPLOYMENT_TYPES = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contractor",
    "intern": "Internship",
    "temporary": "Temporary",
}
EXPERIENCE_LEVELS = ("Entry-level", "Intermediate", "Senior", "Management")


def api_token(company_uid: str) -> str:
    """The public token a company's careers page embeds; the fake accepts only this one."""
    return hashlib.blake2b(f"comeet-token/{company_uid}".encode(), digest_size=16).hexdigest()


def _text(value: str) -> str:
    return escape(value, quote=False)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Comeet(Platform):
    name = "comeet"

    def company_keys(self, token: str) -> dict[str, Any]:
        return {"board": token, "token": api_token(token)}

    def routes(self) -> Sequence[Route]:
        prefix = "/careers-api/2.0/company/{token}/positions"
        return (
            Route(prefix, "list", self.list_positions),
            Route(prefix + "/{position_uid}", "detail", self.get_position),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Comeet uids look like "87.405": two hex numbers."""
        return f"{seed % 256:02X}.{index:03X}"

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"status": 404, "message": "Not found"}, status=404)

    def list_positions(self, request: Request, board: Board) -> Response:
        denied = self._check_token(request, board)
        if denied is not None:
            return denied
        details = request.flag("details")
        if request.empty:
            return Response(200, b"[]")

        def render(postings: list[Posting]) -> bytes:
            return dumps([self.position(p, board, details=details) for p in postings])

        return Response(200, board.render_cached(("positions", details), render))

    def get_position(self, request: Request, board: Board) -> Response:
        denied = self._check_token(request, board)
        if denied is not None:
            return denied
        posting = board.posting(request.params["position_uid"])
        if posting is None:
            return self.not_found(request, "detail")
        return json_response(self.position(posting, board, details=request.flag("details")))

    def _check_token(self, request: Request, board: Board) -> Response | None:
        token = request.query.get("token")
        if not token:
            return json_response({"status": 401, "message": "Missing token"}, status=401)
        if token != api_token(board.token):
            return json_response({"status": 403, "message": "Invalid token"}, status=403)
        return None

    def position(self, p: Posting, board: Board, *, details: bool) -> dict[str, Any]:
        uid = p.external_id
        company_slug = _slug(board.company)
        hosted = f"https://www.comeet.com/jobs/{company_slug}/{board.token}/{_slug(p.title)}/{uid}"
        active = hosted
        if p.variant % 3 == 0:  # the company's own careers page embeds the widget
            active = f"https://www.{company_slug}.example/careers/?comeet_pos={uid}"
        place = p.place
        position: dict[str, Any] = {
            "uid": uid,
            "name": p.title,
            "department": p.department,
            "email": f"jobs+{uid}@{company_slug}.example",
        }
        if p.variant % 7 != 3:  # positions from before the field existed lack it
            position["workplace_type"] = WORKPLACE_TYPES.get(p.workplace)
        position.update(
            url_comeet_hosted_page=hosted,
            url_active_page=active,
            employment_type=EMPLOYMENT_TYPES[p.employment],
            experience_level=EXPERIENCE_LEVELS[p.variant % len(EXPERIENCE_LEVELS)],
            internal_use_custom_id=p.requisition_id,
            picture_url=None,
            time_updated=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(p.updated_ms // 1000)),
            company_name=p.company,
            position_url=f"{API}/{board.token}/positions/{uid}",
            location={
                "name": place.name,
                "country": place.country_code,
                "city": place.city,
                "state": place.region,
                "postal_code": None,
                "street_name": None,
                "street_number": None,
                "timezone": None,
                "is_remote": p.remote_flag,
            },
            categories=[{"name": "Team", "value": p.team, "order": 1}],
        )
        if details:
            position["details"] = self._details(p)
        return position

    def _details(self, p: Posting) -> list[dict[str, Any]]:
        d = p.description()
        sections = [("Description", "".join(f"<p>{_text(par)}</p>" for par in d.intro))]
        for heading, items in d.sections:
            bullets = "".join(f"<li>{_text(i)}</li>" for i in items)
            sections.append((heading, f"<ul>{bullets}</ul>"))
        sections.append(
            ("Additional information", "".join(f"<p>{_text(c)}</p>" for c in d.closing))
        )
        details = [
            {"name": name, "value": value, "order": n}
            for n, (name, value) in enumerate(sections, start=1)
        ]
        return details[::-1] if p.variant % 2 else details  # `order` decides, not the array


FAKE = Comeet()
