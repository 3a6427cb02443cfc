"""Workday career sites (CXS JSON): searched in pages of 20, split by facet past the cap."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import JsonRequest, Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider
from jobcrawler.spiders.details import detail_json

#: Facets tried first when a search must be split (any other facet the site offers follows).
SPLIT_FACETS = ("locations", "jobFamilyGroup", "timeType")
_LOCALE = re.compile(r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$")

Facets = dict[str, list[str]]


def parse_careers_url(url: str) -> tuple[str, str, str] | None:
    """(origin, tenant, site) of a Workday career site URL, or None if it is not one.

    `https://{tenant}.wd5.myworkdayjobs.com/[{locale}/]{site}` and
    `https://wd5.myworkdaysite.com/[{locale}/]recruiting/{tenant}/{site}`.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments and _LOCALE.match(segments[0]):
        segments = segments[1:]
    origin = f"{parts.scheme}://{parts.netloc}"
    if len(segments) >= 3 and segments[0] == "recruiting":
        return origin, segments[1], segments[2]
    if segments and segments[0] != "recruiting" and "." in parts.hostname:
        return origin, parts.hostname.split(".")[0], segments[0]
    return None


class WorkdaySpider(CompanySpider):
    """Workday tenants (`{tenant}.wd{N}.myworkdayjobs.com/{site}`).

    YAML: `careers_url` (the career site, e.g. `https://acme.wd5.myworkdayjobs.com/en-US/
    External`: tenant and site come from it); `base_url` replaces the origin
    `https://acme.wd5.myworkdayjobs.com` (tests, proxies).

    The search is a POST of at most 20 postings per page; `total` comes on the first page
    only. Tenants that cap results at 2,000 report `total` 2000 and repeat the first
    postings past it, so a search at the cap is split by facet (locations, job family,
    time type, then any other facet, combined as needed) until every partition is under
    it; a partition that cannot be split fails the listing rather than truncating it.
    Every partition must deliver the number of postings it announced.

    The id is the last segment of `externalPath` (Workday's `jobPostingId`, unique on the
    site and present in the list, so unchanged postings skip their detail request); the
    detail gives the description, locations, country and time type. `postedOn` is
    relative and changes daily, so it is left out of the list hash; the detail's
    `startDate` (an ISO date) is the posting date when present.
    """

    platform = "workday"
    api_base = "https://{host}"
    required_keys = ("careers_url",)
    page_size = 20  # Workday answers a larger limit with HTTP 400
    result_cap = 2000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = parse_careers_url(self.company.careers_url or "")
        self.open_searches = 0
        self.seen_paths: set[str] = set()

    @property
    def base_url(self) -> str:
        """The tenant origin from `careers_url`, unless `base_url` replaces it."""
        origin = self.site[0] if self.site else ""
        return (self.company.base_url or origin).rstrip("/")

    @property
    def cxs_url(self) -> str:
        assert self.site is not None
        _, tenant, site = self.site
        return f"{self.base_url}/wday/cxs/{quote(tenant)}/{quote(site)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.site is None:
            self.listing.fail(f"careers_url {self.company.careers_url!r} is not a Workday site")
            return
        self.open_searches = 1
        yield self.search_request({}, 0)

    def search_request(
        self, facets: Facets, offset: int, total: int = 0, received: int = 0
    ) -> JsonRequest:
        """One page of a (possibly faceted) search; its failure makes the listing incomplete."""
        body = {
            "appliedFacets": facets,
            "limit": self.page_size,
            "offset": offset,
            "searchText": "",
        }
        return JsonRequest(
            f"{self.cxs_url}/jobs",
            data=body,
            callback=self.parse_page,
            errback=self.listing_error,
            cb_kwargs={"facets": facets, "offset": offset, "total": total, "received": received},
        )

    def parse_page(
        self, response: Response, facets: Facets, offset: int, total: int, received: int
    ) -> Iterator[scrapy.Request]:
        data = self.listing_json(response)
        if data is None:
            return
        jobs = data.get("jobPostings") if isinstance(data, dict) else None
        if not isinstance(jobs, list):
            self.listing.fail(f"{response.url} {facets}: no 'jobPostings' list in the response")
            return
        if offset == 0:
            total = data.get("total")
            if not isinstance(total, int):
                self.listing.fail(f"{response.url} {facets}: no 'total' on the first page")
                return
            if total >= self.result_cap:
                yield from self.split(response, facets, total, data.get("facets"))
                return
        for job in jobs:
            yield from self.list_entry(job)
        received += len(jobs)
        if jobs and offset + self.page_size < total:
            yield self.search_request(facets, offset + self.page_size, total, received)
            return
        if received != total:
            self.listing.fail(
                f"{response.url} {facets}: total is {total} but {received} postings came"
            )
        self.open_searches -= 1
        if self.open_searches == 0:
            self.listing.done()

    def split(
        self, response: Response, facets: Facets, total: int, offered: Any
    ) -> Iterator[scrapy.Request]:
        """Replace a search at the cap by one search per value of a facet it does not use."""
        choice = _split_facet(_facet_values(offered), facets, total)
        if choice is None:
            self.listing.fail(
                f"{response.url} {facets}: {total} postings reported, and the search cannot "
                f"be split under the {self.result_cap:,} cap by any facet left"
            )
            return
        name, values = choice
        self.crawler.stats.inc_value("jobcrawler/workday/splits")
        self.open_searches += len(values) - 1
        for value in values:
            yield self.search_request({**facets, name: [value]}, 0)

    def list_entry(self, job: Any) -> Iterator[scrapy.Request]:
        path = job.get("externalPath") if isinstance(job, dict) else None
        if not isinstance(path, str) or not path.strip("/"):
            self.crawler.stats.inc_value("jobcrawler/workday/no_path")
            return
        if path in self.seen_paths:  # in several partitions (postings with many locations)
            self.crawler.stats.inc_value("jobcrawler/workday/repeated")
            return
        self.seen_paths.add(path)
        external_id = path.rstrip("/").rsplit("/", 1)[-1]
        stable = {key: value for key, value in job.items() if key != "postedOn"}
        if self.needs_detail(external_id, stable):
            yield self.detail_request(
                self.cxs_url + path, self.parse_detail, external_id, cb_kwargs={"job": job}
            )

    def parse_detail(self, response: Response, job: dict[str, Any]) -> Iterator[JobPosting]:
        data = detail_json(self, response)
        if data is None:
            return
        info = data.get("jobPostingInfo") or {}
        careers_url = (self.company.careers_url or "").rstrip("/")
        url = info.get("externalUrl") or careers_url + job["externalPath"]
        locations = [info.get("location"), *(info.get("additionalLocations") or [])]
        requisition = (info.get("jobRequisitionLocation") or {}).get("country") or {}
        yield self.posting(
            external_id=response.meta["external_id"],
            title=info.get("title") or job.get("title"),
            url=url,
            apply_url=url,
            location="; ".join(loc for loc in locations if loc) or job.get("locationsText"),
            country=requisition.get("alpha2Code") or (info.get("country") or {}).get("descriptor"),
            remote_type=info.get("remoteType") or job.get("remoteType"),
            employment_type=info.get("timeType") or job.get("timeType"),
            posted_at=info.get("startDate") or info.get("postedOn") or job.get("postedOn"),
            description_html=info.get("jobDescription"),
        )


def _facet_values(offered: Any) -> dict[str, list[tuple[str, int]]]:
    """{facetParameter: [(value id, count)]} with nested groups (`locationMainGroup`) flattened."""
    found: dict[str, list[tuple[str, int]]] = {}

    def walk(facet: Any) -> None:
        if not isinstance(facet, dict):
            return
        values = facet.get("values") or []
        nested = [v for v in values if isinstance(v, dict) and "facetParameter" in v]
        for group in nested:
            walk(group)
        plain = [
            (str(v["id"]), int(v.get("count") or 0))
            for v in values
            if isinstance(v, dict) and "facetParameter" not in v and v.get("id")
        ]
        if plain and facet.get("facetParameter"):
            found.setdefault(str(facet["facetParameter"]), []).extend(plain)

    for facet in offered if isinstance(offered, list) else []:
        walk(facet)
    return found


def _split_facet(
    offered: dict[str, list[tuple[str, int]]], applied: Facets, total: int
) -> tuple[str, list[str]] | None:
    """The first facet not applied yet whose values cover every posting of the search.

    A facet whose counts add up to less than `total` leaves postings without a value
    out of every partition: using it would silently drop them.
    """
    order = [*SPLIT_FACETS, *(name for name in offered if name not in SPLIT_FACETS)]
    for name in order:
        values = [(value, count) for value, count in offered.get(name, []) if count > 0]
        if name in applied or not values or sum(count for _, count in values) < total:
            continue
        return name, [value for value, _ in values]
    return None
