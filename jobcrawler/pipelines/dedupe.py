"""Stage 3: one posting per (company, external_id) within a crawl."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem


class DedupePipeline:
    """Drops repeats (counted as `jobcrawler/duplicates`); the first occurrence wins."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        key = (adapter["company"], adapter["external_id"])
        if key in self.seen:
            self.crawler.stats.inc_value("jobcrawler/duplicates")
            raise DropItem(f"duplicate posting {key[0]}/{key[1]}", log_level="DEBUG")
        self.seen.add(key)
        return item
