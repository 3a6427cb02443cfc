"""Eightfold career sites ("SmartApply"): the positions API, 10 at a time, then details.

What the site's own front end calls (read from public docs and code, not copied):

- `GET {origin}/api/apply/v2/jobs?domain={domain}&start={offset}&num={n}`, origin
  `https://{board}.eightfold.ai` or the company's own careers host; `domain` is the
  company's domain, not the host. Answer: `{"count": total, "positions": [...]}`. Pages
  hold at most 10 whatever `num` asks, so the offset advances by what came; the end is
  proven when the offset reaches `count` and as many distinct ids came (an empty page
  earlier, a missing `count` or a changing one fails the listing).
- A position: `id` (a large integer), `name` (the title; `posting_name` on some),
  `location` and `locations` (strings written "Seoul,Korea, Republic of": commas without
  a space are the API's, spaced here), `department`, `business_unit`, `t_create` /
  `t_update` (Unix SECONDS), `ats_job_id` / `display_job_id` (the requisition),
  `type` ("ATS": the source, not an employment type), `work_location_option`
  ("onsite", "remote", "hybrid" or null), `location_flexibility`, `canonicalPositionUrl`
  (the public job page), and `job_description` always "" in the list.
- `GET {origin}/api/apply/v2/jobs/{id}?domain={domain}` gives the same position with the
  HTML `job_description` and `apply_redirect_url` (the ATS behind Eightfold); it is asked
  only for new or changed positions (`t_update` moves on every edit).
- No employment type and no salary field: both live in the description prose.
- What a closed position answers is not documented, so there is no per-posting check:
  the second complete crawl that misses a position removes it.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import detail_json
from jobcrawler.spiders.offsets import is_count, next_offset, total_kept

PAGE_SIZE = 10  # the API's own cap
#: List fields that move without the position changing.
VOLATILE = {"hot", "stars", "medallionProgram"}


class EightfoldSpider(CompanySpider):
    """Eightfold tenants (`board` + `domain`); `base_url` replaces `https://{board}.eightfold.ai`."""

    platform = "eightfold"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: set[str] = set()

    @property
    def jobs_url(self) -> str:
        return f"{self.base_url}/api/apply/v2/jobs"

    def query(self, **extra: Any) -> str:
        return urlencode({"domain": self.company.keys.domain, **extra})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0, None)

    def page_request(self, start: int, total: int | None) -> scrapy.Request:
        return self.listing_request(
            f"{self.jobs_url}?{self.query(start=start, num=PAGE_SIZE)}",
            self.parse_page,
            cb_kwargs={"start": start, "total": total},
        )

    def parse_page(
        self, response: Response, start: int, total: int | None
    ) -> Iterator[scrapy.Request]:
        data = self.listing_json(response)
        if data is None:
            return
        positions = as_dict(data).get("positions")
        count = as_dict(data).get("count")
        if not isinstance(positions, list) or not is_count(count):
            self.listing.fail(f"{response.url}: no 'positions' list and 'count' in the response")
            return
        if not total_kept(self.listing, response.url, count, total):
            return
        yield from self.entries(positions, self.list_entry, "id")
        following = next_offset(
            self.listing,
            response.url,
            start=start,
            received=len(positions),
            total=count,
            distinct=len(self.seen),
        )
        if following is not None:
            yield self.page_request(following, count)

    def list_entry(self, position: Any) -> Iterator[scrapy.Request]:
        position_id = as_dict(position).get("id")
        if position_id in (None, "") or isinstance(position_id, bool):
            raise ValueError("position without an id")
        external_id = str(position_id)
        if external_id in self.seen:
            self.crawler.stats.inc_value("jobcrawler/eightfold/repeated")
            return
        self.seen.add(external_id)
        stable = {k: v for k, v in position.items() if k not in VOLATILE}
        if self.needs_detail(external_id, stable):
            yield self.detail_request(
                f"{self.jobs_url}/{quote(external_id)}?{self.query()}",
                self.parse_detail,
                external_id,
                cb_kwargs={"position": position},
            )

    def parse_detail(self, response: Response, position: dict[str, Any]) -> Iterator[JobPosting]:
        detail = detail_json(self, response)
        if detail is not None:
            merged = {**position, **{k: v for k, v in detail.items() if v not in (None, "")}}
            yield from self.detail_entry(response, self.parse_posting, merged)

    def parse_posting(self, job: dict[str, Any]) -> JobPosting:
        external_id = str(job["id"])
        url = job.get("canonicalPositionUrl") or (
            f"{self.base_url}/careers/job/{quote(external_id)}?{self.query()}"
        )
        places = job.get("locations") if isinstance(job.get("locations"), list) else []
        places = [_place(p) for p in places if isinstance(p, str) and p.strip()]
        if not places and isinstance(job.get("location"), str) and job["location"].strip():
            places = [_place(job["location"])]
        return self.posting(
            external_id=external_id,
            title=_text(job.get("name") or job.get("posting_name")),
            url=url,
            apply_url=job.get("apply_redirect_url") or url,
            location="; ".join(dict.fromkeys(places)) or None,
            remote_type=job.get("work_location_option") or job.get("location_flexibility"),
            department=_text(job.get("department")),
            team=_text(job.get("business_unit")),
            posted_at=job.get("t_create") or job.get("t_update"),  # Unix seconds
            description_html=job.get("job_description") or None,
        )


def _place(text: str) -> str:
    """ "Seoul,Korea, Republic of" -> "Seoul, Korea, Republic of"."""
    return re.sub(r",(?=\S)", ", ", text.strip())


def _text(value: Any) -> str | None:
    """Names come HTML-escaped on some tenants ("Platform &amp; Tools")."""
    return html.unescape(value).strip() or None if isinstance(value, str) else None
