"""Personio XML feed: the whole board in one `<workzag-jobs>` document."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from html import escape

import scrapy
from lxml import etree
from scrapy.http import Response
from twisted.python.failure import Failure

from jobcrawler.items import JobPosting
from jobcrawler.platforms.personio import COM_BASE, PLATFORM
from jobcrawler.spiders.feeds import FeedSpider, child_text


class PersonioSpider(FeedSpider):
    """Personio career sites (`{board}.jobs.personio.de`, some tenants `.jobs.personio.com`).

    YAML: `board` (the tenant subdomain); `base_url` is the tenant origin and defaults to
    `https://{board}.jobs.personio.de` (`.com` tenants set `https://{board}.jobs.personio.com`).
    Without a `base_url`, a 404 from `.de` is retried once on `.com` before the listing fails.
    The feed has no URL, remote or salary field: job pages are `{origin}/job/{id}`, the work
    mode comes from the office names and pay from the description prose. `employmentType`
    (the contract) and `schedule` (the hours) together give the employment type.
    """

    platform = "personio"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.feed_request_at(self.base_url)

    def feed_request_at(self, origin: str) -> scrapy.Request:
        return self.feed_request(
            f"{origin}/xml?language=en", self.parse_feed, cb_kwargs={"origin": origin}
        )

    def listing_error(self, failure: Failure) -> list[scrapy.Request] | None:
        """A `.de` 404 on a tenant without `base_url` may be a `.com` tenant: ask there once."""
        response = getattr(failure.value, "response", None)
        request = getattr(failure, "request", None)
        origin = request.cb_kwargs.get("origin") if request is not None else None
        if (
            response is not None
            and response.status == 404
            and self.company.base_url is None
            and origin == self.tenant_origin(PLATFORM.api_base)
        ):
            self.logger.info("Personio feed not found on %s, trying .com", origin)
            self.crawler.stats.inc_value("jobcrawler/personio/com_fallback")
            return [self.feed_request_at(self.tenant_origin(COM_BASE))]
        super().listing_error(failure)
        return None

    def parse_feed(self, response: Response, origin: str) -> Iterator[JobPosting]:
        root = self.listing_xml(response, "workzag-jobs")
        if root is None:
            return
        yield from self.entries(
            root.iterfind("position"), self.parse_position, _position_id, origin
        )
        self.listing.done()

    def parse_position(self, position: etree._Element, origin: str) -> JobPosting:
        job_id = _position_id(position)
        offices = [child_text(position, "office")]
        offices += [(o.text or "").strip() for o in position.iterfind("additionalOffices/office")]
        offices = [o for o in dict.fromkeys(offices) if o]
        url = f"{origin}/job/{job_id}" if job_id else None
        return self.posting(
            external_id=job_id,
            title=child_text(position, "name"),  # a direct child: not the section headings
            url=url,
            apply_url=url,
            location="; ".join(offices) or None,
            locations=offices,
            employment_type=_employment(
                child_text(position, "employmentType"), child_text(position, "schedule")
            ),
            department=child_text(position, "department"),
            team=child_text(position, "recruitingCategory"),
            posted_at=child_text(position, "createdAt"),
            description_html=_description(position),
        )


def _position_id(position: etree._Element) -> str | None:
    return child_text(position, "id")


def _employment(contract: str | None, schedule: str | None) -> str | None:
    """A permanent part-time job is part time; an internship stays one whatever its hours."""
    if contract in (None, "permanent") and schedule == "part-time":
        return schedule
    return contract or schedule


def _description(position: etree._Element) -> str | None:
    """Sections `jobDescription{name, value}` as HTML, each under its name as a heading."""
    parts: list[str] = []
    for section in position.iterfind("jobDescriptions/jobDescription"):
        name = child_text(section, "name")
        if name:
            parts.append(f"<h3>{escape(name, quote=False)}</h3>")
        parts.append(section.findtext("value") or "")
    return "\n".join(p for p in parts if p) or None
