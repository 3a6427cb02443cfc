"""What every platform spider shares: the company it crawls and whether its listing was complete."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from jobcrawler.items import JobPosting
from jobcrawler.platforms import PLATFORMS
from jobcrawler.spiders.stream import ListingStream
from jobcrawler.spiders.verify import Verifier

if TYPE_CHECKING:
    from jobcrawler.catalog import Company

TRIGGERS = ("manual", "schedule", "retry")

#: How `CompanySpider.entries` reads an entry's id: a key of a mapping entry, or a function.
IdKey = str | Callable[[Any], Any]


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is an object, else `{}`: a field of the wrong type reads as absent."""
    return value if isinstance(value, dict) else {}


def entry_id(entry: Any, id_key: IdKey) -> str | None:
    """The id of an entry that failed to parse, or None when it cannot be read."""
    try:
        if callable(id_key):
            value = id_key(entry)
        else:
            value = entry.get(id_key) if isinstance(entry, Mapping) else None
    except Exception:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        return None
    return str(value)


class Listing:
    """Tracks whether the crawl saw the whole board.

    Removal logic trusts a crawl only when every listing request succeeded (after retries),
    every payload parsed and paging reached its end. Spiders call `fail()` on any problem
    and `done()` when the last page was read.
    """

    def __init__(self) -> None:
        self.finished = False
        self.errors: list[str] = []
        #: Postings the listing showed that yield no item this crawl (detail skipped as
        #: unchanged, or detail request failed): they still exist and are never removed.
        self.seen_without_item: set[str] = set()
        #: Missing postings the platform answered "gone" for (404/410, closed): removable.
        self.gone: set[str] = set()

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

    Platform subclasses set `platform`, the `ats` value in YAML, whose declaration
    (`jobcrawler.platforms`) holds the YAML keys (`company.keys`) and the origin
    (`base_url`: the company's `base_url`, else the platform's API origin). They implement `async def start()` and mark the listing with `self.listing`.
    Spider arguments: `trigger` (manual, schedule or retry), `refresh_details` (true:
    fetch every detail page, not only new or changed ones), and scrapyd's `_job`.

    Platforms with a detail page per posting call `needs_detail(id, list_entry)` and, when
    it says so, `detail_request(...)`: detail pages are fetched only for postings that are
    new or whose list entry changed since the last crawl (the store shares the hashes it
    knows as `known_list_hashes`); the others keep their stored fields.

    Per-entry parsing goes through `entries(...)` (detail pages: `detail_entry(...)`), so
    an entry that raises is counted and kept as seen instead of ending the listing.

    Removal needs evidence: once the listing is complete, the postings the store knows
    (`known_postings`, {external_id: stored url}) that this crawl did not produce are
    checked on the platform (`jobcrawler.spiders.verify`). A platform says how with
    `verify_request(external_id, url)` (None: it has no per-posting check) and, when a
    closed posting does not answer 404/410, `posting_gone(response)`.
    """

    platform: ClassVar[str]
    company: ClassVar[Company]

    def __init__(
        self, *args: Any, trigger: str = "manual", refresh_details: Any = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if trigger not in TRIGGERS:
            raise ValueError(f"trigger must be one of {', '.join(TRIGGERS)}, got {trigger!r}")
        self.trigger = trigger
        self.job_id: str | None = kwargs.get("_job")
        self.refresh_details = str(refresh_details).lower() in ("1", "true", "yes")
        self.listing = Listing()
        self.known_list_hashes: dict[str, str] = {}
        self.list_hashes: dict[str, str] = {}
        #: Active and stale postings of the store, {external_id: url}; set by the store.
        self.known_postings: dict[str, str | None] = {}
        #: Ids of the postings this crawl produced an item for.
        self.produced: set[str] = set()
        self.verifier = Verifier(self)
        self.listing_only = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CompanySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        #: `find --check` counts what the listing shows and fetches no detail page.
        spider.listing_only = crawler.settings.getbool("JOBCRAWLER_CHECK")
        return spider

    def spider_idle(self) -> None:
        """When the listing is read, check the postings it missed before the spider closes."""
        requests = self.verifier.next_requests()
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def verify_request(self, external_id: str, url: str | None) -> scrapy.Request | None:
        """The request that asks the platform about one posting; None: no such check."""
        return None

    def posting_gone(self, response: Response) -> bool:
        """Whether a 2xx answer to `verify_request` says the posting is closed."""
        return False

    def json_request(self, url: str, **kwargs: Any) -> scrapy.Request:
        """A GET that asks for JSON, as the platform APIs want."""
        kwargs.setdefault("headers", {}).setdefault("Accept", "application/json")
        return scrapy.Request(url, **kwargs)

    @property
    def base_url(self) -> str:
        """The origin requests go to: the company's `base_url`, else the platform's."""
        return PLATFORMS[self.platform].origin(self.company)

    def tenant_origin(self, template: str) -> str:
        """`template` with the company's board, for ATSs that give each tenant a host."""
        return template.format(board=self.company.board or "")

    def listing_request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        """A request whose failure makes the listing incomplete."""
        return self.json_request(url, callback=callback, errback=self.listing_error, **kwargs)

    def listing_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        url = request.url if request is not None else "a listing request"
        self.listing.fail(f"{what or failure.type.__name__} at {url}")
        self.crawler.stats.inc_value("jobcrawler/listing/errors")

    def listing_json(self, response: Response) -> Any:
        """The parsed payload, or None after recording why it could not be parsed."""
        try:  # TextResponse.json() caches, so callers may call it again for free
            return (
                response.json() if isinstance(response, TextResponse) else json.loads(response.body)
            )
        except ValueError as exc:
            kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no content type"
            self.listing.fail(f"invalid JSON ({kind}) at {response.url}: {exc}")
            self.crawler.stats.inc_value("jobcrawler/listing/invalid_json")
            return None

    def listing_list(self, response: Response, key: str | None = None) -> list[Any] | None:
        """The payload's list of postings (the whole payload, or `payload[key]`), or None
        after recording that the response did not hold one."""
        data = self.listing_json(response)
        return None if data is None else self.listing_found(response, data, key)

    def listing_stream(
        self, response: Response, key: str | None = None, paths: Iterable[str] = ()
    ) -> ListingStream:
        """`listing_list` one posting at a time, for single-document boards that can be huge:
        the postings are parsed as they are iterated, never held all at once."""
        return ListingStream(self, response, key, paths)

    def listing_found(self, response: Response, data: Any, key: str | None) -> list[Any] | None:
        """The list of postings in a parsed payload, or None after recording its absence."""
        found = data if key is None else data.get(key) if isinstance(data, dict) else None
        if isinstance(found, list):
            return found
        self.listing_shape_failed(response, key)
        return None

    def listing_shape_failed(self, response: Response, key: str | None) -> None:
        where = f"a {key!r} list" if key else "a JSON list"
        self.listing.fail(f"expected {where} in the response at {response.url}")
        self.crawler.stats.inc_value("jobcrawler/listing/unexpected_shape")

    def needs_detail(self, external_id: str, list_entry: Any) -> bool:
        """Whether to fetch this posting's detail page (new, changed, or refresh forced)."""
        digest = hashlib.sha256(
            json.dumps(list_entry, sort_keys=True, default=str).encode()
        ).hexdigest()
        self.list_hashes[external_id] = digest
        if self.listing_only:
            self.listing.seen_without_item.add(external_id)
            return False
        if self.refresh_details or self.known_list_hashes.get(external_id) != digest:
            return True
        self.listing.seen_without_item.add(external_id)
        self.crawler.stats.inc_value("jobcrawler/details/skipped_unchanged")
        return False

    def detail_request(
        self, url: str, callback: Any, external_id: str, **kwargs: Any
    ) -> scrapy.Request:
        """A detail page request; if it fails, the posting is kept, not removed."""
        meta = {**kwargs.pop("meta", {}), "external_id": external_id}
        self.crawler.stats.inc_value("jobcrawler/details/requested")
        return self.json_request(
            url, callback=callback, errback=self.detail_error, meta=meta, **kwargs
        )

    def detail_error(self, failure: Failure) -> None:
        external_id = failure.request.meta["external_id"]
        self.listing.seen_without_item.add(external_id)
        self.crawler.stats.inc_value("jobcrawler/details/errors")
        self.logger.warning("Detail of %s failed: %s", external_id, failure.getErrorMessage())

    def entries(
        self, entries: Iterable[Any], parse: Callable[..., Any], id_key: IdKey, *args: Any
    ) -> Iterator[Any]:
        """What `parse(entry, *args)` gives for each entry (an item, a request, None or an
        iterator of them), where an entry that raises costs only itself.

        A failed entry is counted (`jobcrawler/entries/errors`) and logged at ERROR (the
        session's `error_count`); its id still counts as seen, so it is never removed. If
        its id cannot be read, the listing fails: some posting went unseen.
        """
        for entry in entries:
            try:
                result = parse(entry, *args)
                results = list(result) if isinstance(result, Iterator) else [result]
            except Exception as exc:
                self.entry_failed(entry, id_key, exc)
                continue
            yield from (r for r in results if r is not None)

    def detail_entry(
        self, response: Response, parse: Callable[..., Any], entry: Any, *args: Any
    ) -> Iterator[Any]:
        """`parse(entry, *args)` for a detail page: if it raises, its posting is kept."""
        external_id = response.meta["external_id"]
        return self.entries([entry], parse, lambda _: external_id, *args)

    def entry_failed(self, entry: Any, id_key: IdKey, exc: Exception) -> None:
        """Count and log a failed entry; the first one of the crawl with its traceback."""
        self.crawler.stats.inc_value("jobcrawler/entries/errors")
        first = self.crawler.stats.get_value("jobcrawler/entries/errors") == 1
        what = f"{type(exc).__name__}: {exc}"[:300]
        external_id = entry_id(entry, id_key)
        if external_id is None:
            self.listing.fail(f"an entry without a readable id could not be parsed ({what})")
        else:
            self.listing.seen_without_item.add(external_id)
        self.logger.error(
            "%s: could not parse %s: %s",
            self.company.slug,
            "an entry without a readable id"
            if external_id is None
            else f"entry {external_id[:100]!r} (kept as seen)",
            what,
            exc_info=exc if first else None,
        )

    def posting(self, *, external_id: Any, **fields: Any) -> JobPosting:
        """An item for this company; ATS ids (ints at Greenhouse) are stored as strings."""
        external_id = None if external_id in (None, "") else str(external_id)
        if external_id is not None:
            self.produced.add(external_id)
        fields.setdefault("list_hash", self.list_hashes.get(external_id or ""))
        return JobPosting(company=self.company.slug, external_id=external_id, **fields)
