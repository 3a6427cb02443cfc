"""Checks the postings a complete listing did not show on the platform before any is removed.

A listing that silently lost a page looks complete; only asking the platform about the
missing postings one by one tells "gone" from "not shown". A sample spread over the
missing set is asked first: when one of them still exists the listing is broken, and the
rest need no request. Only when the whole sample is gone are the others asked, a batch at
a time, stopping at the first batch where one still exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

if TYPE_CHECKING:
    from jobcrawler.spiders.base import CompanySpider

SAMPLE_SIZE = 5
BATCH_SIZE = 50
#: What a platform answers for a posting that no longer exists.
GONE_STATUSES = (404, 410)

T = TypeVar("T")


def spread(items: list[T], size: int) -> list[T]:
    """Up to `size` items evenly spread over `items` (a lost page is a run of ids)."""
    if len(items) <= size:
        return list(items)
    return [items[i * len(items) // size] for i in range(size)]


class Verifier:
    """Runs the checks of one crawl, round by round, each time the spider goes idle."""

    def __init__(self, spider: CompanySpider) -> None:
        self.spider = spider
        self.started = False
        self.finished = False
        self.queue: list[scrapy.Request] = []
        self.still_exist = 0
        self.errors = 0

    def next_requests(self) -> list[scrapy.Request]:
        """The next round of checks; empty when verification is over (or not needed)."""
        listing = self.spider.listing
        if self.finished or not listing.complete:
            self.finished = True
            return []
        if not self.started:
            self.started = True
            self.queue = self._requests()
            return self._round(SAMPLE_SIZE, sample=True)
        if self.still_exist:
            listing.fail(f"{self.still_exist} postings missing from the listing still exist")
        if self.errors:
            listing.fail(f"{self.errors} postings missing from the listing could not be checked")
        if self.still_exist or self.errors:
            self.queue = []
        return self._round(BATCH_SIZE)

    def _round(self, size: int, sample: bool = False) -> list[scrapy.Request]:
        if sample:
            chosen = spread(self.queue, size)
            chosen_ids = {id(r) for r in chosen}
            self.queue = [r for r in self.queue if id(r) not in chosen_ids]
        else:
            chosen, self.queue = self.queue[:size], self.queue[size:]
        if not chosen:
            self.finished = True
        self.spider.crawler.stats.inc_value("jobcrawler/verify/requests", len(chosen))
        return chosen

    def _requests(self) -> list[scrapy.Request]:
        """One check per missing posting; the ones the platform cannot check are left to
        the store, which removes them only when a second complete crawl missed them too."""
        spider = self.spider
        seen = spider.produced | spider.listing.seen_without_item
        missing = sorted(set(spider.known_postings) - seen)
        requests = []
        for external_id in missing:
            request = spider.verify_request(external_id, spider.known_postings[external_id])
            if request is None:
                spider.crawler.stats.inc_value("jobcrawler/verify/unverifiable")
                continue
            meta = {
                **request.meta,
                "verify_id": external_id,
                "handle_httpstatus_list": list(GONE_STATUSES),
            }
            requests.append(
                request.replace(
                    callback=self.checked, errback=self.failed, meta=meta, dont_filter=True
                )
            )
        spider.crawler.stats.set_value("jobcrawler/verify/missing", len(missing))
        return requests

    def checked(self, response: Response) -> None:
        spider = self.spider
        external_id = response.meta["verify_id"]
        try:
            gone = response.status in GONE_STATUSES or spider.posting_gone(response)
        except Exception as exc:  # an answer the platform check can't read is no evidence
            self.errors += 1
            spider.crawler.stats.inc_value("jobcrawler/verify/errors")
            spider.logger.warning("Could not read the check of %s: %r", external_id, exc)
            return
        if gone:
            spider.listing.gone.add(external_id)
            spider.crawler.stats.inc_value("jobcrawler/verify/gone")
            return
        # it exists: it counts as seen (last_seen_at moves) and is never removed now
        spider.listing.seen_without_item.add(external_id)
        self.still_exist += 1
        spider.crawler.stats.inc_value("jobcrawler/verify/still_exist")
        spider.logger.warning("Posting %s is missing from the listing but exists", external_id)

    def failed(self, failure: Failure) -> None:
        spider = self.spider
        external_id = failure.request.meta["verify_id"]
        self.errors += 1
        spider.crawler.stats.inc_value("jobcrawler/verify/errors")
        spider.logger.warning(
            "Could not check missing posting %s: %s", external_id, failure.getErrorMessage()
        )
