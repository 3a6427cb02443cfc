"""iCIMS career portals: the portal's sitemap, then the JSON-LD of new or changed job pages."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy.http import Response, TextResponse

from jobcrawler.items import JobPosting
from jobcrawler.normalize import jsonld
from jobcrawler.spiders.feeds import FeedSpider
from jobcrawler.spiders.jsonld import page_postings, posting_fields

#: A job page: `/jobs/{id}/{title-slug}/job` (the portal's `/jobs/intro` and others are not).
_JOB_PATH = re.compile(r"^/jobs/(\d+)/[^/]*/job/?$")
_ENTRIES = "./*[local-name()='url']"
_LOC = "string(./*[local-name()='loc'])"
_LASTMOD = "string(./*[local-name()='lastmod'])"


class IcimsSpider(FeedSpider):
    """iCIMS hosted portals (`{portal}.icims.com`: `careers-acme`, `jobs-acme`, `uscareers-acme`).

    YAML: `board` (the whole subdomain label, `careers-acme`); `base_url` replaces
    `https://{board}.icims.com`.

    The search page (`/jobs/search?ss=1`) is a shell that renders into an iframe, and
    sits behind a human-verification wall on many portals; the portal's `/sitemap.xml`
    does not. It is a `<urlset>` of every job page, `/jobs/{id}/{title-slug}/job`, with
    a `<lastmod>` that moves when the job is edited (or re-stamped), plus non-job pages
    (`/jobs/intro`), which are skipped. The sitemap is the listing and must parse whole;
    some portals answer it with 403 ("not on a trusted network"): that fails the listing.
    The numeric id is the job id (a repost gets a new one).

    Job pages are fetched for new or changed entries, with `in_iframe=1` (the bare URL
    is a 4 KB shell without the advert): they carry one schema.org `JobPosting` JSON-LD
    block with `title`, `description` (HTML), `datePosted`, `employmentType` (often
    "OTHER"), `jobLocation` (one or several Places with a PostalAddress; country as a
    code or a name), `identifier`, sometimes `baseSalary`/`jobLocationType`. A page
    without it is kept as seen, never emptied. A closed job has no dependable answer
    (the verification wall looks the same), so a missing posting is removed on the
    second complete crawl that misses it.
    """

    platform = "icims"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.feed_request(f"{self.base_url}/sitemap.xml", self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        root = self.listing_xml(response, "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset")
        if root is None:
            return
        yield from self.entries(root.xpath(_ENTRIES), self.sitemap_entry, _entry_id)
        self.listing.done()

    def sitemap_entry(self, entry: etree._Element) -> Iterator[scrapy.Request]:
        loc = entry.xpath(_LOC).strip()
        job = _JOB_PATH.match(urlsplit(loc).path)
        if job is None:
            return  # the portal's other pages
        listed = {"loc": loc, "lastmod": entry.xpath(_LASTMOD).strip() or None}
        if self.needs_detail(job[1], listed):
            yield self.detail_request(
                f"{self.base_url}{urlsplit(loc).path}?in_iframe=1",
                self.parse_job_page,
                job[1],
                headers={"Accept": "text/html"},
                cb_kwargs={"url": loc},
            )

    def parse_job_page(self, response: Response, url: str) -> Iterator[JobPosting]:
        found, malformed = (
            page_postings(response) if isinstance(response, TextResponse) else ([], 0)
        )
        if malformed:
            self.crawler.stats.inc_value("jobcrawler/jsonld/malformed", malformed)
        if not found:
            external_id = response.meta["external_id"]
            self.listing.seen_without_item.add(external_id)
            self.crawler.stats.inc_value("jobcrawler/icims/pages_without_posting")
            self.logger.warning("No JobPosting JSON-LD on %s: %s kept", response.url, external_id)
            return
        yield from self.detail_entry(response, self.parse_posting, found[0], url)

    def parse_posting(self, data: dict[str, Any], url: str) -> JobPosting:
        return self.posting(
            **{
                **posting_fields(data),
                "external_id": _JOB_PATH.match(urlsplit(url).path)[1],  # type: ignore[index]
                "url": url,
                "apply_url": url.rstrip("/").removesuffix("/job") + "/login",
                "employment_type": _employment(data),
            }
        )


def _entry_id(entry: Any) -> str | None:
    if not isinstance(entry, etree._Element):
        return None
    job = _JOB_PATH.match(urlsplit(entry.xpath(_LOC).strip()).path)
    return job[1] if job else None


def _employment(data: dict[str, Any]) -> str | None:
    """`employmentType`, except iCIMS's placeholder "OTHER" (it says nothing)."""
    value = jsonld.employment_type(data)
    return None if value is None or value.strip().upper() == "OTHER" else value
