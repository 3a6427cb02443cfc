"""What every platform spider shares: the company it crawls and whether its listing was complete."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from jobcrawler.items import JobPosting

if TYPE_CHECKING:
    from jobcrawler.catalog import Company

TRIGGERS = ("manual", "schedule", "retry")


class Listing:
    """Tracks whether the crawl saw the whole board.

    Removal logic trusts a crawl only when every listing request succeeded (after retries),
    every payload parsed and paging reached its end. Spiders call `fail()` on any problem
    and `done()` when the last page was read.
    """

    def __init__(self) -> None:
        self.finished = False
        self.errors: list[str] = []

    def fail(self, reason: str) -> None:
        self.errors.append(reason)

    def done(self) -> None:
        self.finished = True

    @property
    def complete(self) -> bool:
        return self.finished and not self.errors

    @property
    def problem(self) -> str | None:
        """Why the listing is incomplete, or None when it is complete."""
        if self.errors:
            more = f" (+{len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            return self.errors[0] + more
        return None if self.finished else "the listing did not reach its last page"


class CompanySpider(scrapy.Spider):
    """Base of the platform spiders; the spider loader makes one subclass per company.

    Platform subclasses set:
      - `platform`: the `ats` value in YAML;
      - `api_base`: the public API origin, replaced by the company's `base_url` when given;
      - `required_keys`: company keys the platform cannot work without (default `board`).
    They implement `async def start()` and mark the listing with `self.listing`.
    Spider arguments: `trigger` (manual, schedule or retry), and scrapyd's `_job`.
    """

    platform: ClassVar[str]
    api_base: ClassVar[str]
    required_keys: ClassVar[tuple[str, ...]] = ("board",)
    company: ClassVar[Company]

    def __init__(self, *args: Any, trigger: str = "manual", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if trigger not in TRIGGERS:
            raise ValueError(f"trigger must be one of {', '.join(TRIGGERS)}, got {trigger!r}")
        self.trigger = trigger
        self.job_id: str | None = kwargs.get("_job")
        self.listing = Listing()

    @property
    def base_url(self) -> str:
        return (self.company.base_url or self.api_base).rstrip("/")

    def listing_request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        """A request whose failure makes the listing incomplete."""
        kwargs.setdefault("headers", {}).setdefault("Accept", "application/json")
        return scrapy.Request(url, callback=callback, errback=self.listing_error, **kwargs)

    def listing_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        url = request.url if request is not None else "a listing request"
        self.listing.fail(f"{what or failure.type.__name__} at {url}")
        self.crawler.stats.inc_value("jobcrawler/listing/errors")

    def listing_json(self, response: Response) -> Any:
        """The parsed payload, or None after recording why it could not be parsed."""
        try:
            return json.loads(response.body)
        except ValueError as exc:
            kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no content type"
            self.listing.fail(f"invalid JSON ({kind}) at {response.url}: {exc}")
            self.crawler.stats.inc_value("jobcrawler/listing/invalid_json")
            return None

    def posting(self, *, external_id: Any, **fields: Any) -> JobPosting:
        """An item for this company; ATS ids (ints at Greenhouse) are stored as strings."""
        external_id = None if external_id in (None, "") else str(external_id)
        return JobPosting(company=self.company.slug, external_id=external_id, **fields)
