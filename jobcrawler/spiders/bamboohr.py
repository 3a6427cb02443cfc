"""BambooHR careers sites: the whole list in one response, then one detail per posting."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import detail_json, place_text

#: BambooHR's `locationType` codes.
LOCATION_TYPES = {"0": "onsite", "1": "remote", "2": "hybrid"}


class BambooHRSpider(CompanySpider):
    """BambooHR careers sites (`{board}.bamboohr.com/careers`).

    YAML: `board` (the subdomain); `base_url` replaces the tenant origin
    `https://{board}.bamboohr.com`. `/careers/list` (JSON only with `Accept:
    application/json`) must hold `meta.totalCount` postings; the detail
    (`/careers/{id}/detail`: description, `compensation` text, `datePosted`) is fetched
    only for new or changed postings. `locationType` "0"/"1"/"2" is on-site/remote/hybrid
    (`isRemote` true or 1 also means remote); the place is in `location` and/or
    `atsLocation`. A missing posting is checked at its detail URL (404 when gone).
    """

    platform = "bamboohr"

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        return self.json_request(f"{self.base_url}/careers/{quote(external_id)}/detail")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.listing_request(f"{self.base_url}/careers/list", self.parse_list)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        jobs = self.listing_list(response, "result")
        if jobs is None:
            return
        yield from self.entries(jobs, self.list_entry, "id")
        total = as_dict(response.json().get("meta")).get("totalCount")
        if total is not None and str(total) != str(len(jobs)):
            self.listing.fail(f"{response.url}: meta.totalCount is {total} but {len(jobs)} came")
            return
        self.listing.done()

    def list_entry(self, job: Any) -> scrapy.Request | None:
        """The detail request of a new or changed posting."""
        job_id = job.get("id") if isinstance(job, dict) else None
        if not job_id:
            # `entries` makes the listing partial: an unidentified posting can't be kept
            raise ValueError("listing entry without an id")
        job_id = str(job_id)
        if not self.needs_detail(job_id, job):
            return None
        return self.detail_request(
            f"{self.base_url}/careers/{quote(job_id)}/detail",
            self.parse_detail,
            job_id,
            cb_kwargs={"job": job},
        )

    def parse_detail(self, response: Response, job: dict[str, Any]) -> Iterator[JobPosting]:
        data = detail_json(self, response)
        if data is None:
            return
        opening = as_dict(as_dict(data.get("result")).get("jobOpening"))
        merged = {**job, **{k: v for k, v in opening.items() if v is not None}}
        yield from self.detail_entry(response, self.parse_job, merged)

    def parse_job(self, job: dict[str, Any]) -> JobPosting:
        job_id = str(job["id"])
        url = job.get("jobOpeningShareUrl") or f"{self.base_url}/careers/{quote(job_id)}"
        location = as_dict(job.get("location"))
        ats = as_dict(job.get("atsLocation"))
        city = location.get("city") or ats.get("city")
        region = location.get("state") or ats.get("state") or ats.get("province")
        country = location.get("addressCountry") or ats.get("country")
        return self.posting(
            external_id=job_id,
            title=job.get("jobOpeningName"),
            url=url,
            apply_url=url,
            location=place_text([city, region, country]),
            city=city,
            region=region,
            country=country,
            remote_type=_work_mode(job),
            employment_type=job.get("employmentStatusLabel") or job.get("employmentType"),
            department=job.get("departmentLabel"),
            salary_text=job.get("compensation"),
            posted_at=job.get("datePosted"),
            description_html=job.get("description"),
        )


def _work_mode(job: dict[str, Any]) -> str | None:
    mode = LOCATION_TYPES.get(str(job.get("locationType")))
    if mode is None and job.get("isRemote") in (True, 1, "1", "true"):
        return "remote"
    return mode
