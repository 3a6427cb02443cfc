"""Comeet Careers API 2.0: every position of a company, details included, in one response."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider


class ComeetSpider(CompanySpider):
    """Comeet companies (`www.comeet.com/jobs/{company}/{uid}`, or a careers page widget).

    YAML: `board` (the company UID, e.g. `30.005`) and `token` (the public token the careers
    page passes to `COMEET.init`); `base_url` replaces `https://www.comeet.co`. A wrong
    token answers an HTTP error, so the listing fails and nothing is removed.
    `workplace_type` wins over the deprecated `location.is_remote` (set on hybrid jobs
    too); the description is the `details[]` sections in their `order`, under their names.
    A missing position is checked at `.../positions/{uid}?token=` (404 when gone).
    """

    platform = "comeet"

    @property
    def positions_url(self) -> str:
        return (
            f"{self.base_url}/careers-api/2.0/company/{quote(self.company.board or '')}/positions"
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        query = urlencode({"token": self.company.keys.token or "", "details": "true"})
        yield self.listing_request(f"{self.positions_url}?{query}", self.parse_positions)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        query = urlencode({"token": self.company.keys.token or ""})
        return self.json_request(f"{self.positions_url}/{quote(external_id)}?{query}")

    def parse_positions(self, response: Response) -> Iterator[JobPosting]:
        positions = self.listing_json(response)
        if positions is None:
            return
        if not isinstance(positions, list):
            message = positions.get("message") if isinstance(positions, dict) else None
            self.listing.fail(f"{response.url}: expected a JSON list of positions ({message})")
            return
        yield from self.entries(positions, self.parse_position, "uid")
        self.listing.done()

    def parse_position(self, position: dict[str, Any]) -> JobPosting:
        location = position.get("location") or {}
        hosted = position.get("url_comeet_hosted_page")
        workplace = position.get("workplace_type")
        return self.posting(
            external_id=position.get("uid"),
            title=position.get("name"),
            url=position.get("url_active_page") or hosted,
            apply_url=hosted or position.get("url_active_page"),
            location=location.get("name"),
            city=location.get("city"),
            region=location.get("state"),
            country=location.get("country"),
            remote_type=workplace or (True if location.get("is_remote") else None),
            employment_type=position.get("employment_type"),
            department=position.get("department"),
            posted_at=position.get("time_updated"),
            description_html=_details_html(position.get("details")),
        )


def _details_html(details: Any) -> str | None:
    """The sections sorted by `order` (the array order is not guaranteed), each titled."""
    if not isinstance(details, list):
        return None
    sections = sorted(
        (d for d in details if isinstance(d, dict) and d.get("value")),
        key=lambda d: d.get("order") if isinstance(d.get("order"), int | float) else float("inf"),
    )
    parts = []
    for section in sections:
        if section.get("name"):
            parts.append(f"<h3>{escape(str(section['name']))}</h3>")
        parts.append(str(section["value"]))
    return "\n".join(parts) or None
