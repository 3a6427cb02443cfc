"""Oracle Recruiting Cloud Candidate Experience: requisition pages, then a detail per new posting."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from html import escape
from typing import Any

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.oracle import parse_careers_url
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import detail_json

API = "/hcmRestApi/resources/latest"
#: `WorkplaceTypeCode` values (the label `WorkplaceType` is the tenant's own wording).
WORKPLACE_CODES = {"ORA_ON_SITE": "onsite", "ORA_REMOTE": "remote", "ORA_HYBRID": "hybrid"}
#: Detail fields that make up the advert, with the heading each gets after the first.
SECTIONS = (
    ("ExternalDescriptionStr", None),
    ("ExternalResponsibilitiesStr", "Responsibilities"),
    ("ExternalQualificationsStr", "Qualifications"),
)


class OracleSpider(CompanySpider):
    """Oracle Recruiting Cloud sites (`{pod}.fa.{dc}.oraclecloud.com/hcmUI/CandidateExperience/en/sites/{site}`).

    YAML: `careers_url` (the site; the pod origin and the site number, `CX_1`, `CX_1001`,
    or a name, come from it); `base_url` replaces the pod origin. The pod host says
    nothing of the company (`eeho.fa.us2.oraclecloud.com` is Oracle itself).

    The list is the REST resource `recruitingCEJobRequisitions` with everything in the
    `finder` matrix parameter (`findReqs;siteNumber=CX_1,limit=..,offset=..,sortBy=..`),
    not in the query. The payload nests one level deeper than most: `items` holds ONE
    search row whose `requisitionList` are the postings and whose `TotalJobsCount` is the
    site's real total (the outer `count`/`hasMore` describe the one search row, not the
    postings). Paging advances by what a page held (a pod may serve fewer than `limit`)
    until the distinct postings received equal `TotalJobsCount`; an empty or missing page
    before that fails the listing. Sorted by posting date so pages don't reshuffle.

    List rows give `Id`, `Title`, `PostedDate` (a bare date), `PrimaryLocation`,
    `PrimaryLocationCountry` (a code), `secondaryLocations[].Name` (when expanded),
    `WorkplaceTypeCode` (`ORA_ON_SITE`/`ORA_REMOTE`/`ORA_HYBRID`; the `WorkplaceType`
    label is tenant wording), `JobSchedule` ("Full time"), `JobFamily`, `Department`,
    and a `ShortDescriptionStr` teaser, never the advert. The advert is in the detail,
    `recruitingCEJobRequisitionDetails` (plural; `finder=ById;Id="{id}",siteNumber=..`,
    `expand=all`): fields flat on `items[0]`, split over `ExternalDescriptionStr`,
    `ExternalResponsibilitiesStr` and `ExternalQualificationsStr` (which are filled varies
    by tenant, and some repeat one text in all three: repeats are dropped), with
    `ExternalPostedStartDate` (ISO timestamp). No salary field. The detail is fetched
    only for new or changed postings. A closed posting's detail answers 200 with an
    empty `items` list: that is how a missing posting is verified gone. Job pages
    (`.../sites/{site}/job/{Id}`) are a JavaScript shell.
    """

    platform = "oracle"
    page_size = 100

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = parse_careers_url(self.company.keys.careers_url or "")
        self.seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.site is None:
            self.listing.fail(
                f"careers_url {self.company.keys.careers_url!r} is not an Oracle Candidate "
                "Experience site"
            )
            return
        yield self.page_request(0)

    def page_request(self, offset: int) -> scrapy.Request:
        assert self.site is not None
        finder = (
            f"findReqs;siteNumber={self.site.site},limit={self.page_size},offset={offset},"
            "sortBy=POSTING_DATES_DESC"
        )
        url = (
            f"{self.base_url}{API}/recruitingCEJobRequisitions?onlyData=true"
            f"&expand=requisitionList.secondaryLocations&finder={finder}"
        )
        return self.listing_request(url, self.parse_page, cb_kwargs={"offset": offset})

    def detail_url(self, external_id: str) -> str:
        assert self.site is not None
        finder = f'ById;Id="{external_id}",siteNumber={self.site.site}'
        return (
            f"{self.base_url}{API}/recruitingCEJobRequisitionDetails?expand=all&onlyData=true"
            f"&finder={finder}"
        )

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request | None:
        return self.json_request(self.detail_url(external_id)) if self.site else None

    def posting_gone(self, response: Response) -> bool:
        """A closed requisition's detail is `{"items": [], "count": 0}`."""
        try:
            data = json.loads(response.body)
        except ValueError:
            return False
        return isinstance(data, dict) and data.get("items") == []

    def parse_page(self, response: Response, offset: int) -> Iterator[scrapy.Request]:
        data = self.listing_json(response)
        if data is None:
            return
        search = as_dict((as_dict(data).get("items") or [None])[0])
        rows, total = search.get("requisitionList"), search.get("TotalJobsCount")
        if not isinstance(rows, list) or isinstance(total, bool) or not isinstance(total, int):
            self.listing.fail(
                f"{response.url}: no 'items[0].requisitionList' and 'TotalJobsCount' in the response"
            )
            return
        new = [row for row in rows if _row_id(row) not in self.seen]
        yield from self.entries(rows, self.list_entry, _row_id)
        if len(self.seen) >= total:
            if len(self.seen) > total:
                self.listing.fail(
                    f"{response.url}: TotalJobsCount is {total} but {len(self.seen)} came"
                )
            else:
                self.listing.done()
        elif not new:
            self.listing.fail(
                f"{response.url}: TotalJobsCount is {total} but only {len(self.seen)} postings came"
            )
        else:
            yield self.page_request(offset + len(rows))

    def list_entry(self, row: Any) -> Iterator[scrapy.Request]:
        external_id = _row_id(row)
        if external_id is None:
            raise ValueError("requisition without an Id")
        if external_id in self.seen:
            return
        self.seen.add(external_id)
        if self.needs_detail(external_id, row):
            yield self.detail_request(
                self.detail_url(external_id), self.parse_detail, external_id, cb_kwargs={"row": row}
            )

    def parse_detail(self, response: Response, row: dict[str, Any]) -> Iterator[JobPosting]:
        data = detail_json(self, response)
        if data is None:
            return
        items = data.get("items")
        detail = items[0] if isinstance(items, list) and items else None
        if not isinstance(detail, dict):  # closed since the list was read: keep it as seen
            self.listing.seen_without_item.add(response.meta["external_id"])
            self.crawler.stats.inc_value("jobcrawler/details/empty")
            return
        yield from self.detail_entry(response, self.parse_posting, {**row, **detail})

    def parse_posting(self, job: dict[str, Any]) -> JobPosting:
        """A posting from a list row merged with its detail (detail fields win)."""
        assert self.site is not None
        external_id = _row_id(job)
        url = f"{self.site.url}/job/{external_id}"
        return self.posting(
            external_id=external_id,
            title=job.get("Title"),
            url=url,
            apply_url=url,
            location=_locations(job),
            country=job.get("PrimaryLocationCountry"),
            remote_type=WORKPLACE_CODES.get(str(job.get("WorkplaceTypeCode") or "").upper())
            or job.get("WorkplaceType"),
            employment_type=job.get("JobSchedule") or job.get("ContractType"),
            department=job.get("Department") or job.get("JobFamily") or job.get("Organization"),
            team=job.get("JobFunction"),
            posted_at=job.get("ExternalPostedStartDate") or job.get("PostedDate"),
            description_html=_description(job),
        )


def _row_id(row: Any) -> str | None:
    value = row.get("Id") if isinstance(row, dict) else None
    return (
        str(value)
        if isinstance(value, str | int) and not isinstance(value, bool) and value != ""
        else None
    )


def _locations(job: dict[str, Any]) -> str | None:
    """The primary location, then every secondary one (repeats dropped), `; `-joined."""
    names = [job.get("PrimaryLocation")]
    names += [as_dict(loc).get("Name") for loc in job.get("secondaryLocations") or []]
    cleaned = (n.strip() for n in names if isinstance(n, str))
    return "; ".join(dict.fromkeys(n for n in cleaned if n)) or None


def _description(job: dict[str, Any]) -> str | None:
    """The advert sections that are set, each text once; the teaser when there is none."""
    parts: list[str] = []
    seen: set[str] = set()
    for key, heading in SECTIONS:
        text = job.get(key)
        if not isinstance(text, str) or not text.strip() or text.strip() in seen:
            continue
        seen.add(text.strip())
        if heading and parts:
            parts.append(f"<h3>{escape(heading, quote=False)}</h3>")
        parts.append(text)
    teaser = job.get("ShortDescriptionStr")
    return "\n".join(parts) or (teaser if isinstance(teaser, str) and teaser.strip() else None)
