"""HRMDirect (ClearCompany) boards: server-rendered job tables, then one job page each."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider
from jobcrawler.spiders.details import detail_unread, us_date

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
#: More listing pages than this is a paging loop, not a board.
MAX_PAGES = 200
#: Column headings that hold a place (tenants choose their columns and their order).
_JOB_LINK = "contains(@href, 'job-opening.php')"
PLACE_HEADINGS = ("city", "cities", "state", "location", "job location", "locations")


def _text(node: Selector) -> str | None:
    return " ".join(" ".join(node.xpath(".//text()").getall()).split()) or None


def _first_text(node: Selector | Response, css: str) -> str | None:
    found = node.css(css)
    return _text(found[0]) if found else None


class HRMDirectSpider(CompanySpider):
    """HRMDirect boards (`{board}.hrmdirect.com/employment/job-openings.php`).

    YAML: `board` (the subdomain); `base_url` replaces `https://{board}.hrmdirect.com`.
    Without `search=true` the page is only a search form; with it, a server-rendered
    `<table class="reqResultTable">` whose rows (`<tr data-req-id="{req}">`) hold a
    `td.posTitle` link to `job-opening.php?req={req}&req_loc={place}` and the columns the
    tenant chose (headings such as City, State, Job Location, Department, Date as
    m/d/Y; the heading row is `th` cells or, on older boards, a first row of `td`s; older
    rows have no `data-req-id` and the link's `req` is the id). A posting in several
    places is one row per place with the same `req`: the rows are merged. Longer boards page through a "Next" link; the listing is complete
    when a page without one was read (a later page without rows, a cut-off page or a
    loop fails it; a first page without a table is an empty board). The job page
    (fetched for new or changed rows) gives `div.jobDesc` and labelled fields
    (`td.viewFieldLabel` "Location:", "Department:", "Position Type:", "Salary:"...).
    A closed job's page answer is not documented, so a missing posting is removed on
    the second complete crawl that misses it.
    """

    platform = "hrmdirect"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: set[str] = set()
        self.rows: dict[str, dict[str, Any]] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(f"{self.base_url}/employment/job-openings.php?search=true", 0)

    def page_request(self, url: str, number: int) -> scrapy.Request:
        self.pages.add(url)
        return self.listing_request(
            url,
            self.parse_page,
            headers={"Accept": HTML_ACCEPT},
            cb_kwargs={"number": number},
            dont_filter=True,
        )

    def parse_page(self, response: Response, number: int) -> Iterator[scrapy.Request]:
        if not isinstance(response, HtmlResponse) or not re.search(
            rb"</(?:html|body)\s*>", response.body[-4096:], re.IGNORECASE
        ):
            self.listing.fail(f"not a whole HTML page at {response.url}")
            return
        table = response.css("table.reqResultTable")
        rows = table.xpath(f".//tr[@data-req-id or .//a[{_JOB_LINK}]]") if table else []
        if not rows and number:
            self.listing.fail(f"listing page shows no postings at {response.url}")
            return
        heading_cells = table.xpath(".//tr[th][1]/th") or table.xpath(
            f".//tr[not(.//a[{_JOB_LINK}])][1]/td"
        )
        headings = [(_text(cell) or "").lower().rstrip(":") for cell in heading_cells]
        for row in rows:
            self.add_row(row, headings, response)
        next_url = _next_page(response)
        if next_url and next_url in self.pages:
            self.listing.fail(f"the Next link of {response.url} loops back to {next_url}")
        elif next_url and len(self.pages) >= MAX_PAGES:
            self.listing.fail(f"more than {MAX_PAGES} listing pages; stopped at {next_url}")
        elif next_url:
            yield self.page_request(next_url, number + 1)
        else:
            yield from self.entries(list(self.rows.values()), self.list_entry, "req")
            self.listing.done()

    def add_row(self, row: Selector, headings: list[str], response: Response) -> None:
        """One table row; a posting listed once per place keeps one entry with all places."""
        cells = row.xpath("./td")
        link = (
            row.css("td.posTitle a::attr(href)").get()
            or row.xpath(f".//a[{_JOB_LINK}]/@href").get()
        )
        # older boards' rows carry no data-req-id: the link's `req` is the same id
        req = (row.attrib.get("data-req-id") or _req(link) or "").strip()
        values = {headings[i]: _text(cell) for i, cell in enumerate(cells) if i < len(headings)}
        place = ", ".join(dict.fromkeys(v for h, v in values.items() if h in PLACE_HEADINGS and v))
        entry = self.rows.setdefault(
            req,
            {
                "req": req,
                "title": _first_text(row, "td.posTitle"),
                "url": response.urljoin(link) if link else None,
                "department": values.get("department") or values.get("departments"),
                "date": next(
                    (v for h, v in values.items() if ("date" in h or "posted" in h) and v), None
                ),
                "places": [],
            },
        )
        if place and place not in entry["places"]:
            entry["places"].append(place)

    def list_entry(self, entry: dict[str, Any]) -> scrapy.Request | None:
        if not entry["req"] or not entry["url"]:
            raise ValueError("a job row without a requisition id or link")
        if not self.needs_detail(entry["req"], entry):
            return None
        return self.detail_request(
            entry["url"],
            self.parse_detail,
            entry["req"],
            headers={"Accept": HTML_ACCEPT},
            cb_kwargs={"entry": entry},
        )

    def parse_detail(self, response: Response, entry: dict[str, Any]) -> Iterator[JobPosting]:
        if not isinstance(response, HtmlResponse) or not response.css(
            "div.jobDesc, td.viewFieldValue"
        ):
            # not a job page (closed since the list was read): keep the posting as stored
            detail_unread(self, response)
            return
        yield from self.detail_entry(response, self.parse_job, entry, response)

    def parse_job(self, entry: dict[str, Any], response: HtmlResponse) -> JobPosting:
        fields = _labelled_fields(response)
        locations = list(entry["places"])
        if not locations and fields.get("location"):
            locations = [fields["location"]]
        url = entry["url"]  # the first place's link (`req` and `req_loc`), as listed
        return self.posting(
            external_id=entry["req"],
            title=entry["title"] or _first_text(response, "h1, .jobTitle"),
            url=url,
            apply_url=url,
            location="; ".join(locations) or None,
            employment_type=fields.get("position type")
            or fields.get("employment type")
            or fields.get("job type")
            or fields.get("type"),
            department=entry["department"] or fields.get("department"),
            salary_text=fields.get("salary")
            or fields.get("pay range")
            or fields.get("compensation"),
            posted_at=us_date(entry["date"] or fields.get("date posted") or fields.get("posted")),
            description_html=response.css("div.jobDesc").get(),
        )


def _labelled_fields(response: HtmlResponse) -> dict[str, str]:
    """{"location": ..., "department": ...} from the job page's label/value cells."""
    fields: dict[str, str] = {}
    for value in response.css("td.viewFieldValue"):
        label = value.xpath("preceding-sibling::td[1]")
        name = (_text(label[0]) or "").lower().rstrip(": ") if label else ""
        text = _text(value)
        if name and text:
            fields.setdefault(name, text)
    return fields


def _req(link: str | None) -> str | None:
    """The `req` parameter of a job link."""
    return parse_qs(urlsplit(link).query).get("req", [None])[0] if link else None


def _next_page(response: Response) -> str | None:
    """The "Next" link to another listing page, if the page has one."""
    for link in response.xpath("//a[@href]"):
        words = (_text(link) or "").lower().strip("»› >")
        href = link.attrib["href"]
        if words in ("next", "next page") and "job-openings.php" in href:
            return response.urljoin(href)
    return None
