"""Selector-read careers pages: list items, detail pages for new or changed items, paging."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request, TextResponse

from jobcrawler.catalog import load_catalog
from jobcrawler.spiders.pages import HTML_ACCEPT, browser_selector, first_value
from tests.helpers import HTML_CAREERS as CAREERS
from tests.helpers import HTML_DETAIL as DETAIL
from tests.helpers import HTML_SELECTORS as SELECTORS
from tests.helpers import html_page as html
from tests.helpers import html_spider as spider
from tests.helpers import postings, start_requests

FIRMWARE = "https://fernhill.example/careers/fr-1042-firmware-engineer"


def test_list_items_become_postings():
    s = spider()
    [start] = start_requests(s)
    assert start.url == CAREERS and start.headers[b"Accept"] == HTML_ACCEPT.encode()
    results = list(s.parse_index(html(CAREERS, "openings.html"), first=True))
    [following] = [r for r in results if isinstance(r, scrapy.Request)]
    assert following.url == f"{CAREERS}?page=2"
    firmware, technician, closed = postings(results)

    assert firmware["external_id"] == "FR-1042"
    assert firmware["title"] == "Firmware Engineer"
    assert firmware["url"] == FIRMWARE
    assert (firmware["location"], firmware["city"], firmware["country"]) == (
        "Bristol, England, United Kingdom",
        "Bristol",
        "GB",
    )
    assert (firmware["department"], firmware["employment_type"]) == ("Engineering", "full_time")
    assert firmware["posted_at"] == datetime(2026, 5, 11, 9, tzinfo=UTC)  # <time datetime>
    assert (firmware["salary_min"], firmware["salary_max"], firmware["salary_currency"]) == (
        55000,
        70000,
        "GBP",
    )
    assert firmware["salary_period"] == "year"

    assert technician["url"] == "https://fernhill.example/fr-1051-field-technician"
    assert (technician["remote_type"], technician["employment_type"]) == ("remote", "contract")
    assert technician["salary_min"] is None

    # no link, no id: the validate stage drops it
    assert (closed["external_id"], closed["title"], closed.get("url")) == (None, None, None)
    assert not s.listing.finished  # page 2 is still to read


def test_url_is_the_id_without_an_id_selector():
    s = spider({k: v for k, v in SELECTORS.items() if k != "id"})
    start_requests(s)
    first = postings(s.parse_index(html(CAREERS, "openings.html"), first=True))[0]
    assert first["external_id"] == FIRMWARE


def test_last_page_completes_the_listing():
    s = spider()
    start_requests(s)
    list(s.parse_index(html(CAREERS, "openings.html"), first=True))
    last = HtmlResponse(
        f"{CAREERS}?page=2",
        body=b'<html><body><article class="opening" data-req="FR-9"><h2 class="opening__title">'
        b'<a href="/careers/fr-9">Welder</a></h2></article></body></html>',
        headers={"Content-Type": "text/html"},
    )
    [welder] = postings(s.parse_index(last, first=False))
    assert welder["external_id"] == "FR-9"
    assert s.listing.complete


def test_empty_later_page_fails_the_listing():
    s = spider()
    start_requests(s)
    empty = HtmlResponse(f"{CAREERS}?page=2", body=b"<html><body></body></html>")
    assert list(s.parse_index(empty, first=False)) == []
    assert "no postings" in s.listing.problem


def test_detail_pages_for_new_items_only():
    s = spider({**SELECTORS, **DETAIL})
    start_requests(s)
    results = list(s.parse_index(html(CAREERS, "openings.html"), first=True))
    details = [r for r in results if isinstance(r, scrapy.Request) and r.callback == s.parse_detail]
    assert [r.url for r in details] == [
        FIRMWARE,
        "https://fernhill.example/fr-1051-field-technician",
    ]
    assert details[0].headers[b"Accept"] == HTML_ACCEPT.encode()
    assert details[0].meta["external_id"] == "FR-1042"
    assert len(postings(results)) == 1  # the closed item has no URL: no detail to fetch

    [firmware] = postings(
        s.parse_detail(
            html(FIRMWARE, "opening.html", external_id="FR-1042"), **details[0].cb_kwargs
        )
    )
    assert (firmware["external_id"], firmware["title"], firmware["department"]) == (
        "FR-1042",
        "Firmware Engineer",
        "Engineering",
    )
    assert (firmware["team"], firmware["remote_type"]) == ("Motion Control", "hybrid")
    assert firmware["apply_url"] == f"{FIRMWARE}/apply"
    assert "<em>steady</em>" in firmware["description_html"]
    assert "dataLayer" not in firmware["description_html"]  # sanitized
    assert "- Tune control loops on STM32 boards" in firmware["description"]
    assert firmware["list_hash"] == s.list_hashes["FR-1042"]

    again = spider({**SELECTORS, **DETAIL})
    again.known_list_hashes = dict(s.list_hashes)
    start_requests(again)
    rerun = list(again.parse_index(html(CAREERS, "openings.html"), first=True))
    assert [
        r for r in rerun if isinstance(r, scrapy.Request) and r.callback == again.parse_detail
    ] == []
    assert again.listing.seen_without_item == {"FR-1042", "FR-1051"}


def test_detail_that_is_not_html_keeps_the_posting():
    s = spider({**SELECTORS, **DETAIL})
    response = TextResponse(
        FIRMWARE,
        body=b'{"error": "maintenance"}',
        headers={"Content-Type": "application/json"},
        request=Request(FIRMWARE, meta={"external_id": "FR-1042"}),
    )
    assert list(s.parse_detail(response, fields={"title": "Firmware Engineer"})) == []
    assert s.listing.seen_without_item == {"FR-1042"}


def test_render_waits_for_the_item_selector():
    s = spider({**SELECTORS, "item": "xpath://article[@class='opening']"}, render=True)
    [start] = start_requests(s)
    [wait] = start.meta["playwright_page_methods"]
    assert (wait.method, wait.args) == ("wait_for_selector", ("xpath=//article[@class='opening']",))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("a.job::attr(href)", "a.job"),
        ("li.job a::text", "li.job a"),
        ("xpath://a[@class='job']/@href", "xpath=//a[@class='job']"),
        ("xpath://li/a/text()", "xpath=//li/a"),
    ],
)
def test_browser_selector(expression, expected):
    assert browser_selector(expression) == expected


def test_first_value_skips_blank_matches():
    response = HtmlResponse(CAREERS, body=b"<p class='x'> </p><p class='x'>Two  words</p>")
    assert first_value(response, "p.x") == "Two words"
    assert first_value(response, "p.y") is None


@pytest.mark.parametrize(
    ("selectors", "message"),
    [
        ("{item: li, title: a}", "selectors url required"),
        ("{item: li, title: a, url: a, salery: span}", "unknown selector(s) salery"),
        ("{item: li, title: 'a::text(', url: a}", "selector title 'a::text(' is not a valid CSS"),
        ("{item: li, title: a, url: 'xpath:a/[@href'}", "not a valid XPath"),
    ],
)
def test_catalog_checks_selectors(tmp_path, selectors, message):
    (tmp_path / "f.yaml").write_text(
        f"name: Fernhill\nats: html\ncareers_url: {CAREERS}\nselectors: {selectors}\n"
    )
    [error] = load_catalog(tmp_path).errors
    assert error.key == "selectors" and message in error.message, str(error)


def test_catalog_requires_selectors_and_keeps_jsonld_keys_out(tmp_path):
    (tmp_path / "f.yaml").write_text(
        f"- {{name: Fernhill, ats: html, careers_url: '{CAREERS}'}}\n"
        f"- {{name: Other, ats: html, careers_url: '{CAREERS}', job_links: a,"
        " selectors: {item: li, title: a, url: a}}\n"
    )
    missing, jsonld_key = load_catalog(tmp_path).errors
    assert (missing.key, missing.message) == ("selectors", "required for ats 'html'")
    assert (jsonld_key.key, jsonld_key.message) == ("job_links", "job_links is only for ats jsonld")
