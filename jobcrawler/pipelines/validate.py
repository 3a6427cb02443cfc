"""Stage 1: drop postings the store could not identify or show, with a counted reason."""

from __future__ import annotations

import re
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from jobcrawler.normalize.urls import http_url

#: Longer ids are not ids any ATS gives; they would also fail the database's index.
MAX_EXTERNAL_ID_LENGTH = 255
#: Control characters (NUL cannot be stored in PostgreSQL text at all) and lone
#: surrogates (not encodable as UTF-8): such an id would make its whole batch fail.
_BAD_ID_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class ValidatePipeline:
    """Requires a sane `external_id`, a non-empty `title` and an http(s) `url` (read as a
    browser would, so " javascript:..." is no http URL).

    A sane id has at most `MAX_EXTERNAL_ID_LENGTH` characters and no control characters.

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
            raise DropItem(
                f"{reason}: {adapter.get('company')}/{shown_id(external_id)}",
                log_level="WARNING" if reason == "bad external_id" else "INFO",
            )
        return item


def problem(adapter: ItemAdapter) -> str | None:
    external_id = adapter.get("external_id")
    if not external_id:
        return "missing external_id"
    if len(external_id) > MAX_EXTERNAL_ID_LENGTH or _BAD_ID_CHARACTERS.search(external_id):
        return "bad external_id"
    title = adapter.get("title")
    if not isinstance(title, str) or not title.strip():
        return "missing title"
    if http_url(adapter.get("url")) is None:
        return "missing url"
    return None


def shown_id(external_id: str | None) -> str:
    """An id safe to log: its repr, cut to 80 characters."""
    text = repr(external_id)
    return text if len(text) <= 80 else text[:77] + "..."
