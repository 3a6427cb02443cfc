"""SAP SuccessFactors: the career site's job feed (`/sitemal.xml`) or the classic XML listing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.successfactors import career_site
from jobcrawler.spiders.feeds import child_text
from jobcrawler.spiders.rss import RssSpider

G = "{http://base.google.com/ns/1.0}"
#: "Senior Data Engineer (Tel Aviv, IL)": the feed appends the location to the title.
_TITLE_PLACE = re.compile(r"\s*\(([^()]*)\)\s*$")
_POSTCODE = re.compile(r"^\d[\d -]*$")
_JOB_ID = re.compile(r"/(\d+)/?$")
#: Classic facet labels (tenants name them freely), by what they hold.
LABELS = {
    "location": re.compile(r"location|city|site|office", re.IGNORECASE),
    "country": re.compile(r"country", re.IGNORECASE),
    "employment": re.compile(r"employment|job type|schedule|time type|contract", re.IGNORECASE),
    "department": re.compile(r"department|function|job family|area|category", re.IGNORECASE),
}


class SuccessFactorsSpider(RssSpider):
    """SAP SuccessFactors career sites, two generations.

    YAML: `careers_url`. A Career Site Builder (RMK) site is any host (`jobs.sap.com`,
    `careers.ey.com/ey`, `*.jobs2web.com`); a classic Recruiting Management site is
    `career{N}.successfactors.{com,eu}` or `career{N}.sapsf.com` with `?company={code}`
    (the code is case-sensitive). `base_url` replaces the origin.

    Career Site Builder: the search pages are server-rendered HTML in pages of 25
    (`startrow`), but the site also publishes its whole board as one RSS 2.0 document at
    `/sitemal.xml` (sic; Google's job-feed namespace `g:`): `<item>` with `title` ("Title
    (City, CC)": the location is appended), `link` (`/job/{slug}/{id}/`, sometimes under
    a site prefix), `guid`/`g:id` (the numeric job id), `description` (the advert, CDATA),
    `g:location` ("Walldorf, DE, 69190": the numeric postcode is dropped; the last part is the
    country code, so DE is Germany), `g:job_function`, `g:employer`, `g:expiration_date`. The document is
    the listing: it must parse whole (a cut-off feed fails, it is never read as shorter).
    The job page is fetched for new or changed items: schema.org microdata
    (`itemprop="datePosted"` as "Fri Aug 07 02:00:00 UTC 2026", `itemprop="description"`
    around `span.jobdescription`) and the site's `data-careersite-propertyid` fields
    (`shifttype` "Regular Full Time", `department`, `location` > `.jobGeoLocation`), and
    the apply link `/talentcommunity/apply/{id}/`. No JSON-LD, no salary field.

    Classic: `/career?company={code}&career_ns=job_listing_summary&resultType=XML` is a
    `<Job-Listing>` of every `<Job>` at once (no paging): `ReqId`, `JobTitle`,
    `Job-Description` (HTML), `Posted-Date` (MM/DD/YYYY), and `filterN`/`mfieldN`
    facets whose `<label>` is the tenant's own ("Posting Location", "Type of
    Employment"), read by label, never by number. Job pages are
    `career?company=..&career_ns=job_listing&career_job_req_id={ReqId}`.

    Closed postings have no dependable answer on either, so a missing posting is removed
    on the second complete crawl that misses it.
    """

    platform = "successfactors"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = career_site(self.company.keys.careers_url or "")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.site is None:
            self.listing.fail(f"careers_url {self.company.keys.careers_url!r} is not usable")
        elif self.site.classic:
            query = f"company={quote(self.site.company or '')}&career_ns=job_listing_summary"
            yield self.feed_request(
                f"{self.base_url}/career?{query}&resultType=XML", self.parse_classic
            )
        else:
            yield self.feed_request(f"{self.base_url}/sitemal.xml", self.parse_feed)

    # -- Career Site Builder -------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        yield from self.rss_entries(response, self.feed_item, _item_id)

    def feed_item(self, item: etree._Element) -> Iterator[scrapy.Request]:
        external_id = _item_id(item)
        if external_id is None:
            raise ValueError("feed item without an id or job link")
        entry = {
            "id": external_id,
            "title": child_text(item, "title"),
            "link": child_text(item, "link"),
            "description": child_text(item, "description"),
            "location": child_text(item, f"{G}location"),
            "function": child_text(item, f"{G}job_function"),
            "expires": child_text(item, f"{G}expiration_date"),
        }
        if self.needs_detail(external_id, entry):
            yield self.detail_request(
                self.page_url(entry["link"] or ""),
                self.parse_job_page,
                external_id,
                headers={"Accept": "text/html"},
                cb_kwargs={"entry": entry},
            )

    def page_url(self, link: str) -> str:
        """The job page on this crawl's origin (`base_url` replaces the feed's)."""
        parts = urlsplit(link)
        return urljoin(self.base_url + "/", parts.path.lstrip("/"))

    def parse_job_page(self, response: Response, entry: dict[str, Any]) -> Iterator[JobPosting]:
        yield from self.detail_entry(response, self.page_posting, entry, response)

    def page_posting(self, entry: dict[str, Any], page: Response) -> JobPosting:
        def prop(name: str) -> str | None:
            text = " ".join(page.css(f'[data-careersite-propertyid="{name}"] ::text').getall())
            return " ".join(text.split()) or None

        title = entry["title"] or ""
        shown = page.css('[itemprop="title"]::text').get()
        place = _TITLE_PLACE.search(title)
        advert = page.css("span.jobdescription").get() or page.css('[itemprop="description"]').get()
        apply = page.css("a.dialogApplyBtn::attr(href), a.apply::attr(href)").get()
        url = entry["link"] or page.url
        location = _without_postcode(
            entry["location"]
            or " ".join(page.css(".jobGeoLocation ::text").getall())
            or (place[1] if place else "")
        )
        return self.posting(
            external_id=entry["id"],
            title=(shown or "").strip() or (title[: place.start()] if place else title) or None,
            url=url,
            apply_url=urljoin(url, apply) if apply else url,
            location=location,
            country=_country(location),
            employment_type=prop("shifttype"),
            department=prop("department") or entry["function"],
            posted_at=_page_date(page.css('[itemprop="datePosted"]::attr(content)').get())
            or _page_date(prop("date")),
            description_html=advert or entry["description"],
        )

    # -- classic ------------------------------------------------------------------------

    def parse_classic(self, response: Response) -> Iterator[JobPosting]:
        root = self.listing_xml(response, "Job-Listing")
        if root is None:
            return
        yield from self.entries(root.iterfind("Job"), self.classic_posting, _req_id)
        self.listing.done()

    def classic_posting(self, job: etree._Element) -> JobPosting:
        assert self.site is not None
        req_id = _req_id(job)
        if req_id is None:
            raise ValueError("<Job> without a <ReqId>")
        facets = _facets(job)
        url = (
            f"{self.site.url}&career_ns=job_listing&career_job_req_id={quote(req_id)}"
            "&navBarLevel=JOB_SEARCH"
        )
        return self.posting(
            external_id=req_id,
            title=child_text(job, "JobTitle"),
            url=url,
            apply_url=url,
            location=facets.get("location") or facets.get("country"),
            country=facets.get("country"),
            employment_type=facets.get("employment"),
            department=facets.get("department"),
            posted_at=_us_date(child_text(job, "Posted-Date")),
            description_html=child_text(job, "Job-Description"),
        )


def _item_id(item: Any) -> str | None:
    if not isinstance(item, etree._Element):
        return None
    found = child_text(item, f"{G}id") or child_text(item, "guid")
    if found and found.isdigit():
        return found
    link = _JOB_ID.search(urlsplit(child_text(item, "link") or "").path)
    return link[1] if link else found


def _req_id(job: Any) -> str | None:
    return child_text(job, "ReqId") if isinstance(job, etree._Element) else None


def _facets(job: etree._Element) -> dict[str, str]:
    """The classic facets by what they hold, the first labelled match of each kind."""
    found: dict[str, str] = {}
    for facet in job:
        if not isinstance(facet.tag, str) or not facet.tag.startswith(("filter", "mfield")):
            continue
        label, value = child_text(facet, "label") or "", child_text(facet, "value")
        for kind, pattern in LABELS.items():
            if value and kind not in found and pattern.search(label):
                found[kind] = value
                break
    return found


def _without_postcode(place: str) -> str | None:
    """ "Walldorf, DE, 69190" -> "Walldorf, DE": sites append a numeric postcode."""
    parts = [part.strip() for part in place.split(",")]
    while len(parts) > 1 and _POSTCODE.match(parts[-1]):
        parts.pop()
    return ", ".join(p for p in parts if p) or None


def _country(place: str | None) -> str | None:
    """Sites end a place with the country code ("Newtown Square, PA, US"; "Walldorf, DE"
    is Germany, not Delaware)."""
    last = (place or "").rsplit(",", 1)[-1].strip()
    return last if "," in (place or "") and re.fullmatch(r"[A-Z]{2}", last) else None


def _us_date(text: str | None) -> str | None:
    """Classic `Posted-Date`: MM/DD/YYYY."""
    try:
        return datetime.strptime(text or "", "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None


def _page_date(text: str | None) -> str | None:
    """Microdata `datePosted`, Java's `Date.toString()` ("Fri Aug 07 02:00:00 UTC 2026"),
    or the shown date ("Aug 7, 2026")."""
    value = (text or "").strip()
    for fmt in ("%a %b %d %H:%M:%S %Z %Y", "%b %d, %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None
