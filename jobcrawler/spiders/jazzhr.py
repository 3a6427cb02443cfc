"""JazzHR job feed: every syndicated open job in one `<jobs>` XML document."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from urllib.parse import quote

import scrapy
from lxml import etree
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.details import place_text, us_date
from jobcrawler.spiders.feeds import FeedSpider, child_text

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
#: A job's page on the careers site: `/apply/{code}/{slug}`.
_JOB_LINK = re.compile(r"/apply/(?!jobs\b|apply\b)[A-Za-z0-9]{6,}(?:/|$)")
#: `job_YYYYMMDDHHMMSS_RANDOM`: JazzHR job ids start with the time the job was posted.
_ID_TIME = re.compile(r"^job_(\d{14})_", re.IGNORECASE)


class JazzHRSpider(FeedSpider):
    """JazzHR career sites (`{board}.applytojob.com/apply`), read from the public feed.

    YAML: `board` (the subdomain); `base_url` replaces `https://app.jazz.co`, whose
    `/feeds/export/jobs/{board}` is one `<jobs>` document with every job the customer
    syndicates: no paging or total, so a strictly parsed `<jobs>` root is the end of the
    board. Some tenants syndicate nothing and their feed is an empty `<jobs/>` while the
    careers page lists jobs: an empty feed is an empty board only when
    `{board}.applytojob.com/apply` links no job page either (companies with a `base_url`
    skip that check). Each `<job>` has CDATA children `id` (`job_20260605135030_ABCD...`,
    whose 14 digits are the posting time), `title`, `department`, `url`
    (`http://{board}.applytojob.com/apply/{code}/{slug}`, the same page the careers site
    links), `city`, `state`, `country`, `postalcode` (often blank), `type` ("Full Time",
    "Contractor"...), `experience`, `status` ("Open"), `original_open_date` and the whole
    `description` HTML, so no job page is fetched. No remote or salary field: the work
    mode comes from the place or title ("Remote"), pay from the description prose. Jobs
    whose `status` is set to anything but Open are not postings. The feed is cached for
    up to a day and closed job pages have no documented answer, so a missing posting is
    removed on the second complete crawl that misses it.
    """

    platform = "jazzhr"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        board = quote(self.company.board or "")
        yield self.feed_request(f"{self.base_url}/feeds/export/jobs/{board}", self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[JobPosting | scrapy.Request]:
        root = self.listing_xml(response, "jobs")
        if root is None:
            return
        jobs = list(root.iterfind("job"))
        yield from self.entries(jobs, self.parse_job, _job_id)
        if jobs or self.company.base_url:
            self.listing.done()
            return
        # an empty feed may be a board that syndicates nothing: its careers page says
        board = quote(self.company.board or "")
        yield self.listing_request(
            f"https://{board}.applytojob.com/apply",
            self.parse_careers_page,
            headers={"Accept": HTML_ACCEPT},
        )

    def parse_careers_page(self, response: Response) -> None:
        """An empty board only when the careers page lists no job either."""
        links = (
            {
                href.split("?")[0].rstrip("/")
                for href in response.css("a::attr(href)").getall()
                if _JOB_LINK.search(href)
            }
            if hasattr(response, "css")
            else set()
        )
        if links:
            self.listing.fail(
                f"the feed has no jobs but {response.url} lists {len(links)}: not syndicated"
            )
        else:
            self.listing.done()

    def parse_job(self, job: etree._Element) -> JobPosting | None:
        job_id = _job_id(job)
        if not job_id:
            raise ValueError("job without an id")
        status = child_text(job, "status")
        if status and status.lower() != "open":
            return None
        city, state = child_text(job, "city"), child_text(job, "state")
        country = child_text(job, "country")
        url = child_text(job, "url")
        return self.posting(
            external_id=job_id,
            title=child_text(job, "title"),
            url=url,
            apply_url=url,
            location=place_text([city, state, country]),
            city=city,
            region=state,
            country=country,
            employment_type=child_text(job, "type"),
            department=child_text(job, "department"),
            posted_at=us_date(child_text(job, "original_open_date")) or _posted_from_id(job_id),
            description_html=child_text(job, "description"),
        )


def _job_id(job: etree._Element) -> str | None:
    return child_text(job, "id")


def _posted_from_id(job_id: str) -> str | None:
    """The posting time the id starts with, as ISO (UTC), or None."""
    match = _ID_TIME.match(job_id)
    if not match:
        return None
    try:
        stamp = datetime.strptime(match[1], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return stamp.isoformat()
