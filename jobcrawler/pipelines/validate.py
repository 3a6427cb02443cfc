"""Stage 1: drop postings the store could not identify or show, with a counted reason."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from jobcrawler.normalize.urls import http_url


class ValidatePipeline:
    """Requires `external_id`, a non-empty `title` and an http(s) `url` (read as a browser
    would, so " javascript:..." is no http URL).

    A dropped posting is counted under `jobcrawler/dropped/<reason>`; the store hears of
    the drop (`item_dropped`) and so does not mistake it for a posting that disappeared.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        external_id = adapter.get("external_id")
        if external_id is not None and not isinstance(external_id, str):
            external_id = adapter["external_id"] = str(external_id)
        reason = problem(adapter)
        if reason:
            self.crawler.stats.inc_value(f"jobcrawler/dropped/{reason.replace(' ', '_')}")
            raise DropItem(f"{reason}: {adapter.get('company')}/{external_id}", log_level="INFO")
        return item


def problem(adapter: ItemAdapter) -> str | None:
    if not adapter.get("external_id"):
        return "missing external_id"
    title = adapter.get("title")
    if not isinstance(title, str) or not title.strip():
        return "missing title"
    if http_url(adapter.get("url")) is None:
        return "missing url"
    return None
