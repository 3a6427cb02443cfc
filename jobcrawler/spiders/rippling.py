"""Rippling boards: the v2 board API the board page itself calls, pages then details.

What the board's front end calls (read from public docs and code, not copied):

- `GET https://ats.rippling.com/api/v2/board/{board}/jobs?page={n}&pageSize={m}` (page
  0-based) answers `{items, page, pageSize, totalItems, totalPages}`; an unknown board is
  a 404. An item: `id` (a UUID), `name`, `url` (`https://ats.rippling.com/{board}/jobs/
  {id}`), `department: {name}`, `locations: [{name, city, state, country, countryCode,
  workplaceType}]` with `workplaceType` ON_SITE / REMOTE / HYBRID. A job with several
  locations can come as one item per location: items are merged by id, their
  locations joined. No description and no date in the list.
- The end: every page up to `totalPages` read and `totalItems` items received; a short
  or empty page before that, or totals that change while paging, fail the listing.
- `GET .../jobs/{id}` is the job: `name`, `description: {company, role}` (two HTML
  parts: about the company, then the role), `employmentType: {label, id}` (label a code
  such as SALARIED_FT / HOURLY_PT / CONTRACTOR, id its words), `createdOn` (ISO with an
  offset), `payRangeDetails: [{currency, frequency, rangeStart, rangeEnd}]`,
  `workLocations` (strings), `companyName`, `unlistedFromSearch`. It is asked only for
  new or changed jobs, and for a job the listing missed: a closed job is a 404
  (`RESOURCE_NOT_FOUND`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import detail_json

WORKPLACE = {"ON_SITE": "onsite", "REMOTE": "remote", "HYBRID": "hybrid"}
_CODE_HOURS = re.compile(r"_(FT|PT)$")


class RipplingSpider(CompanySpider):
    """Rippling boards (`board`); `base_url` replaces `https://ats.rippling.com`."""

    platform = "rippling"
    page_size = 50

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items: dict[str, dict[str, Any]] = {}  # by id, locations merged
        self.received = 0

    @property
    def jobs_url(self) -> str:
        return f"{self.base_url}/api/v2/board/{quote(self.company.board or '')}/jobs"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0, None)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        return self.json_request(f"{self.jobs_url}/{quote(external_id)}")

    def page_request(self, page: int, totals: tuple[int, int] | None) -> scrapy.Request:
        return self.listing_request(
            f"{self.jobs_url}?{urlencode({'page': page, 'pageSize': self.page_size})}",
            self.parse_page,
            cb_kwargs={"page": page, "totals": totals},
        )

    def parse_page(
        self, response: Response, page: int, totals: tuple[int, int] | None
    ) -> Iterator[scrapy.Request]:
        data = self.listing_json(response)
        if data is None:
            return
        data = as_dict(data)
        items, total, pages = data.get("items"), data.get("totalItems"), data.get("totalPages")
        if not isinstance(items, list) or not _count(total) or not _count(pages):
            self.listing.fail(f"{response.url}: no 'items' list with totalItems and totalPages")
            return
        if totals is not None and (total, pages) != totals:
            self.listing.fail(f"{response.url}: totals went from {totals} to {(total, pages)}")
            return
        yield from self.entries(items, self.list_entry, "id")
        self.received += len(items)
        if page + 1 < pages:
            if len(items) < self.page_size:
                self.listing.fail(f"{response.url}: a short page {page} of {pages}")
                return
            yield self.page_request(page + 1, (total, pages))
            return
        if self.received != total:
            self.listing.fail(f"{response.url}: totalItems is {total} but {self.received} came")
            return
        self.listing.done()
        yield from self.detail_requests()

    def list_entry(self, item: Any) -> None:
        """Collect an item (merging a job that comes once per location)."""
        job_id = as_dict(item).get("id")
        if not isinstance(job_id, str) or not job_id:
            raise ValueError("item without an id")
        known = self.items.get(job_id)
        if known is None:
            self.items[job_id] = {**item, "locations": list(item.get("locations") or [])}
        else:
            known["locations"] += [
                p for p in item.get("locations") or [] if p not in known["locations"]
            ]

    def detail_requests(self) -> Iterator[scrapy.Request]:
        """Once the whole list is read (an item's locations may come on several pages)."""
        for job_id, item in self.items.items():
            if self.needs_detail(job_id, item):
                yield self.detail_request(
                    f"{self.jobs_url}/{quote(job_id)}",
                    self.parse_detail,
                    job_id,
                    cb_kwargs={"item": item},
                )

    def parse_detail(self, response: Response, item: dict[str, Any]) -> Iterator[JobPosting]:
        detail = detail_json(self, response)
        if detail is not None:
            yield from self.detail_entry(response, self.parse_posting, detail, item)

    def parse_posting(self, job: dict[str, Any], item: dict[str, Any]) -> JobPosting | None:
        if job.get("unlistedFromSearch") is True:
            self.listing.seen_without_item.add(item["id"])
            return None
        places = [as_dict(p) for p in item.get("locations") or []]
        names = [str(p.get("name")).strip() for p in places if p.get("name")]
        names = names or [str(w).strip() for w in job.get("workLocations") or [] if w]
        modes = {WORKPLACE.get(str(p.get("workplaceType"))) for p in places} - {None}
        url = (
            item.get("url")
            or job.get("url")
            or (
                f"https://ats.rippling.com/{quote(self.company.board or '')}/jobs/{quote(item['id'])}"
            )
        )
        pay = as_dict((job.get("payRangeDetails") or [None])[0])
        description = as_dict(job.get("description"))
        one = places[0] if len(places) == 1 else {}
        return self.posting(
            external_id=item["id"],
            title=(job.get("name") or item.get("name") or "").strip() or None,
            url=url,
            apply_url=url,
            location="; ".join(dict.fromkeys(n for n in names if n)) or None,
            city=one.get("city"),
            region=one.get("state"),
            country=one.get("countryCode") or one.get("country"),
            remote_type=modes.pop() if len(modes) == 1 else None,  # mixed: read from text
            employment_type=_employment(as_dict(job.get("employmentType"))),
            department=as_dict(job.get("department") or item.get("department")).get("name"),
            salary_min=pay.get("rangeStart"),
            salary_max=pay.get("rangeEnd"),
            salary_currency=pay.get("currency"),
            salary_period=pay.get("frequency"),
            posted_at=job.get("createdOn"),
            description_html="\n".join(
                part for part in (description.get("company"), description.get("role")) if part
            )
            or None,
        )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _employment(kind: dict[str, Any]) -> str | None:
    """`SALARIED_FT` -> "full-time"; other codes (CONTRACTOR, INTERN) and words pass on."""
    label, words = kind.get("label"), kind.get("id")
    if isinstance(label, str) and (match := _CODE_HOURS.search(label)):
        return "full-time" if match[1] == "FT" else "part-time"
    return label if isinstance(label, str) and label else words
