"""Lever Postings API: paged with skip/limit until a short page the next page confirms."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider, as_dict


class LeverSpider(CompanySpider):
    """Lever sites (`jobs.lever.co/{board}`; EU sites set `base_url: https://api.eu.lever.co`).

    YAML: `board` (the site name). Pages of `page_size` postings are requested until a
    short page; a page that repeats the previous one stops the crawl as incomplete.
    The API gives no total, so a short (or empty) page is no evidence of the end by
    itself: the next page is asked once more, and when it has postings the listing is
    incomplete (a page in the middle came back short).
    The description is Lever's `description` + `lists` + `additional`.
    A missing posting is checked at `/v0/postings/{board}/{id}` (404 when gone).
    """

    platform = "lever"
    page_size = 100

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0)

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request:
        board = quote(self.company.board or "")
        return self.json_request(f"{self.base_url}/v0/postings/{board}/{quote(external_id)}")

    def page_request(
        self, skip: int, first_id: str | None = None, short: tuple[int, int] | None = None
    ) -> scrapy.Request:
        """Page at `skip`; `short` = (skip, count) of the short page this one confirms."""
        query = urlencode({"mode": "json", "skip": skip, "limit": self.page_size})
        url = f"{self.base_url}/v0/postings/{quote(self.company.board or '')}?{query}"
        return self.listing_request(
            url,
            self.parse_page,
            cb_kwargs={"skip": skip, "previous_first_id": first_id, "short": short},
        )

    def parse_page(
        self,
        response: Response,
        skip: int,
        previous_first_id: str | None,
        short: tuple[int, int] | None = None,
    ) -> Iterator[JobPosting | scrapy.Request]:
        postings = self.listing_list(response)
        if postings is None:
            return
        first_id = as_dict(postings[0]).get("id") if postings else None
        if first_id is not None and first_id == previous_first_id:
            self.listing.fail(f"{response.url}: page repeats the previous page; paging ignored")
            return
        yield from self.entries(postings, self.parse_posting, "id")
        if short is not None:
            if postings:
                short_skip, count = short
                what = "was empty" if count == 0 else f"had only {count} postings"
                self.listing.fail(
                    f"page at skip={short_skip} {what} but the next page has postings"
                )
            else:
                self.listing.done()
        elif len(postings) < self.page_size:
            yield self.page_request(skip + self.page_size, first_id, (skip, len(postings)))
        else:
            yield self.page_request(skip + self.page_size, first_id)

    def parse_posting(self, posting: dict[str, Any]) -> JobPosting:
        categories = as_dict(posting.get("categories"))
        locations = categories.get("allLocations") or []
        primary = categories.get("location")
        ordered = [primary, *[loc for loc in locations if loc != primary]] if primary else locations
        ordered = [loc for loc in ordered if loc]
        salary = as_dict(posting.get("salaryRange"))
        return self.posting(
            external_id=posting.get("id"),
            title=posting.get("text"),
            url=posting.get("hostedUrl"),
            apply_url=posting.get("applyUrl"),
            location="; ".join(ordered) or None,
            locations=ordered,
            country=posting.get("country"),
            remote_type=posting.get("workplaceType"),
            employment_type=categories.get("commitment"),
            department=categories.get("department"),
            team=categories.get("team"),
            salary_min=salary.get("min"),
            salary_max=salary.get("max"),
            salary_currency=salary.get("currency"),
            salary_period=salary.get("interval"),
            salary_text=" ".join(
                filter(
                    None, [posting.get("salaryDescriptionPlain"), posting.get("additionalPlain")]
                )
            ),
            posted_at=posting.get("createdAt"),
            description_html=_description(posting),
        )


def _description(posting: dict[str, Any]) -> str | None:
    parts = [posting.get("description") or ""]
    for block in posting.get("lists") or []:
        if block.get("text"):
            parts.append(f"<h3>{block['text']}</h3>")
        parts.append(f"<ul>{block.get('content') or ''}</ul>")
    parts.append(posting.get("additional") or "")
    return "\n".join(p for p in parts if p) or None
