"""UKG Pro (UltiPro) job boards: a POSTed search in pages of 50, then one detail page each."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import JsonRequest, Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.ukg import parse_careers_url
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import detail_unread, place_text

#: The detail page hands the whole opportunity to this constructor in an inline script.
DETAIL_MARKER = "CandidateOpportunityDetail("
#: `JobLocationType` codes (the board's own translations): null is not set.
LOCATION_TYPES = {0: "hybrid", 1: "onsite", 2: "remote"}
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


class UKGSpider(CompanySpider):
    """UKG Pro Recruiting job boards (`recruiting.ultipro.com/{TENANT}/JobBoard/{guid}`).

    YAML: `careers_url` (the board URL; `recruiting2.ultipro.com`, `.ultipro.ca` and
    `{customer}.rec.pro.ukg.net` hosts too); `base_url` replaces its origin.

    The board's own front end POSTs `{"opportunitySearch": {"Top", "Skip", "QueryString",
    "OrderBy", "Filters"}, "matchCriteria": {...}}` to `JobBoardView/LoadSearchResults` and
    gets `{"opportunities": [...], "totalCount": N}`; pages of 50 are read until the
    postings received equal `totalCount` (a page of ids already seen, a missing total or
    a short count fails the listing). An unknown board GUID answers 200 with totalCount 0.
    List items carry `Id` (a GUID), `Title`, `RequisitionNumber`, `JobCategoryName`,
    `FullTime` (a boolean: full or part time), `PostedDate`, `BriefDescription` (a teaser),
    `JobLocationType` (0 hybrid, 1 on-site, 2 remote, null) and every place in
    `Locations[{LocalizedName, LocalizedDescription, Address{City, State{Code, Name},
    Country{Code (alpha-3), Name}}}]`. The full advert is only on the HTML page
    `OpportunityDetail?opportunityId={Id}`, whose inline script passes the whole
    opportunity as JSON to `new US.Opportunity.CandidateOpportunityDetail({...})`: it is
    fetched only for new or changed postings and adds `Description` (HTML),
    `JobBoardMemberships[].ExternalPostedDate` (the publication date; `PostedDate` is the
    requisition's creation) and `PayRange{PayRangeMinimum, PayRangeMaximum}` with
    `PayRangeCurrencyCode`, filled even when `PayRangeVisible` is false (then not shown,
    so not read). A closed posting's page answers 200 with the empty app shell (no
    marker) or `OpportunityIsClosed: true`: that is the per-posting check.
    """

    platform = "ukg"
    page_size = 50  # what the board's own front end asks for

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.board = parse_careers_url(self.company.keys.careers_url or "")
        self.seen_ids: set[str] = set()

    @property
    def board_url(self) -> str:
        assert self.board is not None
        return f"{self.base_url}/{quote(self.board.tenant)}/JobBoard/{quote(self.board.board)}"

    def detail_url(self, opportunity_id: str) -> str:
        return f"{self.board_url}/OpportunityDetail?opportunityId={quote(opportunity_id)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.board is None:
            self.listing.fail(f"careers_url {self.company.keys.careers_url!r} is no UKG board")
            return
        yield self.page_request(0)

    def page_request(self, skip: int) -> JsonRequest:
        body = {
            "opportunitySearch": {
                "Top": self.page_size,
                "Skip": skip,
                "QueryString": "",
                "OrderBy": [
                    {"Value": "postedDateDesc", "PropertyName": "PostedDate", "Ascending": False}
                ],
                "Filters": [],
            },
            "matchCriteria": {
                "PreferredJobs": [],
                "Educations": [],
                "LicenseAndCertifications": [],
                "Skills": [],
                "hasNoLicenses": False,
                "SkippedSkills": [],
            },
        }
        return JsonRequest(
            f"{self.board_url}/JobBoardView/LoadSearchResults",
            data=body,
            callback=self.parse_page,
            errback=self.listing_error,
            cb_kwargs={"skip": skip},
            dont_filter=True,
        )

    def parse_page(self, response: Response, skip: int) -> Iterator[scrapy.Request]:
        data = self.listing_json(response)
        if data is None:
            return
        found = data.get("opportunities") if isinstance(data, dict) else None
        total = data.get("totalCount") if isinstance(data, dict) else None
        if not isinstance(found, list) or isinstance(total, bool) or not isinstance(total, int):
            self.listing.fail(f"{response.url}: no 'opportunities' list and 'totalCount'")
            return
        ids = {str(o.get("Id")) for o in found if isinstance(o, dict) and o.get("Id")}
        if found and ids <= self.seen_ids:
            self.listing.fail(f"{response.url}: the page at Skip={skip} repeats postings")
            return
        self.seen_ids |= ids
        yield from self.entries(found, self.summary, "Id")
        received = skip + len(found)
        if found and received < total:
            yield self.page_request(received)
        elif received != total or len(self.seen_ids) != total:
            self.listing.fail(
                f"{response.url}: totalCount is {total} but {len(self.seen_ids)} postings came"
            )
        else:
            self.listing.done()

    def summary(self, summary: Any) -> scrapy.Request | None:
        opportunity_id = summary.get("Id") if isinstance(summary, dict) else None
        if not opportunity_id:
            # `entries` makes the listing partial: an unidentified posting can't be kept
            raise ValueError("opportunity without an Id")
        opportunity_id = str(opportunity_id)
        if not self.needs_detail(opportunity_id, summary):
            return None
        return self.detail_request(
            self.detail_url(opportunity_id),
            self.parse_detail,
            opportunity_id,
            headers={"Accept": HTML_ACCEPT},
            cb_kwargs={"summary": summary},
        )

    def parse_detail(self, response: Response, summary: dict[str, Any]) -> Iterator[JobPosting]:
        detail = opportunity(response)
        if detail is None or detail.get("OpportunityIsClosed") is True:
            # closed since the listing, or not the page we know: keep the posting as it was
            detail_unread(self, response)
            return
        merged = {**summary, **{k: v for k, v in detail.items() if v is not None}}
        yield from self.detail_entry(response, self.parse_opportunity, merged)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request | None:
        if self.board is None:
            return None
        return scrapy.Request(self.detail_url(external_id), headers={"Accept": HTML_ACCEPT})

    def posting_gone(self, response: Response) -> bool:
        """The empty app shell (no opportunity) or a closed opportunity."""
        detail = opportunity(response)
        return detail is None or detail.get("OpportunityIsClosed") is True

    def parse_opportunity(self, job: dict[str, Any]) -> JobPosting:
        opportunity_id = str(job["Id"])
        places = [_place(as_dict(loc)) for loc in job.get("Locations") or []]
        places = [p for p in places if p[0]]
        first = places[0] if places else (None, None, None, None)
        url = self.detail_url(opportunity_id)
        pay = _pay(job)
        full_time = job.get("FullTime")
        return self.posting(
            external_id=opportunity_id,
            title=job.get("Title"),
            url=url,
            apply_url=url.replace("/OpportunityDetail?", "/OpportunityApply?"),
            location="; ".join(dict.fromkeys(p[0] for p in places)) or None,
            city=first[1],
            region=first[2],
            country=first[3],
            remote_type=_work_mode(job.get("JobLocationType")),
            employment_type=None
            if full_time is None
            else "Full-time"
            if full_time
            else "Part-time",
            department=job.get("JobCategoryName"),
            posted_at=_published(job) or job.get("PostedDate"),
            description_html=job.get("Description") or job.get("BriefDescription"),
            **pay,
        )


def opportunity(response: Response) -> dict[str, Any] | None:
    """The opportunity object the detail page's script hands to its view model, or None."""
    text = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
    at = text.find(DETAIL_MARKER)
    if at < 0:
        return None
    start = text.find("{", at + len(DETAIL_MARKER))
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("Id") else None


def _place(location: dict[str, Any]) -> tuple[str | None, str | None, str | None, str | None]:
    """(text, city, region, country) of one `Locations` entry.

    A state code is only unambiguous in the USA ("WA" is also Western Australia): other
    countries' regions are read by name.
    """
    address = as_dict(location.get("Address"))
    state, country = as_dict(address.get("State")), as_dict(address.get("Country"))
    country_code = country.get("Code")
    region = state.get("Code") if country_code in ("USA", "US") else None
    region = region or state.get("Name") or state.get("Code")
    city = address.get("City")
    text = place_text([city, region, country.get("Name") or country_code])
    if not city:
        text = location.get("LocalizedName") or location.get("LocalizedDescription") or text
    return text, city, region, country_code or country.get("Name")


def _work_mode(value: Any) -> str | None:
    """`JobLocationType` as a number or a numeric string; null or unknown: not set."""
    try:
        return LOCATION_TYPES.get(int(value)) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _published(job: dict[str, Any]) -> str | None:
    """The board's publication date (`ExternalPostedDate` of an external membership)."""
    for membership in job.get("JobBoardMemberships") or []:
        membership = as_dict(membership)
        if membership.get("PublishedExternal") is not False and membership.get(
            "ExternalPostedDate"
        ):
            return str(membership["ExternalPostedDate"])
    return None


def _pay(job: dict[str, Any]) -> dict[str, Any]:
    """Salary fields of a visible `PayRange` (amounts may be strings like "115000.00")."""
    pay = as_dict(job.get("PayRange"))
    if job.get("PayRangeVisible") is not True or not pay:
        return {}
    low, high = _number(pay.get("PayRangeMinimum")), _number(pay.get("PayRangeMaximum"))
    if low is None and high is None:
        return {}
    top = high if high is not None else low
    return {
        "salary_min": low,
        "salary_max": high,
        "salary_currency": job.get("PayRangeCurrencyCode"),
        # no period field: an amount under 500 is a rate per hour
        "salary_period": "hour" if top is not None and top < 500 else "year",
    }


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None
