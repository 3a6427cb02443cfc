"""Pinpoint career sites: the whole board in one `postings.json` document."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from html import escape, unescape
from typing import Any

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import place_text

#: The advert's HTML sections in reading order, each with the key of its own heading.
SECTIONS = (
    ("description", None),
    ("key_responsibilities", "key_responsibilities_header"),
    ("skills_knowledge_expertise", "skills_knowledge_expertise_header"),
    ("benefits", "benefits_header"),
)


class PinpointSpider(CompanySpider):
    """Pinpoint tenants (`{board}.pinpointhq.com`, or a custom domain as `base_url`).

    YAML: `board` (the subdomain); `base_url` replaces the tenant origin
    `https://{board}.pinpointhq.com` (custom career domains such as `careers.acme.com`
    serve the same document). `/postings.json` is `{"data": [...]}` with every open
    posting and the whole advert: no paging and no total, so a `data` list that parses is
    the end of the board, and there is no detail page to fetch.

    Quirks: `id` is a number (sometimes written as a string) while `url`/`path` name the
    posting by UUID (`/en/postings/{uuid}`); the advert is split into `description`,
    `key_responsibilities`, `skills_knowledge_expertise` and `benefits`, each but the
    first with a `*_header` (null when the tenant hides the section); one `location`
    `{name, city, province, postal_code, street_address}` with no country; the department
    under `job.department.name` (`job` also has `division` and `requisition_id`);
    `workplace_type` onsite/hybrid/remote beside a display `workplace_type_text`
    ("Fully remote"); `employment_type` codes (`permanent_full_time`, `fixed_term_contract`,
    `zero_hours`...) beside `employment_type_text`; pay as structured
    `compensation_minimum/maximum/currency/frequency` (honoured only when
    `compensation_visible` is not false) and as display text `compensation`; no
    publication date (`deadline_at` is the closing date; `first_published_at` is read when
    a tenant has it). Closed postings leave the document; their page's answer is not
    documented, so a missing posting is removed on the second complete crawl that misses it.
    """

    platform = "pinpoint"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.listing_request(f"{self.base_url}/postings.json", self.parse_list)

    def parse_list(self, response: Response) -> Iterator[JobPosting]:
        jobs = self.listing_list(response, "data")
        if jobs is None:
            return
        yield from self.entries(jobs, self.parse_job, "id")
        self.listing.done()

    def parse_job(self, job: dict[str, Any]) -> JobPosting:
        job_id = job.get("id")
        if job_id in (None, "") or isinstance(job_id, bool):
            raise ValueError("posting without an id")
        location = as_dict(job.get("location"))
        city, province = location.get("city"), location.get("province")
        detail = as_dict(job.get("job"))
        url = job.get("url") or (f"{self.base_url}{job['path']}" if job.get("path") else None)
        visible = job.get("compensation_visible") is not False
        return self.posting(
            external_id=job_id,
            title=job.get("title"),
            url=url,
            apply_url=url,
            location=place_text([city, province]) or location.get("name"),
            city=city,
            region=province,
            remote_type=job.get("workplace_type") or job.get("workplace_type_text"),
            employment_type=job.get("employment_type_text") or job.get("employment_type"),
            department=as_dict(detail.get("department")).get("name"),
            salary_min=job.get("compensation_minimum") if visible else None,
            salary_max=job.get("compensation_maximum") if visible else None,
            salary_currency=job.get("compensation_currency") if visible else None,
            salary_period=job.get("compensation_frequency") if visible else None,
            salary_text=job.get("compensation") if visible else None,
            posted_at=job.get("first_published_at") or job.get("published_at"),
            description_html=_description(job),
        )


def _description(job: dict[str, Any]) -> str | None:
    parts = []
    for key, header in SECTIONS:
        text = job.get(key)
        if not isinstance(text, str) or not text.strip():
            continue
        title = job.get(header) if header else None
        if isinstance(title, str) and title.strip():
            heading = unescape(title.strip())  # plain text, or text with entities
            parts.append(f"<h3>{escape(heading, quote=False)}</h3>")
        parts.append(text)
    return "\n".join(parts) or None
