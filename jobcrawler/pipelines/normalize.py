"""Stage 2: turn each platform's vocabulary into the canonical posting fields.

Structured ATS fields win; text (location, title, description) fills what they leave out.
A URL field that is not http(s) (`javascript:`, `data:`...) becomes None, counted under
`jobcrawler/urls/unsafe`.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from jobcrawler.normalize.dates import is_relative, to_utc
from jobcrawler.normalize.description import describe, html_to_markdown
from jobcrawler.normalize.employment import employment_type
from jobcrawler.normalize.location import Location, country_code, posting_places
from jobcrawler.normalize.remote import infer_remote_type, remote_type
from jobcrawler.normalize.salary import (
    Salary,
    currency_code,
    salary_from_text,
    salary_period,
    to_amount,
)
from jobcrawler.normalize.urls import URL_FIELDS, safe_url

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """Normalizes location, remote type, employment type, salary, dates and description."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        posting = ItemAdapter(item)
        unsafe = normalize(posting)
        if unsafe:
            self.crawler.stats.inc_value("jobcrawler/urls/unsafe", len(unsafe))
            logger.info(
                "Unsafe URL dropped (%s): %s/%s",
                ", ".join(unsafe),
                posting.get("company"),
                posting.get("external_id"),
            )
        return item


def normalize(posting: ItemAdapter) -> list[str]:
    """Normalizes `posting` in place; returns the URL fields that were unsafe, now None."""
    unsafe = _urls(posting)
    for key in ("title", "location", "department", "team"):
        posting[key] = clean_text(posting.get(key))
    _location(posting)
    posting["remote_type"] = remote_type(posting.get("remote_type")) or infer_remote_type(
        posting.get("location"), posting["title"]
    )
    posting["employment_type"] = employment_type(posting.get("employment_type"))
    posting["description_html"], text = describe(posting.get("description_html"))
    posting["description"] = html_to_markdown(posting["description_html"])
    salary = _salary(posting, text)
    posting.update(
        salary_min=salary.min,
        salary_max=salary.max,
        salary_currency=salary.currency,
        salary_period=salary.period,
    )
    _posted_at(posting)
    posting.pop("salary_text", None)
    return unsafe


def _posted_at(posting: ItemAdapter) -> None:
    """Resolve the date; mark relative text so the store keeps the first crawl's resolution."""
    raw = posting.get("posted_at")
    posting["posted_at"] = to_utc(raw)
    if posting["posted_at"] is not None and is_relative(raw):
        posting["posted_at_relative"] = True


def clean_text(value: Any) -> str | None:
    """Whitespace runs as one space, trimmed (str.split's whitespace is the regex's \\s)."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _urls(posting: ItemAdapter) -> list[str]:
    unsafe = []
    for key in URL_FIELDS:
        value = posting.get(key)
        posting[key] = safe_url(value)
        if posting[key] is None and value is not None and str(value).strip():
            unsafe.append(key)
    return unsafe


def _location(posting: ItemAdapter) -> None:
    """The primary place into city/region/country (the platform's own fields win over the
    text), every place into `locations` ([{city, region, country, raw}], primary first)."""
    given = Location(
        clean_text(posting.get("city")),
        clean_text(posting.get("region")),
        country_code(posting.get("country")),
    )
    listed = (text for text in map(clean_text, posting.get("locations") or []) if text)
    primary, places = posting_places(posting.get("location"), listed, given)
    posting.update(city=primary.city, region=primary.region, country=primary.country)
    posting["locations"] = [place.fields() for place in places]


def _salary(posting: ItemAdapter, description_text: str) -> Salary:
    low, high = to_amount(posting.get("salary_min")), to_amount(posting.get("salary_max"))
    if low is not None or high is not None:
        if low is not None and high is not None and low > high:
            low, high = high, low
        return Salary(
            min=low,
            max=high,
            currency=currency_code(posting.get("salary_currency")),
            period=salary_period(posting.get("salary_period")),
        )
    for text in (posting.get("salary_text"), description_text):
        found = salary_from_text(text) if text else None
        if found:
            return found
    return Salary(min=None, max=None, currency=None, period=None)
