"""Breezy HR public portal JSON (`{company}.breezy.hr/json`).

Each tenant has its own host, so the fake serves it under `/breezy/{token}/...`.
Quirks reproduced: a bare JSON array; `description` only with `verbose=true`; employment
as `type{id,name}` (some postings "Other"); the salary only as a free-text string, on
some postings; remote only as `location.is_remote`; every place in `locations[]` with the
primary one also in `location`; unknown portals answer 404 "Career portal not found".
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
from .postings import Posting, Salary

TYPES: dict[str, tuple[str, str]] = {
    "full_time": ("fullTime", "Full-Time"),
    "part_time": ("partTime", "Part-Time"),
    "contract": ("contract", "Contract"),
    "intern": ("internship", "Internship"),
    "temporary": ("temporary", "Temporary"),
}
OTHER_TYPE = {"id": "other", "name": "Other"}


def _text(value: str) -> str:
    return escape(value, quote=False)


def _location(place: vocab.Place, primary: bool) -> dict[str, Any]:
    location: dict[str, Any] = {"country": {"name": place.country, "id": place.country_code}}
    if place.region:
        location["state"] = {"id": place.region, "name": place.region}
    if place.city:
        location["city"] = place.city
    location["primary"] = primary
    location["is_remote"] = place.kind == "remote"
    location["name"] = ", ".join(x for x in (place.city, place.region or place.country) if x)
    return location


def _salary_text(salary: Salary) -> str:
    """Breezy's free-text pay, e.g. "$80,000 - $120,000 / year"."""
    sym = vocab.CURRENCY_SYMBOLS[salary.currency]
    return f"{sym}{salary.minimum:,} - {sym}{salary.maximum:,} / {salary.interval}"


class Breezy(Platform):
    name = "breezy"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        return (Route("/breezy/{token}/json", "list", self.list_positions),)

    def external_id(self, seed: int, index: int) -> str:
        """12 hex digits, like Breezy's position ids."""
        return hashlib.blake2b(f"breezy/{seed}/{index}".encode(), digest_size=6).hexdigest()

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"error": "Career portal not found"}, status=404)

    def list_positions(self, request: Request, board: Board) -> Response:
        verbose = request.flag("verbose")
        if request.empty:
            return Response(200, b"[]")

        def render(postings: list[Posting]) -> bytes:
            return dumps([self.position(p, board, verbose=verbose) for p in postings])

        return Response(200, board.render_cached(("json", verbose), render))

    def position(self, p: Posting, board: Board, *, verbose: bool) -> dict[str, Any]:
        friendly_id = f"{p.external_id}-{re.sub(r'[^a-z0-9]+', '-', p.title.lower()).strip('-')}"
        type_id, type_name = TYPES[p.employment]
        position: dict[str, Any] = {
            "id": p.external_id,
            "friendly_id": friendly_id,
            "name": p.title,
            "url": f"https://{board.token}.breezy.hr/p/{friendly_id}",
            "published_date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(p.created_ms // 1000))
            + f".{p.created_ms % 1000:03d}Z",
            "type": OTHER_TYPE if p.variant % 9 == 4 else {"id": type_id, "name": type_name},
            "location": _location(p.place, True),
            "department": p.department,
        }
        if p.salary is not None and p.salary_structured:
            position["salary"] = _salary_text(p.salary)
        position["company"] = {
            "name": board.company,
            "logo_url": None,
            "friendly_id": board.token,
            "isMultipleLocationsEnabled": len(p.places) > 1,
        }
        position["locations"] = [
            {**_location(place, n == 0), "id": f"{p.external_id[:6]}{n:06x}"}
            for n, place in enumerate(p.places)
        ]
        if verbose:
            position["description"] = self._description(p)
        return position

    def _description(self, p: Posting) -> str:
        d = p.description()
        parts = [f"<p>{_text(par)}</p>" for par in d.intro]
        for heading, items in d.sections:  # Breezy's editor: h3 headings, <p> in each item
            bullets = "".join(f"<li><p>{_text(i)}</p></li>" for i in items)
            parts.append(f"<p>&nbsp;</p><h3>{_text(heading)}</h3><ul>{bullets}</ul>")
        parts.extend(f"<p>{_text(par)}</p>" for par in d.closing)
        return "".join(parts)


FAKE = Breezy()
