"""Fake careers site with schema.org JobPosting JSON-LD job pages (`jsonld`).

`jsonld` quirks reproduced: a careers index paged with `?page=N` (10 jobs a page, a
"Next" link until the last page, which shows a disabled one) whose job links are
relative, root-relative or absolute, next to links that are not jobs (about, privacy);
a sitemap index (`sitemap.xml`) pointing to a page sitemap and job sitemaps of 20 URLs,
each job URL with a `<lastmod>` (a date on some, a W3C datetime on others) that moves
when its posting changes, or with none on boards added with `lastmod=False`;
job pages `/jobs/{id}` with JSON-LD as one plain block, a `@graph`, an `@type` list
`["Thing", "JobPosting"]`, a top-level list, or several blocks one of which is malformed;
`identifier` as a PropertyValue, a bare string or missing (the page URL is then the only
id); `hiringOrganization` as an object, an `@id` reference or a bare string;
`jobLocation` as one Place or a list, with `addressCountry` as a code, a name or a
Country; remote jobs as `jobLocationType: "TELECOMMUTE"` with
`applicantLocationRequirements`; `employmentType` as a string or a list; `baseSalary`
MonetaryAmount (amounts sometimes strings); descriptions sometimes escaped once more.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from html import escape
from typing import Any

from . import vocab
from .base import Request, Response, Route
from .boards import Board
from .postings import DAY_MS, Posting
from .sites import (
    Site,
    date,
    datetime_text,
    description_html,
    page_html,
    script_json,
)
from .xmlfeeds import DECLARATION

SITEMAP_SIZE = 20
XML_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "intern": "INTERN",
    "temporary": "TEMPORARY",
}
MALFORMED_BLOCK = '{"@context": "https://schema.org", "@type": "Organization", "name": "x",}'


def _lastmod(p: Posting) -> str:
    """A job page's sitemap `<lastmod>`: its posting's last change, as a date or a datetime."""
    return date(p.updated_ms) if p.variant % 2 else datetime_text(p.updated_ms)


class JsonLdSite(Site):
    name = "jsonld"
    id_base = 5_000_000
    list_path = "careers"
    board_options = {"lastmod": True}
    item_template = (
        '<li class="job"><a class="job-link" href="{href}">{title}</a> '
        '<span class="job-location">{location}</span></li>'
    )

    def company_keys(self, token: str) -> dict[str, Any]:
        """The sitemap; `base_url` replaces its origin."""
        return {"careers_url": "https://acme.example/sitemap.xml", "job_url_pattern": r"/jobs/\d+$"}

    def routes(self) -> Sequence[Route]:
        prefix = f"/{self.name}/{{token}}"
        return (
            Route(f"{prefix}/careers", "list", self.index),
            Route(f"{prefix}/careers-js", "list", self.js_index),
            Route(f"{prefix}/sitemap.xml", "list", self.sitemap_index),
            Route(f"{prefix}/sitemaps/{{file}}", "list", self.sitemap),
            self.job_route(self.job_page),
            Route(f"{prefix}/about", "other", self.other_page),
            Route(f"{prefix}/privacy", "other", self.other_page),
        )

    def identified_by_url(self, p: Posting) -> bool:
        """Postings whose JSON-LD has no `identifier`: the crawler can only use the URL."""
        return p.variant % 9 == 4

    def stored_id(self, posting: Posting, base_url: str) -> str:
        """Pages without `identifier` are known by their URL."""
        if self.identified_by_url(posting):
            return f"{base_url}/jobs/{posting.external_id}"
        return posting.external_id

    def job_url(self, p: Posting, board: Board, origin: str) -> str:
        return f"{origin}{self.prefix(board)}/jobs/{p.external_id}"

    def item_values(self, p: Posting, board: Board, request: Request) -> dict[str, str]:
        path = f"{self.prefix(board)}/jobs/{p.external_id}"
        href = (f"jobs/{p.external_id}", path, self.origin(request) + path)[p.variant % 3]
        return {"href": href, "title": p.title, "location": p.place.name}

    # -- sitemaps -----------------------------------------------------------------------

    def sitemap_index(self, request: Request, board: Board) -> Response:
        base = self.origin(request) + self.prefix(board)
        files = ["pages.xml"]
        files += [f"jobs-{n + 1}.xml" for n in range(self._job_sitemaps(request, board))]
        body = "".join(f"<sitemap><loc>{base}/sitemaps/{name}</loc></sitemap>" for name in files)
        return self._xml(f'<sitemapindex xmlns="{SITEMAP_NS}">{body}</sitemapindex>')

    def sitemap(self, request: Request, board: Board) -> Response:
        name = request.params["file"]
        base = self.origin(request) + self.prefix(board)
        if name == "pages.xml":
            urls = [(f"{base}/careers", None), (f"{base}/about", None), (f"{base}/privacy", None)]
            return self._urlset(urls)
        number = self.page_of(request)
        if not name.startswith("jobs-") or not 1 <= number <= self._job_sitemaps(request, board):
            return self.not_found(request, "list")
        urls = self._job_urls(request, board)[(number - 1) * SITEMAP_SIZE : number * SITEMAP_SIZE]
        return self._urlset(urls)

    def _job_urls(self, request: Request, board: Board) -> list[tuple[str, str | None]]:
        if request.empty:
            return []
        origin = self.origin(request)
        dated = board.options["lastmod"]
        return board.render_cached(
            ("sitemap", origin),
            lambda ps: [
                (self.job_url(p, board, origin), _lastmod(p) if dated else None) for p in ps
            ],
        )

    def _job_sitemaps(self, request: Request, board: Board) -> int:
        return math.ceil(len(self._job_urls(request, board)) / SITEMAP_SIZE)

    def _urlset(self, urls: list[tuple[str, str | None]]) -> Response:
        entries = "".join(
            f"<url><loc>{escape(loc)}</loc>"
            + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            + "</url>"
            for loc, lastmod in urls
        )
        return self._xml(f'<urlset xmlns="{SITEMAP_NS}">{entries}</urlset>')

    def _xml(self, document: str) -> Response:
        return Response(200, (DECLARATION + document + "\n").encode(), XML_TYPE)

    # -- job pages ----------------------------------------------------------------------

    def job_page(self, p: Posting, board: Board, request: Request) -> str:
        origin = self.origin(request)
        blocks = self.blocks(p, board, origin)
        head = "".join(f'\n<script type="application/ld+json">{block}</script>' for block in blocks)
        main = (
            f'<h1>{escape(p.title)}</h1><p class="job-location">{escape(p.place.name)}</p>'
            f'<div class="job-description">{description_html(p, pay_prose=False)}</div>'
            '<a class="apply" href="#apply">Apply now</a>'
        )
        return page_html(f"{p.title} – {board.company}", self.chrome(board, main), head)

    def blocks(self, p: Posting, board: Board, origin: str) -> list[str]:
        """The page's ld+json script bodies, in one of five shapes real sites use."""
        posting = self.posting(p, board, origin)
        organization = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": board.company,
            "url": origin + self.prefix(board),
        }
        shape = p.variant % 5
        if shape == 1:  # one @graph; the posting refers to the organization by @id
            org_id = f"{origin}{self.prefix(board)}#organization"
            del posting["@context"], organization["@context"]
            posting["hiringOrganization"] = {"@id": org_id}
            graph = [
                {"@type": "WebSite", "@id": f"{origin}#website", "name": board.company},
                {**organization, "@id": org_id},
                posting,
            ]
            return [script_json({"@context": "https://schema.org", "@graph": graph})]
        if shape == 2:
            posting["@type"] = ["Thing", "JobPosting"]
        if shape == 3:
            crumbs = {
                "@context": "https://schema.org",
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Careers", "item": origin},
                    {"@type": "ListItem", "position": 2, "name": p.title},
                ],
            }
            return [script_json(crumbs), MALFORMED_BLOCK, json.dumps(posting, indent=2)]
        if shape == 4:
            return [script_json([organization, posting])]
        return [script_json(posting)]

    def posting(self, p: Posting, board: Board, origin: str) -> dict[str, Any]:
        description = description_html(p, pay_prose=False)
        if p.variant % 7 == 3:
            description = escape(description, quote=False)  # escaped once more by the CMS
        data: dict[str, Any] = {
            "@context": "https://schema.org/",
            "@type": "JobPosting",
            "title": p.title,
            "description": description,
            "datePosted": date(p.created_ms) if p.variant % 2 else datetime_text(p.created_ms),
            "validThrough": date(p.created_ms + 90 * DAY_MS),
            "employmentType": self._employment(p),
            "hiringOrganization": board.company
            if p.variant % 3 == 0
            else {"@type": "Organization", "name": board.company, "sameAs": origin},
            "directApply": p.variant % 2 == 0,
            "url": self.job_url(p, board, origin),
        }
        if not self.identified_by_url(p):
            number = int(p.external_id)
            data["identifier"] = (
                p.external_id
                if p.variant % 4 == 1
                else {"@type": "PropertyValue", "name": board.company, "value": number}
            )
        on_site = [place for place in p.places if place.kind != "remote"]
        remote = [place for place in p.places if place.kind == "remote"]
        if on_site:
            places = [self._place(place, p.variant) for place in on_site]
            data["jobLocation"] = places if len(places) > 1 or p.variant % 2 else places[0]
        if p.workplace == "remote":
            data["jobLocationType"] = "TELECOMMUTE"
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": place.country} for place in remote or p.places
            ]
        if p.salary is not None and p.salary_structured:
            data["baseSalary"] = self._salary(p)
        return data

    def _employment(self, p: Posting) -> str | list[str]:
        value = EMPLOYMENT_TYPES[p.employment]
        if p.variant % 4 == 2:
            return [value, "OTHER"] if p.variant % 8 == 2 else [value]
        return value

    def _place(self, place: vocab.Place, variant: int) -> dict[str, Any]:
        country: Any = (
            place.country_code,
            place.country,
            {"@type": "Country", "name": place.country},
        )[variant % 3]
        address = {
            "@type": "PostalAddress",
            "addressLocality": place.city,
            "addressRegion": place.region,
            "addressCountry": country,
        }
        return {"@type": "Place", "address": {k: v for k, v in address.items() if v}}

    def _salary(self, p: Posting) -> dict[str, Any]:
        s = p.salary
        assert s is not None
        low: Any = s.minimum
        high: Any = s.maximum
        if p.variant % 4 == 3:
            low, high = str(low), str(high)
        return {
            "@type": "MonetaryAmount",
            "currency": s.currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": low,
                "maxValue": high,
                "unitText": "HOUR" if s.interval == "hour" else "YEAR",
            },
        }


FAKE = JsonLdSite()
