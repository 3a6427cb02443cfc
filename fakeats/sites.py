"""Careers sites without an ATS API: JSON-LD job pages (`jsonld`) and selector-read HTML (`html`).

Both are served on a tenant prefix (`/jsonld/{token}`, `/html/{token}`), like a company's
own careers host; links and sitemap `<loc>`s use the host the request came to.

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

`html` quirks: a paged list of `li.opening` items (id in `data-job-id`, title link,
location, department, `<time datetime>`), and a job page with the description,
employment type and team; pay only as prose.

JS-rendered variants (`careers-js`, `jobs-js`): the whole list is an inline JSON array
that a script turns into the same markup 300 ms after load, so a plain HTTP client sees
no postings at all.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from . import vocab
from .base import HTML_TYPE, Platform, Request, Response, Route
from .boards import Board
from .postings import DAY_MS, Posting
from .xmlfeeds import DECLARATION, bullets, closing_with_pay, html_not_found, paragraphs

PAGE_SIZE = 10
SITEMAP_SIZE = 20
JS_DELAY_MS = 300
XML_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "intern": "INTERN",
    "temporary": "TEMPORARY",
}
EMPLOYMENT_LABELS = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contract",
    "intern": "Internship",
    "temporary": "Temporary",
}
MALFORMED_BLOCK = '{"@context": "https://schema.org", "@type": "Organization", "name": "x",}'

_JS = """<script>
(function () {
  var template = %(template)s;
  var entities = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return entities[c]; });
  }
  setTimeout(function () {
    var jobs = JSON.parse(document.getElementById("jobs-data").textContent);
    document.getElementById("jobs").innerHTML = jobs.map(function (job) {
      return template.replace(/\\{(\\w+)\\}/g, function (match, key) {
        return escapeHtml(job[key] == null ? "" : job[key]);
      });
    }).join("");
    document.getElementById("loading").remove();
  }, %(delay)d);
})();
</script>"""


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element (`</` cannot close it)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _page(title: str, body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{head}</head>\n<body>{body}</body></html>\n"
    )


def _html(markup: str) -> Response:
    return Response(200, markup.encode(), HTML_TYPE)


def _date(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms // 1000))


def _datetime(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ms // 1000))


def _lastmod(p: Posting) -> str:
    """A job page's sitemap `<lastmod>`: its posting's last change, as a date or a datetime."""
    return _date(p.updated_ms) if p.variant % 2 else _datetime(p.updated_ms)


def _date_text(ms: int) -> str:
    """'4 Mar 2025', as the list shows it."""
    day = time.gmtime(ms // 1000)
    return f"{day.tm_mday} {time.strftime('%b %Y', day)}"


def _description(p: Posting, *, pay_prose: bool) -> str:
    """HTML; sites without a salary field (`pay_prose`) state structured pay as prose."""
    d = p.description()
    parts = [paragraphs(d.intro)]
    parts += [f"<h3>{escape(h, quote=False)}</h3>{bullets(items)}" for h, items in d.sections]
    parts.append(paragraphs(closing_with_pay(p) if pay_prose else d.closing))
    return "".join(parts)


class Site(Platform):
    """What both fake careers sites share: paged lists, the JS variant, HTML 404s."""

    tenant_prefix = True
    id_base = 0
    list_path = ""  # the list's path under the tenant prefix
    list_title = "Open positions"
    #: markup of one list entry; `{key}`s are filled (escaped) by Python or by the JS variant
    item_template = ""

    def external_id(self, seed: int, index: int) -> str:
        return str(self.id_base + (seed % 100) * 100_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return html_not_found()

    def page_of(self, request: Request) -> int:
        """0-based: `?page=N` is 1-based on these sites; `jobs-N.xml` sitemaps are page N."""
        name = request.params.get("file", "")
        if name.startswith("jobs-") and name.endswith(".xml"):
            return _number(name[5:-4], 0)
        return max(_number(request.query.get("page"), 1), 1) - 1

    def prefix(self, board: Board) -> str:
        return f"/{self.name}/{board.token}"

    def origin(self, request: Request) -> str:
        return "http://" + request.headers.get("host", "localhost")

    def item_values(self, p: Posting, board: Board, request: Request) -> dict[str, str]:
        raise NotImplementedError

    def entries(self, request: Request, board: Board) -> list[dict[str, str]]:
        if request.empty:
            return []
        origin = self.origin(request)
        return board.render_cached(
            ("entries", origin), lambda ps: [self.item_values(p, board, request) for p in ps]
        )

    def fill(self, values: dict[str, str]) -> str:
        return self.item_template.format(**{k: escape(v) for k, v in values.items()})

    def chrome(self, board: Board, main: str) -> str:
        """A page body: navigation with links that are not jobs, the content, a footer."""
        prefix = self.prefix(board)
        return (
            f'<header><nav><a href="{prefix}/about">About us</a> '
            f'<a href="{prefix}/{self.list_path}">Careers</a></nav></header>\n'
            f"<main>{main}</main>\n"
            f'<footer><a href="{prefix}/privacy">Privacy</a> '
            f'<img src="{prefix}/static/logo.png" alt="{escape(board.company)}"></footer>'
        )

    def index(self, request: Request, board: Board) -> Response:
        """One page of the list, with a Next link until the last page."""
        entries = self.entries(request, board)
        page = self.page_of(request) + 1
        pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
        shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        items = "\n".join(self.fill(values) for values in shown)
        listing = (
            f'<ul class="jobs">\n{items}\n</ul>'
            if shown
            else '<p class="no-jobs">We have no open positions right now.</p>'
        )
        previous = f'<a class="prev" href="?page={page - 1}">Previous</a> ' if page > 1 else ""
        following = (
            f'<a class="next" rel="next" href="?page={page + 1}">Next</a>'
            if page < pages
            else '<span class="next disabled">Next</span>'
        )
        main = (
            f"<h1>{self.list_title}</h1>\n{listing}\n"
            f'<nav class="pagination">{previous}{following}</nav>'
        )
        return _html(_page(f"Careers at {board.company}", self.chrome(board, main)))

    def js_index(self, request: Request, board: Board) -> Response:
        """Every posting at once, but only as data a script turns into the list later."""
        main = (
            f'<h1>{self.list_title}</h1>\n<ul class="jobs" id="jobs"></ul>\n'
            '<p id="loading">Loading open positions…</p>\n'
            f'<script id="jobs-data" type="application/json">'
            f"{script_json(self.entries(request, board))}</script>\n"
            + _JS
            % {"template": script_json(self.item_template), "delay": JS_DELAY_MS}
        )
        return _html(_page(f"Careers at {board.company}", self.chrome(board, main)))

    def other_page(self, request: Request, board: Board) -> Response:
        main = f"<h1>{escape(board.company)}</h1><p>We build useful things.</p>"
        return _html(_page(board.company, self.chrome(board, main)))

    def job_route(self, render: Callable[[Posting, Board, Request], str]) -> Route:
        def handler(request: Request, board: Board) -> Response:
            posting = board.posting(request.params["job_id"])
            if posting is None:
                return self.not_found(request, "detail")
            return _html(render(posting, board, request))

        return Route(f"/{self.name}/{{token}}/jobs/{{job_id}}", "detail", handler)


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


class JsonLdSite(Site):
    name = "jsonld"
    id_base = 5_000_000
    list_path = "careers"
    board_options = {"lastmod": True}
    item_template = (
        '<li class="job"><a class="job-link" href="{href}">{title}</a> '
        '<span class="job-location">{location}</span></li>'
    )

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
            f'<div class="job-description">{_description(p, pay_prose=False)}</div>'
            '<a class="apply" href="#apply">Apply now</a>'
        )
        return _page(f"{p.title} – {board.company}", self.chrome(board, main), head)

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
        description = _description(p, pay_prose=False)
        if p.variant % 7 == 3:
            description = escape(description, quote=False)  # escaped once more by the CMS
        data: dict[str, Any] = {
            "@context": "https://schema.org/",
            "@type": "JobPosting",
            "title": p.title,
            "description": description,
            "datePosted": _date(p.created_ms) if p.variant % 2 else _datetime(p.created_ms),
            "validThrough": _date(p.created_ms + 90 * DAY_MS),
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


class HtmlSite(Site):
    name = "html"
    id_base = 6_000_000
    list_path = "jobs"
    item_template = (
        '<li class="opening" data-job-id="{id}">'
        '<h3 class="opening-title"><a href="{href}">{title}</a></h3>'
        '<p class="opening-meta"><span class="opening-location">{location}</span> · '
        '<span class="opening-department">{department}</span></p>'
        '<time class="opening-date" datetime="{date}">Posted {date_text}</time></li>'
    )

    def routes(self) -> Sequence[Route]:
        prefix = f"/{self.name}/{{token}}"
        return (
            Route(f"{prefix}/jobs", "list", self.index),
            Route(f"{prefix}/jobs-js", "list", self.js_index),
            self.job_route(self.job_page),
            Route(f"{prefix}/about", "other", self.other_page),
            Route(f"{prefix}/privacy", "other", self.other_page),
        )

    def item_values(self, p: Posting, board: Board, request: Request) -> dict[str, str]:
        return {
            "id": p.external_id,
            "href": f"{self.prefix(board)}/jobs/{p.external_id}",
            "title": p.title,
            "location": "; ".join(place.name for place in p.places),
            "department": p.department,
            "date": _date(p.created_ms),
            "date_text": _date_text(p.created_ms),
        }

    def job_page(self, p: Posting, board: Board, request: Request) -> str:
        facts = (
            f'<li class="posting-location">{escape(p.place.name)}</li>'
            f'<li class="posting-type">{EMPLOYMENT_LABELS[p.employment]}</li>'
            f'<li class="posting-team">{escape(p.team)}</li>'
        )
        main = (
            f'<article class="posting"><h1 class="posting-title">{escape(p.title)}</h1>'
            f'<ul class="posting-facts">{facts}</ul>'
            f'<div class="posting-description">{_description(p, pay_prose=True)}</div>'
            f'<a class="posting-apply" href="{self.prefix(board)}/jobs/{p.external_id}/apply">'
            "Apply</a></article>"
        )
        return _page(f"{p.title} – {board.company}", self.chrome(board, main))
