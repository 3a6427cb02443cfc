"""Helpers for platforms that list postings and then fetch one detail page per posting."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from scrapy.http import Response

from jobcrawler.spiders.base import CompanySpider

_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def detail_json(spider: CompanySpider, response: Response) -> dict[str, Any] | None:
    """The detail payload as a JSON object, or None.

    A detail page that does not parse is handled like a failed detail request: the posting
    is kept as it was stored (it is still on the listing), never removed or emptied.
    """
    try:
        data = json.loads(response.body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    external_id = response.meta["external_id"]
    spider.listing.seen_without_item.add(external_id)
    spider.crawler.stats.inc_value("jobcrawler/details/invalid")
    spider.logger.warning("Detail of %s is not a JSON object: %s", external_id, response.url)
    return None


def detail_unread(spider: CompanySpider, response: Response) -> None:
    """A job page that is not the posting's (closed since the listing, an error page): the
    posting is kept as stored, like a failed detail request."""
    spider.listing.seen_without_item.add(response.meta["external_id"])
    spider.crawler.stats.inc_value("jobcrawler/details/invalid")
    spider.logger.warning(
        "Detail of %s is not its job page: %s", response.meta["external_id"], response.url
    )


def place_text(parts: Iterable[Any]) -> str | None:
    """'City, Region, Country' from the parts that are set (repeats and blanks dropped)."""
    cleaned = (str(p).strip() for p in parts if p is not None)
    return ", ".join(dict.fromkeys(p for p in cleaned if p)) or None


def us_date(value: str | None) -> str | None:
    """A US `m/d/Y` date as ISO (`7/9/2026` -> `2026-07-09`); other text as it is."""
    match = _US_DATE.match(value or "")
    if not match:
        return value
    month, day, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
