"""Taleo career sections: the portal number from the page, the REST job board search, job pages."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

import scrapy
from scrapy.http import JsonRequest, Response

from jobcrawler.items import JobPosting
from jobcrawler.platforms.taleo import parse_careers_url
from jobcrawler.spiders.base import CompanySpider, as_dict

_PORTAL = re.compile(r"""portal(?:No|Id)?["']?\s*(?:=|:)\s*["']?(\d{3,})""")
_FILL_LIST = re.compile(
    r"""api\.fillList\(\s*'requisitionDescriptionInterface'\s*,\s*'descRequisition'\s*,\s*\["""
)
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'")
#: A location code's hierarchy separator: a hyphen between two non-spaces ("US-TX-Austin"),
#: not a spaced dash ("Remote - Canada").
_LEVEL = re.compile(r"(?<=\S)-(?=\S)")
_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%d.%m.%Y")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
MARK = "!*!"  # Taleo's prefix of a rich-text (percent-encoded HTML) field
#: Job schedule / type values sections show as a cell of the job page.
SCHEDULES = {
    "full-time", "full time", "fulltime", "part-time", "part time", "parttime", "temporary",
    "contract", "contractor", "internship", "intern", "seasonal", "casual", "permanent",
    "fixed term", "fixed-term", "regular", "regular full-time", "regular part-time",
}  # fmt: skip


class TaleoSpider(CompanySpider):
    """Taleo career sections (`{tenant}.taleo.net/careersection/{section}/jobsearch.ftl`).

    YAML: `careers_url` (the section; a tenant runs several, there is no default one:
    `2`, `ex`, `us_hotel_ext`); `base_url` replaces the tenant origin. `lang` in the URL
    is kept (`en`, `fr_FR`).

    The search page is a JavaScript shell. Its rows come from a JSON POST to
    `/careersection/rest/jobboard/searchjobs?lang=..&portal={n}`, whose `portal` number is
    written nowhere but in the page (so each crawl reads the page first; older, unfaceted
    sections have none and fail clearly). The POST needs a `tz` header (else HTTP 500 "An
    Error Occurred in TEE"), nothing else. The answer: `requisitionList` rows of `jobId`,
    `contestNo` (the requisition number job URLs use: the external id) and `column`, the
    section's configured columns WITHOUT names; `linkedColumn` points at the title and
    `locationsColumns` at location cells, each a JSON array serialised into a string of
    hyphenated hierarchies, biggest first (`["US-TX-Austin"]`), turned into "Austin, TX,
    US". The date is whichever other cell parses as a date ("Aug 24, 2026", "13-Aug-26").
    `pagingData` has `totalCount` and `pageSize`, but a page size sent is ignored (25
    served) and echoed, and a page past the end repeats the last page. The listing ends
    when the distinct requisitions reach `totalCount`; as some sections overstate it
    (TfL: 3, serving 1), a short page is followed by one more request, and that page
    repeating the short one is the end. A full page repeating, or none new, fails.
    No work-mode, department or salary fields; the RSS feed stops at 11 items.

    Detail pages (`jobdetail.ftl?job={contestNo}`, fetched for new or changed rows) carry
    the advert as percent-encoded, `!*!`-marked strings in the JavaScript call
    `api.fillList('requisitionDescriptionInterface', 'descRequisition', [...])`, at
    positions that vary per section: every marked string is read, in order. The same
    list holds plain cells (department, location, schedule, dates) without names; a cell
    that is exactly a schedule word ("Full-time") is the employment type. Closed
    postings have no reliable answer, so a missing posting is removed on the second
    complete crawl that misses it.
    """

    platform = "taleo"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = parse_careers_url(self.company.keys.careers_url or "")
        self.seen: set[str] = set()
        #: Whether the last page with new requisitions held fewer than `pageSize`.
        self.short_page = False

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.section is None:
            self.listing.fail(
                f"careers_url {self.company.keys.careers_url!r} is not a Taleo career section"
            )
            return
        yield self.listing_request(
            f"{self.section_url}/jobsearch.ftl?lang={self.section.lang}",
            self.parse_board,
            headers={"Accept": "text/html"},
        )

    @property
    def section_url(self) -> str:
        assert self.section is not None
        return f"{self.base_url}/careersection/{quote(self.section.section)}"

    def parse_board(self, response: Response) -> Iterator[scrapy.Request]:
        found = _PORTAL.search(response.text)
        if found is None:
            self.listing.fail(
                f"{response.url}: no portal number on the career section page (an older "
                "section without the REST job board, or not a career section)"
            )
            return
        yield self.search_request(found[1], 1)

    def search_request(self, portal: str, page: int) -> JsonRequest:
        assert self.section is not None
        body = {
            "multilineEnabled": False,
            "sortingSelection": {"sortBySelectionParam": "3", "ascendingSortingOrder": "false"},
            "fieldData": {"fields": {"KEYWORD": "", "LOCATION": ""}, "valid": True},
            "filterSelectionParam": {"searchFilterSelections": []},
            "advancedSearchFiltersSelectionParam": {"searchFilterSelections": []},
            "pageNo": page,
        }
        return JsonRequest(
            f"{self.base_url}/careersection/rest/jobboard/searchjobs?lang={self.section.lang}"
            f"&portal={portal}",
            data=body,
            headers={"tz": "GMT+00:00", "tzname": "UTC", "X-Requested-With": "XMLHttpRequest"},
            callback=self.parse_page,
            errback=self.listing_error,
            cb_kwargs={"portal": portal, "page": page},
        )

    def parse_page(self, response: Response, portal: str, page: int) -> Iterator[scrapy.Request]:
        data = self.listing_json(response)
        if data is None:
            return
        rows = as_dict(data).get("requisitionList")
        paging = as_dict(as_dict(data).get("pagingData"))
        total, size = paging.get("totalCount"), paging.get("pageSize")
        if not isinstance(rows, list) or not _count(total) or not _count(size) or size < 1:
            self.listing.fail(
                f"{response.url} page {page}: no 'requisitionList' with 'pagingData' "
                "totalCount and pageSize in the response"
            )
            return
        new = {i for row in rows if (i := _row_id(row)) is not None} - self.seen
        yield from self.entries(rows, self.list_entry, _row_id)
        if len(self.seen) >= total:
            self.listing.done()
        elif new:
            self.short_page = len(rows) < size
            yield self.search_request(portal, page + 1)
        elif page > 1 and self.short_page:  # past a short last page: it came again
            self.crawler.stats.inc_value("jobcrawler/taleo/total_overstated")
            self.listing.done()
        else:
            self.listing.fail(
                f"{response.url} page {page}: totalCount is {total} but "
                f"{len(self.seen)} requisitions came, and a full page repeated"
            )

    def list_entry(self, row: Any) -> Iterator[scrapy.Request]:
        external_id = _row_id(row)
        if external_id is None:
            raise ValueError("requisition without contestNo or jobId")
        if external_id in self.seen:
            return
        self.seen.add(external_id)
        if self.needs_detail(external_id, row):
            assert self.section is not None
            yield self.detail_request(
                self.job_url(external_id),
                self.parse_detail,
                external_id,
                headers={"Accept": "text/html"},
                cb_kwargs={"row": row},
            )

    def job_url(self, external_id: str) -> str:
        assert self.section is not None
        return f"{self.section_url}/jobdetail.ftl?job={quote(external_id)}&lang={self.section.lang}"

    def parse_detail(self, response: Response, row: dict[str, Any]) -> Iterator[JobPosting]:
        yield from self.detail_entry(response, self.parse_posting, row, response.text)

    def parse_posting(self, row: dict[str, Any], page: str) -> JobPosting:
        """A posting from its list row and the text of its job page."""
        assert self.section is not None
        external_id = _row_id(row) or ""
        cells = row.get("column")
        cells = cells if isinstance(cells, list) else []
        linked = row.get("linkedColumn")
        title_at = linked if isinstance(linked, int) and 0 <= linked < len(cells) else 0
        places = [cells[i] for i in _indexes(row.get("locationsColumns"), len(cells))]
        others = [c for n, c in enumerate(cells) if n != title_at and c not in places]
        title = _text(cells[title_at]) if cells else None
        fields = _fill_list(page)
        url = (
            f"{self.section.origin}/careersection/{quote(self.section.section)}/jobdetail.ftl"
            f"?job={quote(external_id)}&lang={self.section.lang}"
        )
        return self.posting(
            external_id=external_id,
            title=title,
            url=url,
            apply_url=url,
            location="; ".join(dict.fromkeys(p for c in places for p in _places(c))) or None,
            posted_at=next((d for c in others if (d := _date(c))), None),
            employment_type=_schedule(fields, title),
            description_html=_advert(fields),
        )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _row_id(row: Any) -> str | None:
    row = as_dict(row)
    value = row.get("contestNo") or row.get("jobId")
    return (
        str(value).strip() or None
        if isinstance(value, str | int) and not isinstance(value, bool)
        else None
    )


def _indexes(value: Any, size: int) -> list[int]:
    found = value if isinstance(value, list) else []
    return [i for i in found if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < size]


def _text(cell: Any) -> str | None:
    """A cell's text; some sections send titles with HTML entities ("R&amp;D")."""
    return html.unescape(cell).strip() or None if isinstance(cell, str) else None


def _places(cell: Any) -> list[str]:
    """`'["US-TX-Austin","CA-ON-Toronto"]'` -> ["Austin, TX, US", "Toronto, ON, CA"]."""
    if not isinstance(cell, str) or not cell.strip():
        return []
    try:
        codes = json.loads(cell) if cell.lstrip().startswith("[") else [cell]
    except ValueError:
        codes = [cell]
    places = []
    for code in codes if isinstance(codes, list) else []:
        if isinstance(code, str) and code.strip():
            levels = [level.strip() for level in _LEVEL.split(code.strip(), maxsplit=2)]
            places.append(", ".join(reversed([lv for lv in levels if lv])))
    return places


def _date(cell: Any) -> str | None:
    """An ISO date from a Taleo date cell ("Aug 24, 2026", "13-Aug-26", "08/19/2026")."""
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    if slashed := _SLASHED.match(text):
        first, second, year = map(int, slashed.groups())
        month, day = (second, first) if first > 12 else (first, second)  # US order unless not
        try:
            return datetime(year, month, day).date().isoformat()
        except ValueError:
            return None
    return None


def _fill_list(page: str) -> list[str]:
    """The strings of the page's `descRequisition` list, unescaped, in order."""
    start = _FILL_LIST.search(page)
    if start is None:
        return []
    cells = []
    at = start.end()
    while True:
        while at < len(page) and page[at] in " \t\r\n,":
            at += 1
        match = _JS_STRING.match(page, at)
        if match is None:  # `]` or anything else ends the list
            return cells
        at = match.end()
        cells.append(re.sub(r"\\(.)", r"\1", match[1]))


def _advert(cells: list[str]) -> str | None:
    """The `!*!`-marked, percent-encoded rich-text cells: description, qualifications."""
    parts: list[str] = []
    for cell in cells:
        text = unquote(cell[len(MARK) :]).strip() if cell.startswith(MARK) else ""
        if text and text not in parts:
            parts.append(text)
    return "\n".join(parts) or None


def _schedule(cells: list[str], title: str | None) -> str | None:
    """The plain cell that is a schedule word ("Full-time"): its position varies per
    section, so only a whole cell from the known words counts, never the title."""
    return next((c for c in cells if c.strip().casefold() in SCHEDULES and c != title), None)
