"""Jobvite: the company's XML job feed, found through its career page.

What Jobvite serves in public (read from public docs and code, not copied):

- Career pages `https://jobs.jobvite.com/{board}` (`/{board}/jobs`, `/{board}/job/{id}`)
  are server-rendered HTML (`.jv-job-list-name`, `.jv-job-list-location`); many 302 to
  the company's own site unless asked with `?fr=true&nl=1` (what the careers iframe
  asks). A retired board redirects to `jobvite.com/support/...?invalid=1`. Their inline
  script sets `companyEId: 'q6NaVfwI'`, the id the feed is keyed by (YAML `company_id`
  skips this page).
- The feed `https://app.jobvite.com/CompanyJobs/Xml.aspx?c={companyEId}` is the whole
  board in one `<result>` document, unpaginated, each `<job>` with `<id>` (the id in job
  URLs, e.g. `oAbc123x`), `<title>`, `<requisitionid>`, `<category>`, `<jobtype>`
  ("Full-Time"), `<location>`, `<date>` (M/D/YYYY), `<detail-url>` and `<apply-url>`
  (CDATA, often `http:`), `<briefdescription>` and `<description>` (full HTML, CDATA).
  Text is entity-escaped at times ("R&amp;D"). A board without jobs is no empty
  `<result/>` but a 302 to `NoJobs.htm`, read here as positive evidence of zero jobs.
  The feed host answers `429 Retry-After: 30` early (the retry middleware waits).
- The feed holds every field, descriptions included, so there is no detail request; a
  parsed `<result>` is the whole board (a cut-off document fails to parse).
- A closed job's page redirects rather than 404s, so there is no per-posting check: the
  second complete crawl that misses a job removes it.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator
from urllib.parse import quote, urlencode

import scrapy
from lxml import etree
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.jobvite import company_id
from jobcrawler.spiders.feeds import FeedSpider, child_text

BOARD_ORIGIN = "https://jobs.jobvite.com"
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class JobviteSpider(FeedSpider):
    """Jobvite companies (`board`, optional `company_id`); `base_url` replaces both
    `https://jobs.jobvite.com` and the feed's `https://app.jobvite.com` (tests, proxies)."""

    platform = "jobvite"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        known = self.company.keys.company_id
        if known:
            yield self.feed_request(self.feed_url(known), self.parse_feed)
            return
        origin = (self.company.base_url or BOARD_ORIGIN).rstrip("/")
        query = urlencode({"fr": "true", "nl": "1"})
        yield self.listing_request(
            f"{origin}/{quote(self.company.board or '')}?{query}",
            self.parse_board_page,
            headers={"Accept": "text/html"},
        )

    def feed_url(self, eid: str) -> str:
        return f"{self.base_url}/CompanyJobs/Xml.aspx?{urlencode({'c': eid})}"

    def parse_board_page(self, response: Response) -> Iterator[scrapy.Request]:
        eid = company_id(response.text) if hasattr(response, "text") else None
        if "invalid=1" in response.url or eid is None:
            self.listing.fail(
                f"no companyEId on the Jobvite page {response.url} (board "
                f"{self.company.board!r} retired or redirected): set `company_id:`"
            )
            return
        yield self.feed_request(self.feed_url(eid), self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[JobPosting]:
        if response.url.lower().split("?")[0].endswith("/nojobs.htm"):
            self.crawler.stats.inc_value("jobcrawler/jobvite/no_jobs")
            self.listing.done()  # Jobvite's own answer for a board without jobs
            return
        root = self.listing_xml(response, "result")
        if root is None:
            return
        yield from self.entries(root.iterfind("job"), self.parse_job, _job_id)
        self.listing.done()

    def parse_job(self, job: etree._Element) -> JobPosting:
        external_id = _job_id(job)
        if external_id is None:
            raise ValueError("<job> without an <id>")
        url = _https(child_text(job, "detail-url")) or (
            f"{BOARD_ORIGIN}/{quote(self.company.board or '')}/job/{quote(external_id)}"
        )
        return self.posting(
            external_id=external_id,
            title=_text(child_text(job, "title")),
            url=url,
            apply_url=_https(child_text(job, "apply-url")) or url,
            location=_text(child_text(job, "location")),
            employment_type=_text(child_text(job, "jobtype")),
            department=_text(child_text(job, "category")),
            posted_at=_date(child_text(job, "date")),
            description_html=child_text(job, "description") or child_text(job, "briefdescription"),
        )


def _job_id(job: etree._Element) -> str | None:
    return child_text(job, "id")


def _text(value: str | None) -> str | None:
    """Feed text is entity-escaped at times ("R&amp;D")."""
    return html.unescape(value).strip() or None if value else None


def _https(url: str | None) -> str | None:
    """Feed URLs come as `http:`; the pages are served over https."""
    url = html.unescape(url).strip() if url else None
    return "https:" + url[5:] if url and url.startswith("http:") else url or None


def _date(value: str | None) -> str | None:
    """`4/21/2026` (month first) as `2026-04-21`; other forms are passed on as they are."""
    match = _US_DATE.match(value or "")
    if not match:
        return value
    month, day, year = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"
