"""Breezy HR portal JSON: the whole board in one response, on the tenant's own host."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider


class BreezySpider(CompanySpider):
    """Breezy HR portals (`{board}.breezy.hr`).

    YAML: `board` (the portal subdomain); `base_url` replaces the tenant origin
    `https://{board}.breezy.hr`. `verbose=true` adds the descriptions; the salary is free
    text (read by the salary normalizer); `location.is_remote` is the only work-mode field.
    """

    platform = "breezy"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.listing_request(f"{self.base_url}/json?verbose=true", self.parse_positions)

    def parse_positions(self, response: Response) -> Iterator[JobPosting]:
        positions = self.listing_list(response)
        if positions is None:
            return
        yield from self.entries(positions, self.parse_position, "id")
        self.listing.done()

    def parse_position(self, position: dict[str, Any]) -> JobPosting:
        primary = position.get("location") or {}
        names = [_name(loc) for loc in position.get("locations") or [] if isinstance(loc, dict)]
        names = [n for n in dict.fromkeys(names) if n]
        return self.posting(
            external_id=position.get("id"),
            title=position.get("name"),
            url=position.get("url"),
            apply_url=position.get("url"),
            location="; ".join(names) or _name(primary) or None,
            locations=names,
            city=primary.get("city"),
            region=_named(primary.get("state")),
            country=_named(primary.get("country"), "id"),
            remote_type=True if primary.get("is_remote") else None,
            employment_type=_named(position.get("type")),
            department=position.get("department"),
            salary_text=position.get("salary") if isinstance(position.get("salary"), str) else None,
            posted_at=position.get("published_date"),
            description_html=position.get("description"),
        )


def _named(value: Any, key: str = "name") -> Any:
    """Breezy nests some values as `{id, name}`; plain strings pass through."""
    if isinstance(value, dict):
        return value.get(key) or value.get("name") or value.get("id")
    return value


def _name(location: dict[str, Any]) -> str:
    parts = (location.get("city"), _named(location.get("state")), _named(location.get("country")))
    return location.get("name") or ", ".join(p for p in parts if p)
