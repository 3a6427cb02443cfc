"""GovernmentJobs.com (NEOGOV): an agency's whole board as one RSS feed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from html import escape
from typing import Any
from urllib.parse import quote

import scrapy
from lxml import etree
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.feeds import child_text
from jobcrawler.spiders.rss import RssSpider

NS = "{http://www.neogov.com/namespaces/JobListing}"
#: Advert sections beyond `description`, in the order the job page shows them.
SECTIONS = (
    ("examplesofduties", "Examples of Duties"),
    ("qualifications", "Minimum Qualifications"),
    ("supplementalinformation", "Supplemental Information"),
)
#: `salaryInterval` words -> the periods the normalize stage knows.
INTERVALS = {
    "hour": "hour",
    "hourly": "hour",
    "day": "day",
    "daily": "day",
    "week": "week",
    "weekly": "week",
    "month": "month",
    "monthly": "month",
    "year": "year",
    "annually": "year",
    "annual": "year",
}
#: "Des Moines - 50319 - Polk County": NEOGOV joins city, ZIP and county with " - ".
_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")


class NeogovSpider(RssSpider):
    """GovernmentJobs.com agency boards (`www.governmentjobs.com/careers/{agency}`).

    YAML: `board` (the agency slug: `lacounty`, `iowa`); `base_url` replaces
    `https://www.governmentjobs.com` (school districts: `https://www.schooljobs.com`).

    The careers page is a Knockout shell; its rows come from an HTML fragment
    (`/careers/home/index?agency=..&page=N`, only with `X-Requested-With`) in pages of
    ten, with no total. Every agency also publishes its whole board as one RSS 2.0 feed,
    `/SearchEngine/JobsFeed?agency={agency}`, read here: no paging, so the document
    parsing whole is the end of the listing (a cut-off feed fails, never reads shorter).
    The channel title names the agency ("State of Iowa, IA"). Items: `title`, `link`
    (`/careers/{agency}/jobs/{jobId}`), `pubDate` (RFC 822, moves on every edit),
    `description`, and the `joblisting:` namespace: `jobId` (the id), `jobNumberSingle`,
    `department`, `division`, `location` ("Des Moines - 50319 - Polk County": the ZIP is
    dropped), `state`, `jobType` ("Full Time"), `minimumSalary`/`maximumSalary`/
    `salaryCurrency`/`salaryInterval` (Hour, Year, Month, Biweekly...), `advertiseFromDateUTC`
    (when it opened: the posting date), `advertiseToDateTime` ("Continuous" or a date),
    `categories`, and the advert sections `examplesofduties`, `qualifications`,
    `supplementalinformation` (HTML, any of them missing). The feed is the detail: no job
    page is fetched. A closed job just leaves the feed (its page stays up, "no longer
    accepting applications"), so a missing posting is removed on the second complete crawl
    that misses it.
    """

    platform = "neogov"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        agency = quote(self.company.board or "")
        yield self.feed_request(
            f"{self.base_url}/SearchEngine/JobsFeed?agency={agency}", self.parse_feed
        )

    def parse_feed(self, response: Response) -> Iterator[JobPosting]:
        yield from self.rss_entries(response, self.parse_item, _job_id)

    def parse_item(self, item: etree._Element) -> JobPosting:
        job_id = _job_id(item)
        if job_id is None:
            raise ValueError("feed item without a jobId or job link")
        url = child_text(item, "link") or (
            f"https://www.governmentjobs.com/careers/{self.company.board}/jobs/{job_id}"
        )
        low, high = _number(item, "minimumSalary"), _number(item, "maximumSalary")
        interval = (_text(item, "salaryInterval") or "").lower()
        return self.posting(
            external_id=job_id,
            title=child_text(item, "title"),
            url=url,
            apply_url=url,
            location=_place(_text(item, "location"), _text(item, "state")),
            region=_text(item, "state"),
            employment_type=_text(item, "jobType"),
            department=_text(item, "department") or _text(item, "division"),
            salary_min=low if low else None,
            salary_max=high if high else None,
            salary_currency=_text(item, "salaryCurrency") if low or high else None,
            salary_period=INTERVALS.get(interval),
            posted_at=_text(item, "advertiseFromDateUTC")
            or _text(item, "advertiseFromDate")
            or child_text(item, "pubDate"),
            description_html=_advert(item),
        )


def _text(item: etree._Element, name: str) -> str | None:
    return child_text(item, NS + name)


def _job_id(item: Any) -> str | None:
    if not isinstance(item, etree._Element):
        return None
    found = _text(item, "jobId")
    if found:
        return found
    link = re.search(r"/jobs/(\d+)", child_text(item, "link") or "")
    return link[1] if link else None


def _number(item: etree._Element, name: str) -> float | None:
    """A salary figure; "0.00", blanks and words ("DOE") are none."""
    try:
        value = float((_text(item, name) or "").replace(",", "").replace("$", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _place(location: str | None, state: str | None) -> str | None:
    """ "Des Moines - 50319 - Polk County" + "IA" -> "Des Moines, Polk County, IA"."""
    parts = [p.strip() for p in (location or "").split(" - ")]
    parts = [p for p in parts if p and not _ZIP.match(p)]
    if state and state not in parts:
        parts.append(state)
    return ", ".join(parts) or None


def _advert(item: etree._Element) -> str | None:
    parts: list[str] = []
    seen: set[str] = set()
    summary = child_text(item, "description")
    if summary:
        parts.append(summary)
        seen.add(summary)
    for name, heading in SECTIONS:
        text = _text(item, name)
        if text and text not in seen:
            seen.add(text)
            parts.append(f"<h3>{escape(heading, quote=False)}</h3>\n{text}")
    return "\n".join(parts) or None
