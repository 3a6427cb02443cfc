"""SAP SuccessFactors career sites: the Career Site Builder job feed and job pages, and the
classic `career?company=..&resultType=XML` listing.

Each site has its own host, so the fake serves it under `/successfactors/{token}/...`.
Quirks reproduced: `/sitemal.xml` (sic) is ONE RSS 2.0 document with Google's job
namespace `g:` holding every posting: the item `title` has the location appended ("Title
(City, CC)"), `link` is `/job/{City-Title-slug}/{id}/`, `guid` and `g:id` the numeric id
(`g:id` left out on every sixth item), `description` a CDATA advert, `g:location`,
`g:job_function`, `g:expiration_date`; no date, no employment type. The job page
(`/job/{slug}/{id}/`, any slug) carries microdata: `itemprop="datePosted"` in Java's
`Date.toString()` form ("Fri Aug 07 02:00:00 UTC 2026"), `itemprop="description"` around
`span.jobdescription`, and `data-careersite-propertyid` spans (`title`, `date` as "Aug 7,
2026", `shifttype` "Regular Full Time", `department`, `location` > `.jobGeoLocation`); an
unknown id is the site's 404 page. The classic listing `/career?company={token}&career_ns=
job_listing_summary&resultType=XML` is one `<Job-Listing>` of `<Job>`s with `ReqId`,
`JobTitle`, `Job-Description`, `Posted-Date` (MM/DD/YYYY) and `filterN`/`mfieldN` facets
labelled by the tenant; another `career_ns` is the JavaScript page. No salary field.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import HTML_TYPE, Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import (
    DECLARATION,
    bullets,
    cdata,
    closing_with_pay,
    element,
    html_not_found,
    paragraphs,
)

XML_TYPE = "application/xml; charset=utf-8"
SHIFTS = {
    "part_time": "Regular Part Time",
    "contract": "Fixed Term",
    "temporary": "Temporary",
    "intern": "Intern",
}


def _slug(p: Posting) -> str:
    words = f"{p.place.city or p.place.country} {p.title}"
    return re.sub(r"[^A-Za-z0-9]+", "-", words).strip("-")


def _place(p: Posting) -> str:
    place = p.place
    return ", ".join(x for x in (place.city, place.region, place.country_code) if x)


class SuccessFactors(Platform):
    name = "successfactors"
    tenant_prefix = True

    def company_keys(self, token: str) -> dict[str, Any]:
        """A Career Site Builder site on SAP's hosts; `base_url` replaces its origin."""
        return {"careers_url": f"https://{token}.jobs2web.com"}

    def routes(self) -> Sequence[Route]:
        return (
            Route("/successfactors/{token}/sitemal.xml", "list", self.feed),
            Route("/successfactors/{token}/career", "list", self.classic),
            Route("/successfactors/{token}/job/{slug}/{posting_id}", "detail", self.job_page),
        )

    def external_id(self, seed: int, index: int) -> str:
        """Career Site Builder job ids: ten digits (`1412067333`)."""
        return str(1_400_000_000 + (seed % 1000) * 100_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return html_not_found()

    def feed(self, request: Request, board: Board) -> Response:
        items = [] if request.empty else board.render_cached("items", self._items)
        body = (
            DECLARATION + '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>'
            f"{element('title', f'{board.company} Careers')}<ttl>720</ttl>"
            + "".join(items)
            + "</channel></rss>"
        )
        return Response(200, body.encode(), XML_TYPE)

    def classic(self, request: Request, board: Board) -> Response:
        if request.query.get("company") != board.token:
            return html_not_found()
        if request.query.get("resultType") != "XML":
            return Response(
                200, b"<html><body><script src='/career.js'></script></body></html>", HTML_TYPE
            )
        jobs = [] if request.empty else board.render_cached("classic", self._jobs)
        body = DECLARATION + "<Job-Listing>" + "".join(jobs) + "</Job-Listing>"
        return Response(200, body.encode(), XML_TYPE)

    def job_page(self, request: Request, board: Board) -> Response:
        posting = board.posting(request.params["posting_id"])
        if posting is None:
            return html_not_found()
        return Response(200, self.page(posting, board).encode(), HTML_TYPE)

    # -- shapes --------------------------------------------------------------------------

    def _items(self, found: list[Posting]) -> list[str]:
        return [self.item(p) for p in found]

    def _jobs(self, found: list[Posting]) -> list[str]:
        return [self.classic_job(p) for p in found]

    def item(self, p: Posting) -> str:
        place = p.place
        shown = f"{place.city}, {place.country_code}" if place.city else place.country
        expires = time.strftime("%Y-%m-%d", time.gmtime(p.updated_ms // 1000 + 60 * 86_400))
        link = f"https://{_token_of(p)}.jobs2web.com/job/{_slug(p)}/{p.external_id}/"
        parts = [
            element("title", f"{p.title} ({shown})"),
            f"<description>{cdata(self.advert(p))}</description>",
            element("link", link),
            element("guid", p.external_id),
            "" if p.variant % 6 == 0 else element("g:id", p.external_id),
            element("g:location", ", ".join(pl.name for pl in p.places)),
            element("g:employer", p.company),
            element("g:expiration_date", expires),
            element("g:job_function", p.department),
        ]
        return "<item>" + "".join(parts) + "</item>"

    def advert(self, p: Posting) -> str:
        d = p.description()
        sections = "".join(
            f"<h3>{escape(h, quote=False)}</h3>{bullets(items)}" for h, items in d.sections
        )
        return paragraphs(d.intro) + sections + paragraphs(closing_with_pay(p))

    def page(self, p: Posting, board: Board) -> str:
        posted = time.gmtime(p.updated_ms // 1000)
        java = time.strftime("%a %b %d %H:%M:%S UTC %Y", posted)
        shown = time.strftime("%b %d, %Y", posted).replace(" 0", " ")

        def prop(name: str, value: str) -> str:
            return f'<span data-careersite-propertyid="{name}">{value}</span>'

        return (
            "<!DOCTYPE html><html><head><title>"
            f"{escape(p.title)}</title></head><body>"
            '<div itemscope itemtype="http://schema.org/JobPosting">'
            f'<meta itemprop="datePosted" content="{java}">'
            f'<meta itemprop="hiringOrganization" content="{escape(p.company)}">'
            f'<h1><span itemprop="title" data-careersite-propertyid="title">{escape(p.title)}</span></h1>'
            + prop("date", shown)
            + prop("location", f'<span class="jobGeoLocation">{escape(_place(p))}</span>')
            + prop("department", escape(p.department))
            + prop("shifttype", SHIFTS.get(p.employment, "Regular Full Time"))
            + '<span itemprop="description" data-careersite-propertyid="description">'
            f'<span class="jobdescription">{self.advert(p)}</span></span>'
            f'<a class="dialogApplyBtn" href="/talentcommunity/apply/{p.external_id}/?locale=en_US">'
            "Apply now</a></div></body></html>"
        )

    def classic_job(self, p: Posting) -> str:
        posted = time.strftime("%m/%d/%Y", time.gmtime(p.updated_ms // 1000))
        facets = [
            ("filter1", "Country", p.place.country),
            ("filter2", "Posting Location", p.place.name),
            ("mfield1", "Type of Employment", SHIFTS.get(p.employment, "Full Time")),
            ("mfield3", "Job Family / Functional Area", p.department),
        ]
        return (
            "<Job>"
            + element("JobTitle", p.title)
            + element("ReqId", p.external_id)
            + element("Posted-Date", posted)
            + f"<Job-Description>{cdata(self.advert(p))}</Job-Description>"
            + "".join(
                f"<{tag}>{element('label', label)}{element('value', value)}</{tag}>"
                for tag, label, value in facets
            )
            + "</Job>"
        )


def _token_of(p: Posting) -> str:
    """The company slug the feed's links use (the fake's board token)."""
    return re.sub(r"[^a-z0-9]+", "-", p.company.lower()).strip("-")


FAKE = SuccessFactors()
