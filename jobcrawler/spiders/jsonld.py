"""Careers sites whose job pages carry schema.org `JobPosting` JSON-LD (no ATS API needed)."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urldefrag

import scrapy
from lxml import etree
from scrapy.http import HtmlResponse, Response, TextResponse
from twisted.python.failure import Failure

from jobcrawler.items import JobPosting
from jobcrawler.normalize import jsonld
from jobcrawler.normalize.dates import to_utc
from jobcrawler.platforms.jsonld import is_sitemap_url
from jobcrawler.spiders.details import place_text
from jobcrawler.spiders.pages import HTML_ACCEPT, PagesSpider, select

SITEMAP_ACCEPT = "application/xml,text/xml;q=0.9,*/*;q=0.5"
SITEMAP_TAGS = ("urlset", "sitemapindex")
_SITEMAP_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:[\w-]+:)?(?:urlset|sitemapindex)\b", re.S
)
#: Strict: a sitemap cut off mid-body must fail, not parse as a shorter list of jobs.
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)
_LD_JSON = '//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'
_ENTRIES = "./*[local-name()='url' or local-name()='sitemap']"
_LOC = "string(./*[local-name()='loc'])"
_LASTMOD = "string(./*[local-name()='lastmod'])"
#: `list_hash` is 64 hex digits: the first 48 name the job page, the last 16 its lastmod.
_PAGE_DIGITS = 48
_NOT_PAGES = ("#", "javascript:", "mailto:", "tel:")


def page_key(url: str, lastmod: str | None = None) -> str:
    """The `list_hash` of postings read from the job page at `url` with sitemap `lastmod`.

    The page part alone finds a page's stored postings whatever its lastmod was (a failed
    page keeps them); the whole key tells an unchanged page. The page part is the prefix
    of the digest earlier versions stored, so their postings are still found.
    """
    page = hashlib.sha256(f"jsonld-page:{url}".encode()).hexdigest()[:_PAGE_DIGITS]
    return page + hashlib.sha256((lastmod or "").encode()).hexdigest()[: 64 - _PAGE_DIGITS]


def page_part(key: str) -> str:
    """The job page a `list_hash` from `page_key` names, without its lastmod."""
    return key[:_PAGE_DIGITS]


class JsonLdSpider(PagesSpider):
    """Careers sites with schema.org `JobPosting` JSON-LD on each job page.

    YAML: `careers_url`, either a careers page or a sitemap (`.xml`, or a body that is a
    `<urlset>`/`<sitemapindex>`); for a careers page `job_links` (CSS or `xpath:` selector
    of the links to job pages) and/or `job_url_pattern` (a regex job page URLs match),
    plus `next_page` for paged listings; for a sitemap, `job_url_pattern` picks the job
    pages among its `<loc>`s (nested sitemaps are followed). `base_url` and `render` as
    in PagesSpider.

    Every JobPosting of every `application/ld+json` block of a job page is read (`@graph`,
    `@type` lists, top-level lists); a malformed block is counted in
    `jobcrawler/jsonld/malformed` and skipped. The id is `identifier.value`, else the job
    page URL as listed (`#2`, `#3`... for further postings on the same page).

    Job pages are this platform's detail pages. A sitemap `<url>` with a `<lastmod>` is a
    change signal: a page whose URL and lastmod are those its stored postings were read
    with is not fetched again; its postings count as seen and keep their stored fields
    (`jobcrawler/details/skipped_unchanged`). New pages, a changed lastmod, sitemap
    entries without one and links from careers pages (no change signal) are fetched, and
    `refresh_details` fetches them all. Postings store `page_key(url, lastmod)` as their
    `list_hash`.

    Completeness: the listing (every index page or sitemap) must be read whole; job pages
    are not listing pages. A job page that fails, or whose only JSON-LD is malformed, is a
    posting we could not read: it is kept, never removed. Its external ids are those
    stored with the page's `list_hash` (whatever lastmod it had), else the URL itself. A
    page that loads with no JobPosting at all is counted in
    `jobcrawler/jsonld/pages_without_posting`: removing the markup is how sites take a job
    down, so its postings count as gone. A missing posting is checked at its stored job
    page URL: 404/410, or an HTML page without any JobPosting, says it is gone.
    """

    platform = "jsonld"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        url = self.start_url
        request = (
            self.sitemap_request(url) if is_sitemap_url(url) else self.index_request(url, True)
        )
        if request is not None:
            yield request

    @cached_property
    def job_pattern(self) -> re.Pattern[str] | None:
        pattern = self.company.keys.job_url_pattern
        return re.compile(pattern) if pattern else None

    def is_job_url(self, url: str) -> bool:
        return self.job_pattern is None or self.job_pattern.search(url) is not None

    # -- listing: careers pages ---------------------------------------------------------

    def index_request(self, url: str, first: bool) -> scrapy.Request | None:
        return self.listing_page(
            url, self.parse_index, wait_for=self.company.keys.job_links, cb_kwargs={"first": first}
        )

    def parse_index(self, response: Response, first: bool) -> Iterator[scrapy.Request]:
        if _SITEMAP_START.match(response.body[:4096]):
            yield from self.parse_sitemap(response)
            return
        if not self.listing_html(response):
            return
        urls = self.job_page_urls(response)
        if not urls and self.no_postings_past_first_page(response, first):
            return
        for url in urls:
            yield self.job_request(url)
        next_url = self.next_page_url(response)
        request = self.index_request(next_url, False) if next_url else None
        if request is not None:
            yield request
        self.listing_page_read()

    def job_page_urls(self, response: Response) -> list[str]:
        """Absolute URLs of the job pages a careers page links to, in page order."""
        if self.company.keys.job_links:
            hrefs = []
            for match in select(response, self.company.keys.job_links):
                if isinstance(match.root, str):
                    hrefs.append(match.root)
                else:  # the link itself, or an element holding it (`li.job`)
                    hrefs.append(match.attrib.get("href") or match.xpath(".//a/@href").get())
        else:
            hrefs = response.xpath("//a/@href").getall()
        urls = (
            urldefrag(response.urljoin(href.strip()))[0]
            for href in hrefs
            if href and href.strip() and not href.strip().startswith(_NOT_PAGES)
        )
        return [
            url
            for url in dict.fromkeys(urls)
            if url.startswith(("http://", "https://")) and self.is_job_url(url)
        ]

    # -- listing: sitemaps --------------------------------------------------------------

    def sitemap_request(self, url: str) -> scrapy.Request | None:
        return self.listing_page(url, self.parse_sitemap, accept=SITEMAP_ACCEPT, render=False)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        root = self.sitemap_root(response)
        if root is None:
            return
        nested = etree.QName(root).localname == "sitemapindex"
        for entry in root.xpath(_ENTRIES):
            loc = entry.xpath(_LOC).strip()
            if not loc:
                continue
            url = response.urljoin(loc)
            if nested:
                request = self.sitemap_request(url)
                if request is not None:
                    yield request
            elif self.is_job_url(url):
                lastmod = entry.xpath(_LASTMOD).strip() or None
                if not self.unchanged_page(url, lastmod):
                    yield self.job_request(url, lastmod)
        self.listing_page_read()

    def sitemap_root(self, response: Response) -> etree._Element | None:
        """The `<urlset>` or `<sitemapindex>`, or None after failing the listing."""
        kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no content type"
        try:
            body = response.body
            if body[:2] == b"\x1f\x8b":  # .xml.gz served as a file, not Content-Encoding
                body = _gunzip(body, self.settings.getint("DOWNLOAD_MAXSIZE"))
            root = etree.fromstring(body, _XML)
        except (etree.XMLSyntaxError, ValueError, zlib.error) as exc:
            self.listing.fail(f"invalid sitemap ({kind}) at {response.url}: {exc}")
            self.crawler.stats.inc_value("jobcrawler/listing/invalid_xml")
            return None
        tag = etree.QName(root).localname
        if tag not in SITEMAP_TAGS:
            self.listing.fail(f"not a sitemap ({kind}, <{tag}>) at {response.url}")
            self.crawler.stats.inc_value("jobcrawler/listing/invalid_xml")
            return None
        return root

    # -- job pages ----------------------------------------------------------------------

    def unchanged_page(self, url: str, lastmod: str | None) -> bool:
        """Whether the sitemap dates this page as when its stored postings were read; they
        are then seen without fetching it."""
        if lastmod is None or self.refresh_details:
            return False
        ids = self.ids_by_key.get(page_key(url, lastmod))
        if not ids:
            return False
        self.listing.seen_without_item.update(ids)
        self.crawler.stats.inc_value("jobcrawler/details/skipped_unchanged")
        return True

    def job_request(self, url: str, lastmod: str | None = None) -> scrapy.Request:
        self.crawler.stats.inc_value("jobcrawler/jsonld/job_pages")
        return scrapy.Request(
            url,
            self.parse_job_page,
            errback=self.job_page_error,
            headers={"Accept": HTML_ACCEPT},
            meta=self.page_meta(),
            cb_kwargs={"job_url": url, "lastmod": lastmod},
        )

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request | None:
        if not url:
            return None
        return scrapy.Request(url, headers={"Accept": HTML_ACCEPT}, meta=self.page_meta())

    def posting_gone(self, response: Response) -> bool:
        if not isinstance(response, HtmlResponse):  # an error document: no evidence
            return False
        found, malformed = page_postings(response)
        return not found and not malformed

    def parse_job_page(
        self, response: Response, job_url: str, lastmod: str | None = None
    ) -> Iterator[JobPosting]:
        if not isinstance(response, HtmlResponse):
            self.keep_page(job_url, f"not an HTML page at {response.url}")
            return
        found, malformed = page_postings(response)
        if malformed:
            self.crawler.stats.inc_value("jobcrawler/jsonld/malformed", malformed)
        if not found and malformed:
            self.keep_page(job_url, f"only malformed JSON-LD at {response.url}")
        elif not found:
            self.crawler.stats.inc_value("jobcrawler/jsonld/pages_without_posting")
            self.logger.info("No JobPosting on %s", response.url)
        key = page_key(job_url, lastmod)
        yield from self.entries(
            enumerate(found),
            self.parse_posting,
            lambda numbered: posting_id(numbered, job_url),
            response.url,
            job_url,
            key,
        )

    def parse_posting(
        self, numbered: tuple[int, dict[str, Any]], url: str, job_url: str, key: str
    ) -> JobPosting:
        """The `n`th JobPosting (`numbered` is `(n, data)`) of the job page at `job_url`."""
        data = numbered[1]
        external_id = posting_id(numbered, job_url)
        self.list_hashes[external_id] = key
        valid_through = to_utc(data.get("validThrough"))
        if valid_through is not None and valid_through < datetime.now(UTC):
            self.crawler.stats.inc_value("jobcrawler/jsonld/past_valid_through")
        return self.posting(
            external_id=external_id,
            url=url,
            apply_url=url if jsonld.flag(data.get("directApply")) else None,
            **posting_fields(data),
        )

    def job_page_error(self, failure: Failure) -> None:
        job_url = failure.request.cb_kwargs["job_url"]
        self.keep_page(job_url, failure.getErrorMessage() or failure.type.__name__)

    def keep_page(self, job_url: str, why: str) -> None:
        """The postings of a job page we could not read still exist: never remove them."""
        ids = self.ids_by_page.get(page_part(page_key(job_url))) or {job_url}
        self.listing.seen_without_item.update(ids)
        self.crawler.stats.inc_value("jobcrawler/jsonld/unreadable_pages")
        self.logger.warning("Job page %s kept unread: %s", job_url, why)

    @cached_property
    def ids_by_key(self) -> dict[str, set[str]]:
        """Stored external ids by the page key they were read with (first use: after the
        store shared `known_list_hashes` at spider open)."""
        by_key: dict[str, set[str]] = {}
        for external_id, key in self.known_list_hashes.items():
            by_key.setdefault(key, set()).add(external_id)
        return by_key

    @cached_property
    def ids_by_page(self) -> dict[str, set[str]]:
        """Stored external ids by job page, whatever lastmod they were read with."""
        by_page: dict[str, set[str]] = {}
        for key, ids in self.ids_by_key.items():
            by_page.setdefault(page_part(key), set()).update(ids)
        return by_page


def posting_id(numbered: tuple[int, dict[str, Any]], job_url: str) -> str:
    """`identifier.value`, else the job page URL (`#2`, `#3`... for further postings)."""
    n, data = numbered
    return jsonld.identifier(data.get("identifier")) or (
        job_url if n == 0 else f"{job_url}#{n + 1}"
    )


def posting_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A schema.org JobPosting's fields as `CompanySpider.posting` takes them: every place
    (the first is the primary), remote, employment type, pay, date and description."""
    places = jsonld.places(data)
    first = places[0] if places else jsonld.Place()
    pay = jsonld.salary(data)
    texts = [place_text([p.name, p.city, p.region, p.country]) for p in places]
    texts = list(dict.fromkeys(t for t in texts if t))
    return {
        "title": jsonld.text(data.get("title")),
        "location": "; ".join(texts) or None,
        "locations": texts,
        "city": first.city,
        "region": first.region,
        "country": first.country,
        "remote_type": "TELECOMMUTE" if jsonld.is_remote(data) else None,
        "employment_type": jsonld.employment_type(data),
        "salary_min": pay.minimum,
        "salary_max": pay.maximum,
        "salary_currency": pay.currency,
        "salary_period": pay.unit,
        "posted_at": data.get("datePosted"),
        "description_html": jsonld.description(data),
    }


def page_postings(response: TextResponse) -> tuple[list[dict[str, Any]], int]:
    """The JobPostings of every JSON-LD block of a page, and how many blocks were malformed."""
    found: list[dict[str, Any]] = []
    malformed = 0
    for script in response.xpath(_LD_JSON):
        try:
            found += jsonld.job_postings(jsonld.parse_block(script.xpath("string()").get()))
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            malformed += 1
    return found, malformed


def _gunzip(body: bytes, limit: int) -> bytes:
    """Strict gunzip: a truncated or oversized file raises instead of giving a shorter list."""
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = stream.decompress(body, limit or 0)
    if stream.unconsumed_tail:
        raise ValueError(f"sitemap larger than {limit} bytes uncompressed")
    if not stream.eof:
        raise ValueError("truncated gzip data")
    return data
