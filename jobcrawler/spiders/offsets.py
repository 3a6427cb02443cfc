"""Offset paging against a stated total (Phenom, Eightfold, Dayforce): where it ends.

These APIs state a total and serve pages whose size they choose, so the next offset is
what came so far, and the end is proven only when the offset reaches the total and the
distinct ids seen number as many (a repeated or shifted page shows as fewer).
"""

from __future__ import annotations

from typing import Any

from jobcrawler.spiders.base import Listing


def is_count(value: Any) -> bool:
    """A total as the APIs state it: a non-negative int (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def total_kept(listing: Listing, url: str, total: int, before: int | None) -> bool:
    """Whether the total is the one the first page stated (else the listing fails)."""
    if before is not None and total != before:
        listing.fail(f"{url}: the total went from {before} to {total} while paging")
        return False
    return True


def next_offset(
    listing: Listing, url: str, *, start: int, received: int, total: int, distinct: int
) -> int | None:
    """The offset of the next page, or None once the listing is settled: done when the
    offset reached `total` with `total` distinct ids, failed on a shortfall or an
    empty page before the end."""
    served = start + received
    if served >= total:
        if distinct == total:
            listing.done()
        else:
            listing.fail(f"{url}: {distinct} distinct postings came but the total is {total}")
        return None
    if not received:
        listing.fail(f"{url}: an empty page at {start} of {total}")
        return None
    return served
