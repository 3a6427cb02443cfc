"""A JSON listing read one posting at a time, so a board of 100,000 postings is never held
parsed whole (nor as a decoded copy of its body) while the crawl works through it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import TYPE_CHECKING, Any

import ijson
from scrapy.http import Response

if TYPE_CHECKING:
    from jobcrawler.spiders.base import CompanySpider

Event = tuple[str, str, Any]


class ListingStream:
    """The postings of a listing response: the whole payload as a list, or its top-level `key`.

    Iterating parses `response.body` incrementally (ijson, C backend) and yields each posting
    as soon as it is read. Afterwards `ok` says whether the whole list was read, `count` how
    many postings came and `values` holds the scalars found at the dotted `paths` (such as
    `meta.total`), wherever they stand in the document. Problems go to the spider's listing
    with the messages `listing_json` and `listing_list` give.

    A document the strict streaming parser refuses (a byte-order mark, a charset other than
    UTF-8, integers beyond 64 bits, or invalid JSON) is read again the tolerant way, as the
    whole-document parse always did, and the postings not yet yielded follow from there.
    """

    def __init__(
        self, spider: CompanySpider, response: Response, key: str | None, paths: Iterable[str]
    ) -> None:
        self.spider = spider
        self.response = response
        self.key = key
        self.paths = frozenset(paths)
        self.values: dict[str, Any] = {}
        self.count = 0
        self.found: bool | None = None  # whether the payload held the list; None: not seen yet
        self.ok = False

    def __iter__(self) -> Iterator[Any]:
        items = f"{self.key}.item" if self.key else "item"
        events = ijson.parse(BytesIO(self.response.body), use_float=True)
        try:
            for item in ijson.items(self._watch(events), items):
                self.count += 1
                yield item
        except ijson.JSONError:
            yield from self._reread()
            return
        if not self.found:
            self.spider.listing_shape_failed(self.response, self.key)
            return
        self.ok = True

    def _watch(self, events: Iterator[Event]) -> Iterator[Event]:
        """Pass the parser's events on, noting the list's shape and the wanted scalars."""
        where = self.key or ""
        for event in events:
            prefix = event[0]
            if prefix == where and self.found is None:
                self.found = event[1] == "start_array"
            elif prefix in self.paths:
                self.values[prefix] = event[2]
            yield event

    def _reread(self) -> Iterator[Any]:
        """The postings after the first `count`, from a whole-document parse of the body."""
        data = self.spider.listing_json(self.response)
        if data is None:
            return
        found = self.spider.listing_found(self.response, data, self.key)
        if found is None:
            return
        self.values = {path: _at(data, path) for path in self.paths}
        for item in found[self.count :]:
            self.count += 1
            yield item
        self.ok = True


def _at(data: Any, path: str) -> Any:
    """The value at a dotted path of objects, or None."""
    for name in path.split("."):
        data = data.get(name) if isinstance(data, dict) else None
    return data
