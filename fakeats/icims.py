"""iCIMS hosted career portals (`{portal}.icims.com`).

Each portal has its own host, so the fake serves it under `/icims/{token}/...`. Quirks
reproduced: `/sitemap.xml` is a namespaced `<urlset>` of every job page,
`/jobs/{id}/{title-slug}/job`, each with a `<lastmod>`, plus the portal's `/jobs/intro`
page (there even on an empty portal); board option `trusted=False` answers it with 403
"Your IP address is not on a trusted network", as some portals do. The job page without
`in_iframe=1` is a shell with no advert and no JSON-LD; with it, one schema.org
`JobPosting` block: `title`, HTML `description`, `datePosted`, `employmentType` ("OTHER"
on every third job, as many portals send), `jobLocation` (a list of Places, country as a
code), `identifier`, `jobLocationType` TELECOMMUTE on remote jobs, and `baseSalary` on
jobs with a structured salary. Any slug serves the job; an unknown id is a page saying
the job is no longer available (200, no JSON-LD).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from typing import Any

from .base import HTML_TYPE, Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import DECLARATION, bullets, closing_with_pay, element, paragraphs

XML_TYPE = "application/xml; charset=utf-8"
EMPLOYMENT = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "intern": "INTERN",
    "temporary": "TEMPORARY",
}
SHELL = (
    "<!DOCTYPE html><html><head><title>Careers</title></head><body>"
    '<iframe id="icims_content_iframe" src="?in_iframe=1"></iframe></body></html>'
)
CLOSED = (
    '<!DOCTYPE html><html><head><title>Careers</title></head><body><div class="iCIMS_InfoMsg">'
    "Sorry, this job is no longer available.</div></body></html>"
)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _stamp(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ms // 1000))


class Icims(Platform):
    name = "icims"
    tenant_prefix = True
    board_options = {"trusted": True}

    def company_keys(self, token: str) -> dict[str, Any]:
        return {"board": f"careers-{token}"}

    def routes(self) -> Sequence[Route]:
        return (
            Route("/icims/{token}/sitemap.xml", "list", self.sitemap),
            Route("/icims/{token}/jobs/{posting_id}/{slug}/job", "detail", self.job_page),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Job ids: small sequential numbers per portal (`5446`)."""
        return str(1000 + (seed % 100) * 1000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return Response(404, b"<html><body>Not Found</body></html>", HTML_TYPE)

    def sitemap(self, request: Request, board: Board) -> Response:
        if not board.options["trusted"]:
            return Response(403, b"Your IP address is not on a trusted network.", HTML_TYPE)
        entries = [] if request.empty else board.render_cached("urls", self._urls)
        origin = f"https://careers-{board.token}.icims.com"
        body = (
            DECLARATION + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url>{element('loc', origin + '/jobs/intro')}<changefreq>daily</changefreq></url>"
            + "".join(entry.format(origin=origin) for entry in entries)
            + "</urlset>"
        )
        return Response(200, body.encode(), XML_TYPE)

    def job_page(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["posting_id"])
        if posting is None:
            return Response(200, CLOSED.encode(), HTML_TYPE)
        if request.query.get("in_iframe") != "1":
            return Response(200, SHELL.encode(), HTML_TYPE)
        block = json.dumps(self.job_posting(posting), indent=1).replace("</", "<\\/")
        page = (
            f"<!DOCTYPE html><html><head><title>{posting.title}</title>"
            f'<script type="application/ld+json">{block}</script></head><body>'
            f'<h1 class="iCIMS_Header">{posting.title}</h1></body></html>'
        )
        return Response(200, page.encode(), HTML_TYPE)

    # -- shapes --------------------------------------------------------------------------

    def _urls(self, found: list[Posting]) -> list[str]:
        return [
            "<url>"
            + element("loc", f"{{origin}}/jobs/{p.external_id}/{_slug(p.title)}/job")
            + element("lastmod", _stamp(p.updated_ms))
            + "</url>"
            for p in found
        ]

    def job_posting(self, p: Posting) -> dict[str, Any]:
        d = p.description()
        advert = paragraphs(d.intro) + "".join(
            f"<p><b>{h}</b></p>{bullets(items)}" for h, items in d.sections
        )
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": p.title,
            "description": advert + paragraphs(closing_with_pay(p)),
            "datePosted": _stamp(p.created_ms),
            "employmentType": "OTHER" if p.index % 3 == 0 else EMPLOYMENT[p.employment],
            "identifier": {"@type": "PropertyValue", "name": p.company, "value": p.external_id},
            "hiringOrganization": {"@type": "Organization", "name": p.company},
            "jobLocation": [
                {
                    "@type": "Place",
                    "address": {
                        "@type": "PostalAddress",
                        "addressLocality": place.city or "",
                        "addressRegion": place.region or "",
                        "addressCountry": place.country_code,
                    },
                }
                for place in p.places
            ],
        }
        if p.workplace == "remote":
            data["jobLocationType"] = "TELECOMMUTE"
        if p.salary is not None and p.salary_structured:
            unit = "YEAR" if p.salary.interval == "year" else "HOUR"
            data["baseSalary"] = {
                "@type": "MonetaryAmount",
                "currency": p.salary.currency,
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": p.salary.minimum,
                    "maxValue": p.salary.maximum,
                    "unitText": unit,
                },
            }
        return data


FAKE = Icims()
