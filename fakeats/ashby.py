"""Ashby public Job Posting API (`api.ashbyhq.com/posting-api/job-board/{board}`).

Quirks reproduced: no paging; `compensation` per job only with `includeCompensation=true`
(and then the empty shape for jobs without pay); unlisted jobs (`isListed: false`) are
served and must be skipped by crawlers; `isRemote` can be true on a "Hybrid" job;
`workplaceType` is null when the company did not set it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from . import vocab
from .base import Platform, Request, Response, Route, dumps, json_response
from .boards import Board
from .postings import Posting, Salary, iso_utc_millis

NAMESPACE = uuid.UUID("0c9d3a7e-51f2-4d0b-8e61-2b7f3c4d5e6f")
EMPLOYMENT_TYPES = {
    "full_time": "FullTime",
    "part_time": "PartTime",
    "intern": "Intern",
    "contract": "Contract",
    "temporary": "Temporary",
}
WORKPLACE_TYPES = {"on-site": "OnSite", "remote": "Remote", "hybrid": "Hybrid"}
INTERVALS = {"year": "1 YEAR", "hour": "1 HOUR"}
EMPTY_COMPENSATION: dict[str, Any] = {
    "compensationTierSummary": None,
    "scrapeableCompensationSalarySummary": None,
    "compensationTiers": [],
    "summaryComponents": [],
}
_P = '<p style="min-height:1.5em">'


def _text(value: str) -> str:
    return escape(value, quote=False)


def _postal(place: vocab.Place) -> dict[str, str]:
    address = {"addressLocality": place.city, "addressRegion": place.region}
    address["addressCountry"] = place.country
    return {k: v for k, v in address.items() if v}


def _money(salary: Salary, value: int) -> str:
    sym = vocab.CURRENCY_SYMBOLS[salary.currency]
    if salary.interval == "year" and value % 1000 == 0:
        return f"{sym}{value // 1000}K"
    return f"{sym}{value:,}"


class Ashby(Platform):
    name = "ashby"
    serves_unlisted = True

    def routes(self) -> Sequence[Route]:
        return (Route("/posting-api/job-board/{token}", "list", self.list_jobs),)

    def external_id(self, seed: int, index: int) -> str:
        return str(uuid.uuid5(NAMESPACE, f"ashby/{seed}/{index}"))

    def not_found(self, request: Request, kind: str) -> Response:
        return json_response({"success": False, "error": "Job board not found"}, status=404)

    def list_jobs(self, request: Request, board: Board) -> Response:
        compensation = request.flag("includeCompensation")
        if request.empty:
            return json_response({"apiVersion": "1", "jobs": []})

        def render(postings: list[Posting]) -> bytes:
            jobs = [self.job(p, board.token, compensation=compensation) for p in postings]
            return dumps({"apiVersion": "1", "jobs": jobs})

        return Response(200, board.render_cached(("jobs", compensation), render))

    def job(self, p: Posting, board_name: str, *, compensation: bool) -> dict[str, Any]:
        html, plain = self._description(p)
        url = f"https://jobs.ashbyhq.com/{quote(board_name)}/{p.external_id}"
        job: dict[str, Any] = {
            "id": p.external_id,
            "title": p.title,
            "department": p.department,
            "team": p.team,
            "employmentType": EMPLOYMENT_TYPES[p.employment],
            "location": p.place.name,
            "shouldDisplayCompensationOnJobPostings": self._shows_pay(p),
            "secondaryLocations": [
                {"location": place.name, "address": {"postalAddress": _postal(place)}}
                for place in p.places[1:]
            ],
            "publishedAt": iso_utc_millis(p.created_ms),
            "isListed": p.listed,
            "isRemote": p.remote_flag,
            "workplaceType": WORKPLACE_TYPES.get(p.workplace),
            "address": {"postalAddress": _postal(p.place)},
            "jobUrl": url,
            "applyUrl": f"{url}/application",
            "descriptionHtml": html,
            "descriptionPlain": plain,
        }
        if compensation:
            job["compensation"] = self._compensation(p)
        return job

    def _shows_pay(self, p: Posting) -> bool:
        return p.salary is not None and p.salary_structured

    def _compensation(self, p: Posting) -> dict[str, Any]:
        if p.salary is None or not self._shows_pay(p):
            return dict(EMPTY_COMPENSATION)
        s = p.salary
        summary = f"{_money(s, s.minimum)} – {_money(s, s.maximum)}"
        if s.interval == "hour":
            summary += " per hour"
        equity = p.variant % 2 == 0
        tier_summary = f"{summary} • Offers Equity" if equity else summary

        def component_id(n: int) -> str:
            return str(uuid.uuid5(NAMESPACE, f"{p.external_id}/{p.revision}/{n}"))

        money = {
            "compensationType": "Salary",
            "interval": INTERVALS[s.interval],
            "currencyCode": s.currency,
            "minValue": s.minimum,
            "maxValue": s.maximum,
        }
        components = [{"id": component_id(2), "summary": summary, **money}]
        if equity:
            components.insert(
                0,
                {
                    "id": component_id(1),
                    "summary": "Offers Equity",
                    "compensationType": "EquityPercentage",
                    "interval": "NONE",
                    "currencyCode": None,
                    "minValue": None,
                    "maxValue": None,
                },
            )
        tier = {
            "id": component_id(0),
            "tierSummary": tier_summary,
            "title": None,
            "additionalInformation": None,
            "components": components,
        }
        return {
            "compensationTierSummary": tier_summary,
            "scrapeableCompensationSalarySummary": summary.replace(" – ", " - "),
            "compensationTiers": [tier],
            "summaryComponents": [money],
        }

    def _description(self, p: Posting) -> tuple[str, str]:
        d = p.description()
        html = [f"{_P}{_text(par)}</p>" for par in d.intro]
        plain = list(d.intro)
        for heading, items in d.sections:
            html.append(f"<h3>{_text(heading)}</h3>")
            html.append("<ul>" + "".join(f"<li>{_P}{_text(i)}</p></li>" for i in items) + "</ul>")
            plain.append(heading)
            plain.append("\n".join(f"• {i}" for i in items))
        html.extend(f"{_P}{_text(par)}</p>" for par in d.closing)
        plain.extend(d.closing)
        return "".join(html), "\n\n".join(plain)


FAKE = Ashby()
