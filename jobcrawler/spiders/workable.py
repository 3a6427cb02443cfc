"""Workable widget API: the whole account in one response, one row per job location."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider


class WorkableSpider(CompanySpider):
    """Workable accounts (`apply.workable.com/{board}`, `{board}.workable.com`).

    YAML: `board` (the account subdomain); `base_url` replaces `https://apply.workable.com`.
    The widget lists a job once PER LOCATION, every row with the same `shortcode`: rows are
    merged into one posting per shortcode carrying all its locations (after the whole
    response was read, so rows need not be adjacent); `telecommuting: true` means remote.
    A missing job is checked at `/api/v2/accounts/{board}/jobs/{shortcode}` (404 when gone).
    """

    platform = "workable"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        account = quote(self.company.board or "")
        url = f"{self.base_url}/api/v1/widget/accounts/{account}?details=true"
        yield self.listing_request(url, self.parse_account)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        account = quote(self.company.board or "")
        return self.json_request(
            f"{self.base_url}/api/v2/accounts/{account}/jobs/{quote(external_id)}"
        )

    def parse_account(self, response: Response) -> Iterator[JobPosting]:
        jobs = self.listing_list(response, "jobs")
        if jobs is None:
            return
        by_shortcode: dict[Any, list[dict[str, Any]]] = {}
        for n, row in enumerate(r for r in jobs if isinstance(r, dict)):
            # rows without a shortcode cannot be matched: each stays its own (invalid) item
            by_shortcode.setdefault(row.get("shortcode") or ("row", n), []).append(row)
        merged = sum(len(rows) - 1 for rows in by_shortcode.values())
        if merged:
            self.crawler.stats.inc_value("jobcrawler/workable/merged_rows", merged)
        yield from self.entries(by_shortcode.values(), self.parse_job, _shortcode)
        self.listing.done()

    def parse_job(self, rows: list[dict[str, Any]]) -> JobPosting:
        """One posting from the rows of one shortcode; the first row gives everything else."""
        job = rows[0]
        places = [place for row in rows for place in _places(row)]
        locations = [loc for loc in dict.fromkeys(map(_place_text, places)) if loc]
        first = places[0] if places else {}
        return self.posting(
            external_id=job.get("shortcode"),
            title=job.get("title"),
            url=job.get("url") or job.get("shortlink"),
            apply_url=job.get("application_url"),
            location="; ".join(locations) or None,
            locations=locations,
            city=first.get("city"),
            region=first.get("region"),
            country=first.get("code") or first.get("country"),
            remote_type=True if any(row.get("telecommuting") is True for row in rows) else None,
            employment_type=job.get("employment_type"),
            department=job.get("department"),
            posted_at=job.get("published_on") or job.get("created_at"),
            description_html=job.get("description"),
        )


def _shortcode(rows: list[dict[str, Any]]) -> Any:
    return rows[0].get("shortcode")


def _places(row: dict[str, Any]) -> list[dict[str, str | None]]:
    """The places of a row: its visible `locations[]`, else its own country/state/city."""
    places = [
        {
            "city": loc.get("city") or None,
            "region": loc.get("region") or None,
            "country": loc.get("country") or None,
            "code": loc.get("countryCode") or None,
        }
        for loc in row.get("locations") or []
        if isinstance(loc, dict) and not loc.get("hidden")
    ]
    if places:
        return places
    own = {
        "city": row.get("city") or None,
        "region": row.get("state") or None,
        "country": row.get("country") or None,
    }
    return [own] if any(own.values()) else []


def _place_text(place: dict[str, str | None]) -> str:
    parts = (place.get("city"), place.get("region"), place.get("country"))
    return ", ".join(dict.fromkeys(part for part in parts if part))
