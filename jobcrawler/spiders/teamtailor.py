"""Teamtailor public RSS feed, paged with per_page/offset until a short page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from lxml import etree
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.feeds import FeedSpider, child_text

_JOB_ID = re.compile(r"/jobs/(\d+)")


class TeamtailorSpider(FeedSpider):
    """Teamtailor career sites (`{board}.teamtailor.com`, or a custom careers host).

    YAML: `board` (the tenant subdomain); `base_url` is the tenant origin and defaults to
    `https://{board}.teamtailor.com` (set it for custom careers hosts such as
    `https://careers.example.com`). The feed returns 100 items unless `per_page` says
    otherwise and ignores `page`, so pages of `page_size` are read with `offset` until a
    short page. A short page of exactly 100 items may be the default size answered by a feed
    that ignored `per_page`, so the next offset is asked too; a page that only repeats
    postings already read means `offset` was ignored, and the listing is incomplete.
    """

    platform = "teamtailor"
    page_size = 200
    feed_default_size = 100

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen_ids: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0)

    def page_request(self, offset: int) -> scrapy.Request:
        query = {"per_page": self.page_size, **({"offset": offset} if offset else {})}
        url = f"{self.base_url}/jobs.rss?{urlencode(query)}"
        return self.feed_request(url, self.parse_page, cb_kwargs={"offset": offset})

    def parse_page(self, response: Response, offset: int) -> Iterator[JobPosting | scrapy.Request]:
        rss = self.listing_xml(response, "rss")
        if rss is None:
            return
        elements = rss.findall("channel/item")
        items = list(self.entries(elements, self.parse_item, _item_id))
        fresh = [item for item in items if item["external_id"] not in self.seen_ids]
        if items and not fresh:
            self.listing.fail(f"{response.url}: page repeats postings already read; offset ignored")
            return
        if len(fresh) < len(items):  # a posting added meanwhile pushed others down a page
            self.crawler.stats.inc_value("jobcrawler/teamtailor/repeated", len(items) - len(fresh))
        self.seen_ids.update(item["external_id"] for item in fresh if item["external_id"])
        yield from fresh
        if len(elements) in (self.page_size, self.feed_default_size):
            yield self.page_request(offset + len(elements))
        else:
            self.listing.done()

    def parse_item(self, item: etree._Element) -> JobPosting:
        link = child_text(item, "link")
        locations = item.findall("{*}locations/{*}location")
        first = locations[0] if locations else None
        places = list(dict.fromkeys(filter(None, map(_place, locations))))
        return self.posting(
            external_id=_item_id(item),
            title=child_text(item, "title"),
            url=link,
            apply_url=link,  # the application form is on the job page
            location="; ".join(places) or None,
            locations=places,
            city=child_text(first, "{*}city") if first is not None else None,
            country=child_text(first, "{*}country") if first is not None else None,
            remote_type=child_text(item, "remoteStatus"),
            department=child_text(item, "{*}department"),
            team=child_text(item, "{*}role"),
            posted_at=child_text(item, "pubDate"),
            # The XML parser already undid the entity escaping: this is the HTML itself.
            description_html=item.findtext("description") or None,
        )


def _item_id(item: etree._Element) -> str | None:
    """The job id in the item's link (`/jobs/123-title`), else its guid."""
    job_id = _JOB_ID.search(child_text(item, "link") or "")
    return job_id[1] if job_id else child_text(item, "guid")


def _place(location: etree._Element) -> str | None:
    """ "City, Country" when the location has a city, else its name (e.g. "Remote - US")."""
    city, country = child_text(location, "{*}city"), child_text(location, "{*}country")
    if city:
        return ", ".join(filter(None, (city, country)))
    return child_text(location, "{*}name") or country
