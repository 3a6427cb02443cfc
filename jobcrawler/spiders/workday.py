"""Workday career sites (CXS JSON): searched in pages of 20, split by facet past the cap."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import JsonRequest, Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.workday import parse_careers_url
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import detail_json

#: Facets tried first when a search must be split (any other facet the site offers follows).
SPLIT_FACETS = ("locations", "jobFamilyGroup", "timeType")

Facets = dict[str, list[str]]


@dataclass
class _Split:
    """A search at the cap, replaced by one partition per value of `facet`.

    Checked once every search was read: together the partitions must show at least
    `needed` distinct postings (what the other facets' counts prove the search holds) and
    every posting of the capped search's own first page (`sample`).
    """

    facets: Facets
    facet: str
    needed: int
    sample: set[str]
    seen: set[str] = field(default_factory=set)

    def problem(self) -> str | None:
        """Why the partitions did not cover the search, or None."""
        missing = self.sample - self.seen
        shown = f"the partitions by {self.facet} showed {len(self.seen):,} postings"
        if missing:
            return f"{shown} and not {len(missing)} of its first page: the facet leaves some out"
        if len(self.seen) < self.needed:
            return f"{shown}, but its facets count {self.needed:,}: the facet leaves some out"
        return None


class WorkdaySpider(CompanySpider):
    """Workday tenants (`{tenant}.wd{N}.myworkdayjobs.com/{site}`).

    YAML: `careers_url` (the career site, e.g. `https://acme.wd5.myworkdayjobs.com/en-US/
    External`: tenant and site come from it); `base_url` replaces the origin
    `https://acme.wd5.myworkdayjobs.com` (tests, proxies).

    The search is a POST of at most 20 postings per page; `total` comes on the first page
    only. Tenants that cap results at 2,000 report `total` exactly 2000 and repeat the
    first postings past it; a larger `total` is real and paged straight through. A search
    at the cap is split by facet (locations, job family, time type, then any other,
    combined as needed). The cap hides the search's size, so facet counts stand in for
    it: only a facet whose counts reach the largest sum among the facets left (and the
    search's count in its parent) is split on, and once everything is read the partitions
    must show as many distinct postings as the other facets count, and every posting of
    the capped first page. Otherwise the listing fails rather than truncating, as it does
    when no facet covers a search. Every partition must deliver the number it announced.

    The id is the last segment of `externalPath` (Workday's `jobPostingId`, unique on the
    site and present in the list, so unchanged postings skip their detail request); the
    detail gives the description, locations, country and time type. `postedOn` is
    relative and changes daily, so it is left out of the list hash; the detail's
    `startDate` (an ISO date) is the posting date when present. A missing posting is
    checked at the CXS detail of its stored URL's `/job/...` path (404 when gone).
    """

    platform = "workday"
    page_size = 20  # Workday answers a larger limit with HTTP 400
    result_cap = 2000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = parse_careers_url(self.company.keys.careers_url or "")
        self.open_searches = 0
        self.seen_paths: set[str] = set()
        self.splits: list[_Split] = []

    @property
    def cxs_url(self) -> str:
        assert self.site is not None
        return f"{self.base_url}/wday/cxs/{quote(self.site.tenant)}/{quote(self.site.site)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.site is None:
            self.listing.fail(
                f"careers_url {self.company.keys.careers_url!r} is not a Workday site"
            )
            return
        self.open_searches = 1
        yield self.search_request({}, 0)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request | None:
        """The CXS detail of the stored job URL's `/job/...` path (404 when gone)."""
        path = urlsplit(url or "").path
        at = path.find("/job/")
        if self.site is None or at < 0:
            return None
        return self.json_request(self.cxs_url + path[at:])

    def search_request(
        self, facets: Facets, offset: int, total: int = 0, received: int = 0, expected: int = 0
    ) -> JsonRequest:
        """One page of a (possibly faceted) search; its failure makes the listing incomplete.

        `expected` is the partition's count in the search it was split from.
        """
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
            cb_kwargs={
                "facets": facets,
                "offset": offset,
                "total": total,
                "received": received,
                "expected": expected,
            },
        )

    def parse_page(
        self,
        response: Response,
        facets: Facets,
        offset: int,
        total: int,
        received: int,
        expected: int = 0,
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
            if total == self.result_cap:
                yield from self.split(response, facets, data.get("facets"), jobs, expected)
                return
        covering = [split.seen for split in self.splits if _within(facets, split.facets)]
        yield from self.entries(jobs, self.list_entry, _posting_id, covering)
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
            self.finish()

    def split(
        self, response: Response, facets: Facets, offered: Any, jobs: list[Any], expected: int
    ) -> Iterator[scrapy.Request]:
        """Replace a search at the cap by one search per value of a facet covering it."""
        values = {
            name: [(value, count) for value, count in found if count > 0]
            for name, found in _facet_values(offered).items()
            if name not in facets
        }
        sums = {name: sum(count for _, count in found) for name, found in values.items()}
        least = max(self.result_cap, expected, *sums.values())
        order = [*SPLIT_FACETS, *(name for name in values if name not in SPLIT_FACETS)]
        name = next((n for n in order if sums.get(n, 0) >= least), None)
        if name is None:
            self.listing.fail(
                f"{response.url} {facets}: at least {least:,} postings, and the search cannot "
                f"be split under the {self.result_cap:,} cap by any facet left that covers "
                f"them all (facet counts: {sums})"
            )
            return
        needed = max(self.result_cap, expected, *(s for n, s in sums.items() if n != name))
        sample = {path for job in jobs if (path := _external_path(job))}
        self.splits.append(_Split(facets, name, needed, sample))
        self.crawler.stats.inc_value("jobcrawler/workday/splits")
        self.open_searches += len(values[name]) - 1
        for value, count in values[name]:
            yield self.search_request({**facets, name: [value]}, 0, expected=count)

    def finish(self) -> None:
        """Every search was read: the listing is complete unless a split lost postings."""
        for split in self.splits:
            problem = split.problem()
            if problem:
                self.listing.fail(f"{self.cxs_url}/jobs {split.facets}: {problem}")
        self.listing.done()

    def list_entry(self, job: Any, covering: list[set[str]]) -> Iterator[scrapy.Request]:
        """The detail request of a new or changed posting; `covering` are the `seen` sets
        of the split searches this page belongs to."""
        path = _external_path(job)
        if path is None:
            self.crawler.stats.inc_value("jobcrawler/workday/no_path")
            return
        for seen in covering:
            seen.add(path)
        if path in self.seen_paths:  # in several partitions (postings with many locations)
            self.crawler.stats.inc_value("jobcrawler/workday/repeated")
            return
        self.seen_paths.add(path)
        external_id = _path_id(path)
        stable = {key: value for key, value in job.items() if key != "postedOn"}
        if self.needs_detail(external_id, stable):
            yield self.detail_request(
                self.cxs_url + path, self.parse_detail, external_id, cb_kwargs={"job": job}
            )

    def parse_detail(self, response: Response, job: dict[str, Any]) -> Iterator[JobPosting]:
        data = detail_json(self, response)
        if data is not None:
            external_id = response.meta["external_id"]
            yield from self.detail_entry(response, self.parse_posting, data, job, external_id)

    def parse_posting(
        self, data: dict[str, Any], job: dict[str, Any], external_id: str
    ) -> JobPosting:
        """A posting from its detail (`data`) and its list entry (`job`)."""
        info = as_dict(data.get("jobPostingInfo"))
        careers_url = (self.company.keys.careers_url or "").rstrip("/")
        url = info.get("externalUrl") or careers_url + job["externalPath"]
        locations = [info.get("location"), *(info.get("additionalLocations") or [])]
        locations = [loc for loc in locations if loc]
        requisition = as_dict(as_dict(info.get("jobRequisitionLocation")).get("country"))
        return self.posting(
            external_id=external_id,
            title=info.get("title") or job.get("title"),
            url=url,
            apply_url=url,
            location="; ".join(locations) or job.get("locationsText"),
            locations=locations,
            country=requisition.get("alpha2Code") or as_dict(info.get("country")).get("descriptor"),
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


def _external_path(job: Any) -> str | None:
    path = job.get("externalPath") if isinstance(job, dict) else None
    return path if isinstance(path, str) and path.strip("/") else None


def _path_id(path: str) -> str:
    """A posting's id: the last segment of its `externalPath` (Workday's `jobPostingId`)."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def _posting_id(job: Any) -> str | None:
    path = _external_path(job)
    return _path_id(path) if path else None


def _within(facets: Facets, split: Facets) -> bool:
    """Whether a search with `facets` is one of the partitions (at any depth) of `split`."""
    return all(facets.get(name) == values for name, values in split.items())
