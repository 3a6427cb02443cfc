"""Ashby public Job Posting API: the whole board in one response, compensation included."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider


class AshbySpider(CompanySpider):
    """Ashby boards (`jobs.ashbyhq.com/{board}`).

    YAML: `board` (the job board name); `base_url` replaces `https://api.ashbyhq.com`.
    Unlisted postings (`isListed: false`) are skipped; `workplaceType` wins over `isRemote`
    (boards mark hybrid jobs `isRemote: true`); the salary comes from the `Salary`
    compensation component.
    """

    platform = "ashby"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        board = quote(self.company.board or "")
        url = f"{self.base_url}/posting-api/job-board/{board}?includeCompensation=true"
        yield self.listing_request(url, self.parse_board)

    def parse_board(self, response: Response) -> Iterator[JobPosting]:
        jobs = self.listing_stream(response, "jobs")
        yield from self.entries(jobs, self.parse_job, "id")
        if jobs.ok:
            self.listing.done()

    def parse_job(self, job: dict[str, Any]) -> JobPosting | None:
        if job.get("isListed", True) is False:
            self.crawler.stats.inc_value("jobcrawler/ashby/unlisted")
            return None
        address = (job.get("address") or {}).get("postalAddress") or {}
        secondary = [s.get("location") for s in job.get("secondaryLocations") or []]
        locations = [loc for loc in [job.get("location"), *secondary] if loc]
        salary = _salary_component(job.get("compensation") or {})
        return self.posting(
            external_id=job.get("id"),
            title=job.get("title"),
            url=job.get("jobUrl"),
            apply_url=job.get("applyUrl"),
            location="; ".join(locations) or None,
            locations=locations,
            city=address.get("addressLocality"),
            region=address.get("addressRegion"),
            country=address.get("addressCountry"),
            remote_type=job.get("workplaceType") or (True if job.get("isRemote") else None),
            employment_type=job.get("employmentType"),
            department=_strip(job.get("department")),
            team=_strip(job.get("team")),
            salary_min=salary.get("minValue"),
            salary_max=salary.get("maxValue"),
            salary_currency=salary.get("currencyCode"),
            salary_period=salary.get("interval"),
            salary_text=(job.get("compensation") or {}).get("scrapeableCompensationSalarySummary"),
            posted_at=job.get("publishedAt"),
            description_html=job.get("descriptionHtml"),
        )


def _salary_component(compensation: dict[str, Any]) -> dict[str, Any]:
    components = compensation.get("summaryComponents") or [
        c
        for tier in compensation.get("compensationTiers") or []
        for c in tier.get("components") or []
    ]
    for component in components:
        if component.get("compensationType") == "Salary":
            return component
    return {}


def _strip(value: Any) -> Any:
    return value.strip() or None if isinstance(value, str) else value
