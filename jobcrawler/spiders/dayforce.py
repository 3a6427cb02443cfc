"""Dayforce candidate portals: the portal's own job-posting search, 25 at a time.

What the portal's front end does (read from public docs and code, not copied):

- The portal `https://jobs.dayforcehcm.com/{culture}/{namespace}/{job_board}` is a
  Next.js app; a visit sets next-auth cookies, `GET /api/auth/csrf` answers
  `{"csrfToken": ...}` (and sets `__Host-next-auth.csrf-token`), and the search is
  `POST /api/geo/{namespace}/jobposting/search` with the header `X-CSRF-TOKEN` and those
  cookies (403 without them). Cookies are kept here by hand: the project leaves
  Scrapy's cookie middleware off.
- The body: `{clientNamespace, jobBoardCode, cultureCode, distanceUnit: 0,
  paginationStart}`; pages hold 25 whatever the body asks. The answer: `{jobPostings,
  maxCount, offset, count}`. The end is proven when `offset + count` reaches `maxCount`
  with as many distinct ids; an empty page earlier, or `maxCount` changing, fails.
- A posting: `jobPostingId` (a small integer per tenant; the job page is
  `{portal}/jobs/{jobPostingId}`), `jobReqId`, `jobTitle`, `jobDescription` (the full
  HTML, so there is no detail request), `postingLocations: [{formattedAddress,
  cityName, stateCode, isoCountryCode}]` (a virtual posting may give only a country),
  `hasVirtualLocation` (remote; not set on every tenant), `postingStartTimestampUTC`,
  `postingExpiryTimestampUTC`. No employment type or salary field: both live in the
  description.
- A closed posting's page is no reliable 404, so there is no per-posting check: the
  second complete crawl that misses it removes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import JsonRequest, Response

from jobcrawler.items import JobPosting
from jobcrawler.spiders.base import CompanySpider, as_dict
from jobcrawler.spiders.details import place_text
from jobcrawler.spiders.offsets import is_count, next_offset, total_kept


class DayforceSpider(CompanySpider):
    """Dayforce portals (`board` = client namespace, `job_board`, `culture`); `base_url`
    replaces `https://jobs.dayforcehcm.com`."""

    platform = "dayforce"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.seen: set[str] = set()

    @property
    def portal_path(self) -> str:
        keys = self.company.keys
        return f"/{quote(keys.culture)}/{quote(keys.board)}/{quote(keys.job_board)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.listing_request(
            self.base_url + self.portal_path,
            self.parse_portal,
            headers={"Accept": "text/html"},
        )

    def keep_cookies(self, response: Response) -> None:
        for header in response.headers.getlist(b"Set-Cookie"):
            jar = SimpleCookie()
            jar.load(header.decode("latin-1"))
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})

    def session_headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {
            "Referer": f"https://jobs.dayforcehcm.com{self.portal_path}",
            **({"Cookie": cookie} if cookie else {}),
        }

    def parse_portal(self, response: Response) -> Iterator[scrapy.Request]:
        self.keep_cookies(response)
        yield self.listing_request(
            f"{self.base_url}/api/auth/csrf", self.parse_csrf, headers=self.session_headers()
        )

    def parse_csrf(self, response: Response) -> Iterator[scrapy.Request]:
        self.keep_cookies(response)
        token = as_dict(self.listing_json(response)).get("csrfToken")
        if not isinstance(token, str) or not token:
            if not self.listing.errors:
                self.listing.fail(f"no csrfToken at {response.url}")
            return
        self.token = token
        yield self.search_request(0, None)

    def search_request(self, start: int, total: int | None) -> JsonRequest:
        keys = self.company.keys
        body = {
            "clientNamespace": keys.board,
            "jobBoardCode": keys.job_board,
            "cultureCode": keys.culture,
            "distanceUnit": 0,
            "paginationStart": start,
        }
        return JsonRequest(
            f"{self.base_url}/api/geo/{quote(keys.board)}/jobposting/search",
            data=body,
            headers={**self.session_headers(), "X-CSRF-TOKEN": self.token},
            callback=self.parse_search,
            errback=self.listing_error,
            cb_kwargs={"start": start, "total": total},
        )

    def parse_search(
        self, response: Response, start: int, total: int | None
    ) -> Iterator[scrapy.Request | JobPosting]:
        data = self.listing_json(response)
        if data is None:
            return
        data = as_dict(data)
        postings, maximum = data.get("jobPostings"), data.get("maxCount")
        if not isinstance(postings, list) or not is_count(maximum):
            self.listing.fail(f"{response.url}: no 'jobPostings' list and 'maxCount'")
            return
        if not total_kept(self.listing, response.url, maximum, total):
            return
        yield from self.entries(postings, self.parse_posting, "jobPostingId")
        following = next_offset(
            self.listing,
            response.url,
            start=start,
            received=len(postings),
            total=maximum,
            distinct=len(self.seen),
        )
        if following is not None:
            yield self.search_request(following, maximum)

    def parse_posting(self, job: Any) -> JobPosting | None:
        posting_id = as_dict(job).get("jobPostingId")
        if posting_id in (None, "") or isinstance(posting_id, bool):
            raise ValueError("posting without a jobPostingId")
        external_id = str(posting_id)
        if external_id in self.seen:
            self.crawler.stats.inc_value("jobcrawler/dayforce/repeated")
            return None
        self.seen.add(external_id)
        places = [as_dict(p) for p in job.get("postingLocations") or []]
        names = [
            p.get("formattedAddress")
            or place_text([p.get("cityName"), p.get("stateCode"), p.get("isoCountryCode")])
            for p in places
        ]
        one = places[0] if len(places) == 1 else {}
        url = f"https://jobs.dayforcehcm.com{self.portal_path}/jobs/{quote(external_id)}"
        return self.posting(
            external_id=external_id,
            title=(job.get("jobTitle") or "").strip() or None,
            url=url,
            apply_url=url,
            location="; ".join(dict.fromkeys(n.strip() for n in names if n and n.strip())) or None,
            city=one.get("cityName"),
            region=one.get("stateCode"),
            country=one.get("isoCountryCode"),
            remote_type="remote" if job.get("hasVirtualLocation") is True else None,
            posted_at=job.get("postingStartTimestampUTC"),
            description_html=job.get("jobDescription") or None,
        )
