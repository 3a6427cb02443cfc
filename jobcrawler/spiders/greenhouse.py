"""Greenhouse Job Board API: the whole board in one response."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider, as_dict


class GreenhouseSpider(CompanySpider):
    """Greenhouse boards (`boards.greenhouse.io/{board}`, `job-boards[.eu].greenhouse.io/{board}`).

    YAML: `board` (the board token); `base_url` replaces `https://boards-api.greenhouse.io`.
    `content=true` returns descriptions (entity-escaped HTML), departments and offices;
    `meta.total` must match the number of jobs or the listing counts as incomplete.
    A missing posting is checked at `/v1/boards/{board}/jobs/{id}` (404 when gone).
    """

    platform = "greenhouse"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        url = f"{self.base_url}/v1/boards/{quote(self.company.board or '')}/jobs?content=true"
        yield self.listing_request(url, self.parse_board)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        board = quote(self.company.board or "")
        return self.json_request(f"{self.base_url}/v1/boards/{board}/jobs/{quote(external_id)}")

    def parse_board(self, response: Response) -> Iterator[JobPosting]:
        jobs = self.listing_stream(response, "jobs", paths=("meta.total",))
        yield from self.entries(jobs, self.parse_job, "id")
        if not jobs.ok:
            return
        total = jobs.values.get("meta.total")  # `meta` may come before or after `jobs`
        if isinstance(total, int) and total != jobs.count:
            self.listing.fail(f"{response.url}: meta.total is {total} but {jobs.count} jobs came")
            return
        self.listing.done()

    def parse_job(self, job: dict[str, Any]) -> JobPosting:
        offices = [as_dict(o) for o in job.get("offices") or []]
        location = job.get("location")  # {"name": ...}; a plain string is read as the name
        location = location if isinstance(location, str) else as_dict(location).get("name")
        office_names = [name for o in offices if (name := o.get("location") or o.get("name"))]
        departments = [as_dict(d).get("name") for d in job.get("departments") or []]
        departments = [name for name in departments if name]
        content = job.get("content")
        content = html.unescape(content) if isinstance(content, str) and content else None
        return self.posting(
            external_id=job.get("id"),
            title=job.get("title"),
            url=job.get("absolute_url"),
            apply_url=job.get("absolute_url"),
            location=location or "; ".join(office_names) or None,
            # the text names the primary place; several offices name the others
            locations=[location, *office_names] if len(office_names) > 1 else None,
            department=departments[0] if departments else None,
            employment_type=_metadata(job, "employment type"),
            posted_at=job.get("first_published") or job.get("updated_at"),
            description_html=content,
        )


def _metadata(job: dict[str, Any], name: str) -> Any:
    """A custom field by (case-insensitive) name; boards use `metadata` for employment type."""
    for field in job.get("metadata") or []:
        if isinstance(field, dict) and str(field.get("name", "")).lower() == name:
            value = field.get("value")
            return value[0] if isinstance(value, list) and value else value
    return None
