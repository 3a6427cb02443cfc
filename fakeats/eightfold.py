"""Eightfold SmartApply API (`{board}.eightfold.ai/api/apply/v2/jobs`), served under
`/eightfold/{token}`; the company's `domain` is `{token}.com`.

Quirks reproduced: `domain` must name the company (another one is a 404); `start`/`num`
paging where a page holds at most 10 positions whatever `num` asks, in a `{count,
positions}` envelope; ids are large integers; `location`/`locations` written
"City,Region,Country" with the API's unspaced commas; dates `t_create`/`t_update` in Unix
seconds (`t_update` moves on every edit); `type` is "ATS"; `work_location_option` is
null on some positions; the list's `job_description` is always "" and only the detail
(`/jobs/{id}`) has it, with `apply_redirect_url`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import Platform, Request, Response, Route, json_response
from .boards import Board
from .postings import Posting
from .sites import description_html

ID_BASE = 790_000_000_000
MAX_NUM = 10
WORK_OPTION = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite"}


def _place(p: Posting, index: int) -> str:
    place = p.places[index]
    return ",".join(part for part in (place.city, place.region, place.country) if part)


class Eightfold(Platform):
    name = "eightfold"
    tenant_prefix = True

    def company_keys(self, token: str) -> dict[str, Any]:
        return {"board": token, "domain": f"{token}.com"}

    def routes(self) -> Sequence[Route]:
        api = "/eightfold/{token}/api/apply/v2/jobs"
        return (
            Route(api, "list", self.list_jobs),
            Route(f"{api}/{{position_id}}", "detail", self.get_job),
        )

    def external_id(self, seed: int, index: int) -> str:
        return str(ID_BASE + (seed % 1000) * 1_000_000 + index)

    def page_of(self, request: Request) -> int:
        try:
            return int(request.query.get("start") or 0) // MAX_NUM
        except ValueError:
            return 0

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"message": "Not Found", "status": 404}, status=404)

    def list_jobs(self, request: Request, board: Board) -> Response:
        if request.query.get("domain") != f"{board.token}.com":
            return self.not_found(request, "list")
        try:
            start = int(request.query.get("start") or 0)
            num = int(request.query.get("num") or MAX_NUM)
        except ValueError:
            return json_response({"message": "Bad Request", "status": 400}, status=400)
        positions = (
            []
            if request.empty
            else board.render_cached(
                "positions", lambda found: [self.position(p, board) for p in found]
            )
        )
        shown = positions[max(start, 0) : max(start, 0) + min(max(num, 1), MAX_NUM)]
        return json_response({"count": len(positions), "positions": shown})

    def get_job(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["position_id"])
        if posting is None or request.query.get("domain") != f"{board.token}.com":
            return self.not_found(request, "detail")
        return json_response(
            {
                **self.position(posting, board),
                "job_description": description_html(posting, pay_prose=True),
                "apply_redirect_url": f"https://{board.token}.example-ats.com/apply/{posting.index}",
            }
        )

    def position(self, p: Posting, board: Board) -> dict[str, Any]:
        requisition = f"JR{p.seed % 1000:03d}{p.index:05d}"
        return {
            "id": int(p.external_id),
            "name": p.title,
            "location": _place(p, 0),
            "locations": [_place(p, i) for i in range(len(p.places))],
            "hot": p.variant % 7 == 0,
            "department": p.department,
            "business_unit": p.team,
            "t_update": p.updated_ms // 1000,
            "t_create": p.created_ms // 1000,
            "ats_job_id": requisition,
            "display_job_id": requisition,
            "type": "ATS",
            "id_locale": f"{requisition}-en-US",
            "job_description": "",
            "locale": "en-US",
            "stars": 0,
            "medallionProgram": None,
            "location_flexibility": None,
            "work_location_option": WORK_OPTION.get(p.workplace) if p.variant % 4 else None,
            "canonicalPositionUrl": f"https://{board.token}.eightfold.ai/careers/job/{p.external_id}",
            "isPrivate": False,
        }


FAKE = Eightfold()
