"""SmartRecruiters Posting API: offset pages of summaries, then one detail per posting."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider
from jobcrawler.spiders.details import detail_json, place_text

#: `jobAd.sections` in the order the career page shows them.
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersSpider(CompanySpider):
    """SmartRecruiters companies (`jobs.smartrecruiters.com/{board}`, `careers.smartrecruiters.com/{board}`).

    YAML: `board` (the company identifier, e.g. `Ubisoft2`); `base_url` replaces
    `https://api.smartrecruiters.com`. The list is read in pages of 100 until `totalFound`
    and the number of postings received must match it. List items have no description or
    URLs: the detail (`jobAd.sections`, `postingUrl`, `applyUrl`) is fetched only for new
    or changed postings. `location.remote`/`hybrid` give the work mode (both false:
    on-site); the malformed `fullLocation` ("Dublin, , Ireland") is cleaned. A missing
    posting is checked at its detail URL (404 when gone).
    """

    platform = "smartrecruiters"
    page_size = 100  # the API's maximum

    @property
    def postings_url(self) -> str:
        return f"{self.base_url}/v1/companies/{quote(self.company.board or '')}/postings"

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        return self.json_request(f"{self.postings_url}/{quote(external_id)}")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0, 0)

    def page_request(self, offset: int, received: int) -> scrapy.Request:
        query = urlencode({"limit": self.page_size, "offset": offset})
        return self.listing_request(
            f"{self.postings_url}?{query}",
            self.parse_page,
            cb_kwargs={"offset": offset, "received": received},
        )

    def parse_page(
        self, response: Response, offset: int, received: int
    ) -> Iterator[scrapy.Request | JobPosting]:
        data = self.listing_json(response)
        if data is None:
            return
        content = data.get("content") if isinstance(data, dict) else None
        total = data.get("totalFound") if isinstance(data, dict) else None
        if not isinstance(content, list) or not isinstance(total, int):
            self.listing.fail(f"{response.url}: no 'content' list and 'totalFound' in the response")
            return
        yield from self.entries(content, self.summary, "id")
        received += len(content)
        if content and offset + self.page_size < total:
            yield self.page_request(offset + self.page_size, received)
        elif received != total:
            self.listing.fail(f"{response.url}: totalFound is {total} but {received} postings came")
        else:
            self.listing.done()

    def summary(self, summary: Any) -> Iterator[scrapy.Request]:
        posting_id = summary.get("id") if isinstance(summary, dict) else None
        if not posting_id:
            # `entries` makes the listing partial: an unidentified posting can't be kept
            raise ValueError("listing entry without an id")
        posting_id = str(posting_id)
        if self.needs_detail(posting_id, summary):
            yield self.detail_request(
                f"{self.postings_url}/{quote(posting_id)}",
                self.parse_detail,
                posting_id,
                cb_kwargs={"summary": summary},
            )

    def parse_detail(self, response: Response, summary: dict[str, Any]) -> Iterator[JobPosting]:
        detail = detail_json(self, response)
        if detail is not None:
            yield from self.detail_entry(response, self.parse_posting, {**summary, **detail})

    def parse_posting(self, job: dict[str, Any]) -> JobPosting:
        location = job.get("location") or {}
        country = location.get("country")
        full = location.get("fullLocation")
        url = job.get("postingUrl") or (
            f"https://jobs.smartrecruiters.com/{self.company.board}/{job.get('id')}"
        )
        return self.posting(
            external_id=job.get("id"),
            title=job.get("name"),
            url=url,
            apply_url=job.get("applyUrl") or url,
            location=place_text(full.split(",") if isinstance(full, str) else [])
            or place_text([location.get("city"), location.get("region"), country]),
            city=location.get("city"),
            region=location.get("region"),
            country=country.upper() if isinstance(country, str) else None,
            remote_type=_work_mode(location),
            employment_type=(job.get("typeOfEmployment") or {}).get("label"),
            department=(job.get("department") or {}).get("label")
            or (job.get("function") or {}).get("label"),
            posted_at=job.get("releasedDate"),
            description_html=_description(job),
        )


def _work_mode(location: dict[str, Any]) -> str | None:
    """`hybrid`/`remote` booleans; both present and false means on-site."""
    remote, hybrid = location.get("remote"), location.get("hybrid")
    if hybrid is True:
        return "hybrid"
    if remote is True:
        return "remote"
    if remote is False and hybrid is False:
        return "onsite"
    return None


def _description(job: dict[str, Any]) -> str | None:
    sections = ((job.get("jobAd") or {}).get("sections")) or {}
    parts = []
    for name in SECTIONS:
        section = sections.get(name) or {}
        text = section.get("text")
        if not text:
            continue
        if section.get("title"):
            parts.append(f"<h3>{escape(section['title'], quote=False)}</h3>")
        parts.append(text)
    return "\n".join(parts) or None
