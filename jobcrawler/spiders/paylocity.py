"""Paylocity Recruiting boards: every job in the list page's `window.pageData`, then job pages."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from html import escape
from typing import Any
from urllib.parse import quote

import scrapy
from parsel import Selector
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.normalize import jsonld
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import detail_unread, place_text

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
_PAGE_DATA = re.compile(r"window\.pageData\s*=\s*(?=\{)")
#: What the job page says for a closed posting (and for an id that never existed).
CLOSED = "does not exist or is not currently active"
#: `IndeedRemoteType`: 0 "Temporarily WFH", 1 "Hybrid Remote", 2 "Fully Remote".
REMOTE_TYPES = {0: "hybrid", 1: "hybrid", 2: "remote"}
_LD_JSON = '//script[@type="application/ld+json"]'


class PaylocitySpider(CompanySpider):
    """Paylocity boards (`recruiting.paylocity.com/Recruiting/Jobs/All/{guid}/{Company}`).

    YAML: `board` (the company GUID; an old board's number reads `/Jobs/List/{number}`);
    `base_url` replaces `https://recruiting.paylocity.com`. The list page is HTML whose
    script sets `window.pageData = {...}` with every open job in `Jobs` (no paging), so
    a page whose `pageData.Jobs` parses is the whole board; an unknown board answers 200
    with a "Job Not Found" page without `pageData`, which fails the listing. (The JSON
    job feed `/recruiting/v2/api/feed/jobs/{guid}` needs a feed key most boards lack,
    so it is only recognized by the finder.) A job has `JobId` (a number), `JobTitle`,
    `LocationName` (the employer's office label), `JobLocation{Name, City, State,
    Country}` (cities sometimes upper case, states missing), `PublishedDate` (Central
    time, no zone), `IsRemote` and `IndeedRemoteType` (0 temporarily WFH, 1 hybrid, 2
    fully remote), `IsInternal` (internal postings are not public ones). The job page
    `/Recruiting/Jobs/Details/{JobId}` is fetched for new or changed jobs: its JobPosting
    JSON-LD gives the description, `employmentType` and `baseSalary` where present; the
    `job-preview-details` block has the same as headed sections (`div.job-listing-header`
    "Job Type", "Description", "Requirements", "Salary Description", each followed by
    its block): the job type and pay text come from there, and the prose sections are
    the description when there is no JSON-LD. A closed
    job's page answers 200 "that job does not exist or is not currently active".
    """

    platform = "paylocity"

    @property
    def list_url(self) -> str:
        board = self.company.board or ""
        kind = "List" if board.isdigit() else "All"
        return f"{self.base_url}/Recruiting/Jobs/{kind}/{quote(board)}"

    def job_url(self, job_id: str) -> str:
        return f"{self.base_url}/Recruiting/Jobs/Details/{quote(job_id)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.listing_request(self.list_url, self.parse_list, headers={"Accept": HTML_ACCEPT})

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        data = page_data(response)
        jobs = data.get("Jobs") if isinstance(data, dict) else None
        if not isinstance(jobs, list):
            self.listing.fail(f"no window.pageData.Jobs list on {response.url}")
            self.crawler.stats.inc_value("jobcrawler/listing/unexpected_shape")
            return
        yield from self.entries(jobs, self.list_entry, "JobId")
        self.listing.done()

    def list_entry(self, job: Any) -> scrapy.Request | None:
        job_id = job.get("JobId") if isinstance(job, dict) else None
        if job_id in (None, "") or isinstance(job_id, bool):
            raise ValueError("job without a JobId")
        if job.get("IsInternal") is True:
            return None
        job_id = str(job_id)
        if not self.needs_detail(job_id, job):
            return None
        return self.detail_request(
            self.job_url(job_id),
            self.parse_detail,
            job_id,
            headers={"Accept": HTML_ACCEPT},
            cb_kwargs={"job": job},
        )

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        return scrapy.Request(self.job_url(external_id), headers={"Accept": HTML_ACCEPT})

    def posting_gone(self, response: Response) -> bool:
        return CLOSED in response.text

    def parse_detail(self, response: Response, job: dict[str, Any]) -> Iterator[JobPosting]:
        if not hasattr(response, "xpath") or CLOSED in response.text:
            # closed since the list was read, or not a page: keep the posting as stored
            detail_unread(self, response)
            return
        yield from self.detail_entry(response, self.parse_job, job, response)

    def parse_job(self, job: dict[str, Any], response: Response) -> JobPosting:
        job_id = str(job["JobId"])
        ld = _job_posting(response)
        address = as_dict(job.get("JobLocation"))
        city = _city(address.get("City"))
        state, country = address.get("State"), address.get("Country")
        label = job.get("LocationName") or address.get("Name")
        pay = jsonld.salary(ld)
        url = self.job_url(job_id)
        sections = _sections(response)
        return self.posting(
            external_id=job_id,
            title=job.get("JobTitle") or jsonld.text(ld.get("title")),
            url=url,
            apply_url=url.replace("/Details/", "/Apply/"),
            # without a city the office label says more ("Remote - US") than a country
            location=(city and place_text([city, state, country]))
            or label
            or place_text([state, country]),
            city=city,
            region=state,
            country=country,
            remote_type=_work_mode(job, ld),
            employment_type=jsonld.employment_type(ld) or _section_text(sections, "job type"),
            department=job.get("HiringDepartment") or jsonld.text(ld.get("occupationalCategory")),
            salary_min=pay.minimum,
            salary_max=pay.maximum,
            salary_currency=pay.currency,
            salary_period=pay.unit,
            salary_text=_section_text(sections, "salary", "pay", "compensation"),
            posted_at=job.get("PublishedDate") or ld.get("datePosted"),
            description_html=jsonld.description(ld) or _advert(response, sections),
        )


def page_data(response: Response) -> Any:
    """The `window.pageData` object of a list page, or None."""
    text = response.text if hasattr(response, "text") else ""
    match = _PAGE_DATA.search(text)
    if not match:
        return None
    try:
        return json.JSONDecoder().raw_decode(text, match.end())[0]
    except ValueError:
        return None


def _job_posting(response: Response) -> dict[str, Any]:
    """The page's first JobPosting JSON-LD object, or {} (a malformed block is skipped)."""
    for script in response.xpath(_LD_JSON):
        try:
            found = jsonld.job_postings(jsonld.parse_block(script.xpath("string()").get()))
        except (ValueError, RecursionError):
            continue
        if found:
            return found[0]
    return {}


def _city(value: Any) -> str | None:
    """Cities are sometimes saved in upper case ("LAYTON")."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip(" ,")
    return value.title() if value.isupper() and len(value) > 3 else value


def _work_mode(job: dict[str, Any], ld: dict[str, Any]) -> str | None:
    kind = job.get("IndeedRemoteType")
    mode = REMOTE_TYPES.get(kind) if isinstance(kind, int) and not isinstance(kind, bool) else None
    if mode is None and (job.get("IsRemote") is True or jsonld.is_remote(ld)):
        return "remote"
    return mode


def _sections(response: Response) -> dict[str, Selector]:
    """The job page's `div.job-listing-header` headings, each with the block after it."""
    found: dict[str, Selector] = {}
    for header in response.css("div.job-preview-details .job-listing-header"):
        heading = " ".join(" ".join(header.xpath(".//text()").getall()).split())
        body = header.xpath("following-sibling::*[1]")
        if heading and body and heading not in found:
            found[heading] = body[0]
    return found


def _section_text(sections: dict[str, Selector], *words: str) -> str | None:
    """The text of the first section whose heading has one of `words` ("Job Type")."""
    for heading, body in sections.items():
        if any(word in heading.lower() for word in words):
            return " ".join(" ".join(body.xpath(".//text()").getall()).split()) or None
    return None


def _advert(response: Response, sections: dict[str, Selector]) -> str | None:
    """Description, Requirements and the other prose sections under their headings; the
    whole details block when the page has no headed sections."""
    if not sections:
        return response.css("div.job-preview-details").get()
    parts = []
    for heading, body in sections.items():
        if not any(
            word in heading.lower() for word in ("job type", "salary", "pay", "compensation")
        ):
            parts.append(f"<h3>{escape(heading, quote=False)}</h3>\n{body.get()}")
    return "\n".join(parts) or None
