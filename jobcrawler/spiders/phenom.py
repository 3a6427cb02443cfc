"""Phenom career sites: the search page's embedded first page, then the widget API.

What the site's own front end does (read from public docs and code, not copied):

- The search page `{site}/search-results` (site = `https://{host}/{country}/{language}`)
  is server-rendered with two script assignments: `var phApp = phApp || {...}` (the site's
  config: `refNum`, the tenant code; `locale` `en_us`; `country`; `siteType` `external`;
  `pageName`; `widgetApiEndpoint`, `{origin}/widgets`) and `phApp.ddo = {...}` whose
  `eagerLoadRefineSearch` holds the first page: `{status: 200, hits, totalHits, data:
  {jobs: [...], aggregations: [...]}}`.
- Later pages are a POST to `{origin}/widgets` with a JSON body `ddoKey: "refineSearch"`,
  `refNum`, `lang` (the locale), `country`, `siteType`, `from` (offset) and `size`; the
  answer is `{"refineSearch": {status, hits, totalHits, data: {jobs}}}`. `status` inside
  the body is what counts (errors come back as HTTP 200). Sites may serve fewer than
  `size` per page, so the offset advances by what came; `totalHits` is the end evidence:
  the distinct jobs received must equal it (an early empty page or a drifting total fails).
- A job: `jobId` (the ATS id, in the job URL `{site}/job/{jobId}/{title-slug}`),
  `jobSeqNo` (`{refNum}{jobId}EXTERNAL{LOCALE}`, per site and language), `reqId`,
  `title`, `location` / `cityStateCountry`, `city`, `state`, `country`, `multi_location`
  (strings) and `multi_location_array` (`[{location}]`) for several places, `type` (the
  employment type, "Full time"), `category`, `subCategory`, `postedDate` and
  `dateCreated` (`2026-08-15T00:00:00.000+0000`), `descriptionTeaser` (plain text,
  truncated), `applyUrl` (often the ATS behind Phenom, e.g. Workday), and on some
  tenants `isRemote` / `workLocationType` / `remote`. Tenants add and drop fields freely.
- The job page is server-rendered the same way, `phApp.ddo.jobDetail.data.job` holding
  the same fields plus `description` (HTML). It is fetched only for new or changed jobs.
- A closed job's page is not a reliable 404 (sites answer a search page), so there is no
  per-posting check: the second complete crawl that misses a job removes it.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import JsonRequest, Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.phenom import PH_APP, PH_DDO, embedded
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import place_text
from jobcrawler.spiders.offsets import is_count, next_offset, total_kept

PAGE_SIZE = 50
#: List fields that change without the job changing (ranking, personalisation).
VOLATILE = {"score", "badge", "visibilityType", "isHotJob", "recommended"}


class PhenomSpider(CompanySpider):
    """Phenom sites (`careers_url: https://careers.acme.com/us/en`); `base_url` replaces
    the site's origin (tests, proxies)."""

    platform = "phenom"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = (self.company.keys.careers_url or "").rstrip("/")
        self.path = urlsplit(self.site).path.rstrip("/")
        self.config: dict[str, Any] = {}
        self.seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            f"{self.base_url}{self.path}/search-results",
            callback=self.parse_search_page,
            errback=self.listing_error,
        )

    def parse_search_page(self, response: Response) -> Iterator[scrapy.Request]:
        text = response.text
        self.config = next(iter(embedded(text, PH_APP)), {})
        ddo = next((d for d in embedded(text, PH_DDO) if "eagerLoadRefineSearch" in d), None)
        if ddo is None:
            self.listing.fail(f"no phApp.ddo.eagerLoadRefineSearch in the page at {response.url}")
            return
        yield from self.read_page(response, ddo["eagerLoadRefineSearch"], 0, None)

    def parse_widget(self, response: Response, offset: int, total: int) -> Iterator[scrapy.Request]:
        data = self.listing_json(response)
        if data is not None:
            yield from self.read_page(response, as_dict(data).get("refineSearch"), offset, total)

    def read_page(
        self, response: Response, search: Any, offset: int, total: int | None
    ) -> Iterator[Any]:
        """One page of results (`offset` its `from`): the next page's request, or the end
        once `totalHits` jobs were served, every one of them distinct."""
        search = as_dict(search)
        jobs = as_dict(search.get("data")).get("jobs")
        hits = search.get("totalHits")
        if search.get("status", 200) != 200 or not isinstance(jobs, list):
            self.listing.fail(f"refineSearch status {search.get('status')!r} at {response.url}")
            return
        if not is_count(hits):
            self.listing.fail(f"no totalHits in the search results at {response.url}")
            return
        if not total_kept(self.listing, response.url, hits, total):
            return
        yield from self.entries(jobs, self.list_entry, _job_id)
        following = next_offset(
            self.listing,
            response.url,
            start=offset,
            received=len(jobs),
            total=hits,
            distinct=len(self.seen),
        )
        if following is None:
            return
        if not self.config.get("refNum"):
            self.listing.fail(f"no phApp refNum in the page to ask for more than {following} jobs")
            return
        yield self.widget_request(following, hits)

    def widget_request(self, offset: int, total: int) -> JsonRequest:
        config = self.config
        body = {
            "ddoKey": "refineSearch",
            "refNum": config.get("refNum"),
            "lang": config.get("locale") or "en_us",
            "country": config.get("country") or "us",
            "siteType": config.get("siteType") or "external",
            "pageName": "search-results",
            "deviceType": "desktop",
            "keywords": "",
            "global": True,
            "sortBy": "",
            "subsearch": "",
            "from": offset,
            "size": PAGE_SIZE,
            "jobs": True,
            "counts": True,
            "clearAll": False,
            "jdsource": "facets",
            "selected_fields": {},
            "all_fields": [],
        }
        return JsonRequest(
            f"{self.base_url}/widgets",
            data=body,
            callback=self.parse_widget,
            errback=self.listing_error,
            cb_kwargs={"offset": offset, "total": total},
        )

    def list_entry(self, job: Any) -> Iterator[scrapy.Request]:
        external_id = _job_id(job)
        if external_id is None:
            raise ValueError("job without jobId or jobSeqNo")
        if external_id in self.seen:
            self.crawler.stats.inc_value("jobcrawler/phenom/repeated")
            return
        self.seen.add(external_id)
        stable = {k: v for k, v in job.items() if k not in VOLATILE}
        if self.needs_detail(external_id, stable):
            path = f"{self.path}/job/{quote(external_id)}/{_slug(job.get('title'))}"
            yield self.detail_request(
                self.base_url + path,
                self.parse_detail,
                external_id,
                cb_kwargs={"job": job, "url": self.site + path.removeprefix(self.path)},
                headers={"Accept": "text/html"},
            )

    def parse_detail(self, response: Response, job: dict[str, Any], url: str) -> Iterator[Any]:
        ddo = next((d for d in embedded(response.text, PH_DDO) if "jobDetail" in d), {})
        detail = as_dict(as_dict(as_dict(ddo.get("jobDetail")).get("data")).get("job"))
        if not detail:  # a page without the job: keep the stored posting as it is
            self.listing.seen_without_item.add(response.meta["external_id"])
            self.crawler.stats.inc_value("jobcrawler/details/invalid")
            return
        yield from self.detail_entry(response, self.parse_posting, {**job, **detail}, url)

    def parse_posting(self, job: dict[str, Any], url: str) -> JobPosting:
        places = _places(job)
        return self.posting(
            external_id=_job_id(job),
            title=html.unescape(str(job.get("title") or "")).strip() or None,
            url=url,
            apply_url=job.get("applyUrl") or url,
            location="; ".join(places) or None,
            city=job.get("city") or None,
            region=job.get("state") or None,
            country=job.get("country") or None,
            remote_type=_remote(job),
            employment_type=job.get("type") or None,
            department=job.get("category") or job.get("department") or None,
            team=job.get("subCategory") or None,
            posted_at=job.get("postedDate") or job.get("dateCreated") or None,
            description_html=job.get("description") or None,
        )


def _job_id(job: Any) -> str | None:
    job = as_dict(job)
    value = job.get("jobId") or job.get("jobSeqNo")
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _slug(title: Any) -> str:
    """The job URL's title part: words joined by `-` (any slug serves the same job)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", html.unescape(str(title or "job"))).strip("-") or "job"


def _places(job: dict[str, Any]) -> list[str]:
    """Every place: `multi_location` (or `multi_location_array`), else the single one."""
    many = job.get("multi_location")
    if not isinstance(many, list) or not many:
        many = [as_dict(p).get("location") for p in job.get("multi_location_array") or []]
    places = [str(p).strip() for p in many if isinstance(p, str) and p.strip()]
    if not places:
        one = job.get("cityStateCountry") or job.get("location")
        one = one if isinstance(one, str) else None
        places = [one.strip()] if one and one.strip() else []
        parts = [job.get("city"), job.get("state"), job.get("country")]
        if not places and (joined := place_text(parts)):
            places = [joined]
    return list(dict.fromkeys(places))


def _remote(job: dict[str, Any]) -> str | None:
    """The work mode where the tenant gives one (`workLocationType`, `isRemote`, `remote`)."""
    for key in ("workLocationType", "locationType", "remoteType", "workplaceType"):
        if isinstance(job.get(key), str) and job[key].strip():
            return str(job[key]).strip()
    for key in ("isRemote", "remote"):
        if job.get(key) is True or str(job.get(key)).lower() in ("true", "yes"):
            return "remote"
    return None
