"""Recruitee Careers Site API: the whole board in one response, on the tenant's own host."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider


class RecruiteeSpider(CompanySpider):
    """Recruitee careers sites (`{board}.recruitee.com`).

    YAML: `board` (the careers-site subdomain); `base_url` replaces the tenant origin
    `https://{board}.recruitee.com` (a custom careers domain such as `https://jobs.acme.com`
    serves the same API). Offers whose `status` is not "published" are skipped; the
    `remote`/`hybrid`/`on_site` booleans give the work mode; salary amounts are strings;
    the description is `description` followed by `requirements`. A missing offer is
    checked at `/api/offers/{id}` (404 when gone; an unpublished offer counts as gone).
    """

    platform = "recruitee"

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        return self.json_request(f"{self.base_url}/api/offers/{quote(external_id)}")

    def posting_gone(self, response: Response) -> bool:
        try:
            data = response.json()
        except (AttributeError, ValueError):  # not JSON: no evidence it is gone
            return False
        offer = data.get("offer") if isinstance(data, dict) else None
        return isinstance(offer, dict) and offer.get("status", "published") != "published"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.listing_request(f"{self.base_url}/api/offers/", self.parse_offers)

    def parse_offers(self, response: Response) -> Iterator[JobPosting]:
        offers = self.listing_list(response, "offers")
        if offers is None:
            return
        yield from self.entries(offers, self.parse_offer, "id")
        self.listing.done()

    def parse_offer(self, offer: dict[str, Any]) -> JobPosting | None:
        if offer.get("status", "published") != "published":
            self.crawler.stats.inc_value("jobcrawler/recruitee/unpublished")
            return None
        salary = offer.get("salary") or {}
        places = [_place(loc) for loc in offer.get("locations") or [] if isinstance(loc, dict)]
        places = [p for p in dict.fromkeys(places) if p]
        return self.posting(
            external_id=offer.get("id"),
            title=offer.get("title"),
            url=offer.get("careers_url"),
            apply_url=offer.get("careers_apply_url") or offer.get("careers_url"),
            location="; ".join(places) if len(places) > 1 else offer.get("location") or None,
            locations=places if len(places) > 1 else None,
            city=offer.get("city"),
            region=offer.get("state_name"),
            country=offer.get("country_code") or offer.get("country"),
            remote_type=_work_mode(offer),
            employment_type=offer.get("employment_type_code"),
            department=offer.get("department"),
            salary_min=salary.get("min"),
            salary_max=salary.get("max"),
            salary_currency=salary.get("currency"),
            salary_period=salary.get("period"),
            posted_at=offer.get("published_at") or offer.get("created_at"),
            description_html="\n".join(
                part for part in (offer.get("description"), offer.get("requirements")) if part
            )
            or None,
        )


def _work_mode(offer: dict[str, Any]) -> str | None:
    """The three booleans; hybrid is the most specific when several are set."""
    for flag, mode in (("hybrid", "hybrid"), ("remote", "remote"), ("on_site", "onsite")):
        if offer.get(flag) is True:
            return mode
    return None


def _place(location: dict[str, Any]) -> str:
    parts = (location.get("city"), location.get("state"), location.get("country"))
    return ", ".join(dict.fromkeys(p for p in parts if p)) or location.get("name") or ""
