"""Careers sites read with CSS/XPath selectors from the company's YAML."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.html import DETAIL_FIELDS, ITEM_FIELDS
from jobcrawler.spiders.pages import HTML_ACCEPT, PagesSpider, first_value, select

#: A selector that matches an element (not `::text`/`@attr`) reads this attribute if present.
_ATTRIBUTES = {"url": "href", "apply_url": "href", "posted_at": "datetime"}
_LINKS = ("url", "apply_url")


class HtmlSpider(PagesSpider):
    """Careers pages read with selectors (CSS, or XPath after `xpath:`).

    YAML: `careers_url`; `selectors`: `item` (one per posting on the listing page) and,
    inside an item, `title` and `url` (required), optional `id`, `location`, `department`,
    `team`, `employment_type`, `remote_type`, `posted_at`, `salary`, `apply_url`;
    `detail_<field>` selectors (`detail_description`, `detail_location`, ...) read the
    posting's own page, which is then fetched for new or changed items only (a posting
    whose list entry is unchanged keeps its stored fields). `next_page` for paged lists;
    `base_url` and `render` as in PagesSpider (with `render`, listing pages wait for
    `item`). The external id is the `id` selector's value, else the absolute item URL.
    With detail selectors, a missing posting is checked at its stored URL (404/410 when
    gone); without, item URLs need not be the posting's own page, so there is no check.
    """

    platform = "html"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        request = self.index_request(self.start_url, True)
        if request is not None:
            yield request

    @property
    def selectors(self) -> dict[str, str]:
        return self.company.keys.selectors or {}

    @property
    def has_detail(self) -> bool:
        return any(name.startswith("detail_") for name in self.selectors)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request | None:
        if not (self.has_detail and url):
            return None
        return scrapy.Request(url, headers={"Accept": HTML_ACCEPT}, meta=self.page_meta())

    def index_request(self, url: str, first: bool) -> scrapy.Request | None:
        return self.listing_page(
            url, self.parse_index, wait_for=self.selectors["item"], cb_kwargs={"first": first}
        )

    def parse_index(self, response: Response, first: bool) -> Iterator[JobPosting | scrapy.Request]:
        if not self.listing_html(response):
            return
        items = select(response, self.selectors["item"])
        if not items and self.no_postings_past_first_page(response, first):
            return
        yield from self.entries(items, self.parse_item, self.item_id(response), response)
        next_url = self.next_page_url(response)
        request = self.index_request(next_url, False) if next_url else None
        if request is not None:
            yield request
        self.listing_page_read()

    def parse_item(
        self, item: Selector, response: Response
    ) -> Iterator[JobPosting | scrapy.Request]:
        entry = self.read(item, response, ITEM_FIELDS)
        url = entry.get("url")
        external_id = entry.get("id") or url
        fields = {ITEM_FIELDS[name]: value for name, value in entry.items() if name != "id"}
        if not (self.has_detail and url and external_id):
            yield self.posting(external_id=external_id, **fields)
        elif self.needs_detail(external_id, entry):
            yield self.detail_request(
                url,
                self.parse_detail,
                external_id,
                headers={"Accept": HTML_ACCEPT},
                meta=self.page_meta(),
                cb_kwargs={"fields": fields},
            )

    def item_id(self, response: Response) -> Callable[[Selector], str | None]:
        """How `parse_item` names an item (read again only for an item it failed on)."""

        def read_id(item: Selector) -> str | None:
            entry = self.read(item, response, {"id": "external_id", "url": "url"})
            return entry.get("id") or entry.get("url")

        return read_id

    def parse_detail(self, response: Response, fields: dict[str, Any]) -> Iterator[JobPosting]:
        if not isinstance(response, HtmlResponse):  # an error document: keep what we have
            self.listing.seen_without_item.add(response.meta["external_id"])
            self.crawler.stats.inc_value("jobcrawler/details/invalid")
            return
        yield from self.detail_entry(response, self.detail_posting, response, fields)

    def detail_posting(self, response: Response, fields: dict[str, Any]) -> JobPosting:
        found = self.read(response, response, DETAIL_FIELDS, prefix="detail_")
        detail = {DETAIL_FIELDS[name]: value for name, value in found.items()}
        return self.posting(external_id=response.meta["external_id"], **{**fields, **detail})

    def read(
        self,
        node: Selector | Response,
        response: Response,
        names: dict[str, str],
        prefix: str = "",
    ) -> dict[str, str]:
        """The values the configured selectors find in `node`; links made absolute."""
        values: dict[str, str] = {}
        for name in names:
            expression = self.selectors.get(prefix + name)
            value = expression and first_value(
                node,
                expression,
                attribute=_ATTRIBUTES.get(name),
                markup=name == "description",
            )
            if value:
                values[name] = response.urljoin(value) if name in _LINKS else value
        return values
