"""Lever paging ends only on evidence: a short or empty page is confirmed by the next one."""

from __future__ import annotations

import json

import scrapy

from tests.helpers import make_spider, postings, response

BASE = "https://api.lever.co/v0/postings/spotify"


def page(n: int, start: int = 0) -> str:
    return json.dumps([{"id": f"id-{i}", "text": f"Job {i}"} for i in range(start, start + n)])


def read(spider, request: scrapy.Request, body: str) -> list:
    return list(spider.parse_page(response(request.url, body), **request.cb_kwargs))


def requests(results: list) -> list[scrapy.Request]:
    return [r for r in results if isinstance(r, scrapy.Request)]


def test_empty_page_after_a_full_one_with_postings_after_it_is_incomplete():
    spider = make_spider("lever", "spotify")
    [second] = requests(read(spider, spider.page_request(0), page(100)))
    [confirm] = requests(read(spider, second, "[]"))  # page 2 of 3 answers 200 []
    assert confirm.cb_kwargs["skip"] == 200
    results = read(spider, confirm, page(40, 200))
    assert len(postings(results)) == 40  # they exist: read, never removed
    assert requests(results) == []
    assert not spider.listing.complete
    assert spider.listing.problem == "page at skip=100 was empty but the next page has postings"


def test_short_page_in_the_middle_is_incomplete():
    spider = make_spider("lever", "spotify")
    [confirm] = requests(read(spider, spider.page_request(0), page(60)))
    read(spider, confirm, page(100, 100))
    assert (
        spider.listing.problem
        == "page at skip=0 had only 60 postings but the next page has postings"
    )


def test_empty_board_is_confirmed_empty():
    spider = make_spider("lever", "spotify")
    [confirm] = requests(read(spider, spider.page_request(0), "[]"))
    assert read(spider, confirm, "[]") == []
    assert spider.listing.complete


def test_a_failed_confirmation_leaves_the_listing_incomplete():
    spider = make_spider("lever", "spotify")
    [confirm] = requests(read(spider, spider.page_request(0), page(5)))
    read(spider, confirm, "<html>challenge</html>")
    assert not spider.listing.complete
