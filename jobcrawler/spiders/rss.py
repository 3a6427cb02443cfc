"""Platforms whose whole board is one RSS 2.0 document (NEOGOV, SuccessFactors sites)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from scrapy.http import Response

from jobcrawler.spiders.base import IdKey
from jobcrawler.spiders.feeds import FeedSpider


class RssSpider(FeedSpider):
    """A feed with no paging: the document parsing whole is the end of the listing."""

    def rss_entries(
        self, response: Response, parse: Callable[..., Any], id_key: IdKey
    ) -> Iterator[Any]:
        """`parse(item)` for every `<item>` of the feed (see `CompanySpider.entries`), then
        the listing is done; a feed that is not a whole `<rss><channel>` fails it."""
        root = self.listing_xml(response, "rss")
        if root is None:
            return
        channel = root.find("channel")
        if channel is None:
            self.listing.fail(f"no <channel> in the feed at {response.url}")
            return
        yield from self.entries(channel.iterfind("item"), parse, id_key)
        self.listing.done()
