"""JSON-LD careers sites: real JobPosting shapes, listing pages and sitemaps read to the end."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime

import pytest
import scrapy
from scrapy.http import Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from jobcrawler.catalog import Company, load_catalog
from jobcrawler.normalize import jsonld
from jobcrawler.spiderloader import spider_class
from jobcrawler.spiders.jsonld import page_key
from jobcrawler.spiders.pages import HTML_ACCEPT, PagesSpider
from tests.helpers import JSONLD_CAREERS as CAREERS
from tests.helpers import JSONLD_JOB as JOB
from tests.helpers import jsonld_fixture as fixture
from tests.helpers import jsonld_job_page as job_page
from tests.helpers import jsonld_page as page
from tests.helpers import jsonld_spider as spider
from tests.helpers import make_spider, postings, start_requests


def requests(results) -> list[scrapy.Request]:
    return [r for r in results if isinstance(r, scrapy.Request)]


# -- job pages -------------------------------------------------------------------------------


def test_teamtailor_shaped_posting():
    """Modelled on Teamtailor's `_jobposting` (ats-apis.md §1.14): PropertyValue id, two places."""
    s = spider()
    [posting] = job_page(s, "job_teamtailor.html")
    assert posting["external_id"] == "8120457"
    assert posting["title"] == "Backend Engineer - Stockholm"
    assert posting["url"] == posting["apply_url"] == JOB  # directApply: apply on the page
    assert posting["location"] == "Stockholm, Sweden, SE; København, DK"
    assert (posting["city"], posting["region"], posting["country"]) == ("Stockholm", "Sweden", "SE")
    assert posting["remote_type"] is None
    assert posting["employment_type"] == "full_time"
    assert (
        posting["salary_min"],
        posting["salary_max"],
        posting["salary_currency"],
        posting["salary_period"],
    ) == (55000, 68000, "SEK", "month")
    assert posting["posted_at"] == datetime(2026, 2, 3, 8, 15, tzinfo=UTC)
    assert "<strong>payments platform</strong>" in posting["description_html"]
    assert "- Keep the on-call rotation calm" in posting["description"]
    assert posting["list_hash"] == page_key(JOB)


def test_graph_type_list_remote_and_malformed_blocks():
    s = spider()
    [posting] = job_page(s, "job_graph.html")
    assert s.crawler.stats.get_value("jobcrawler/jsonld/malformed") == 1
    assert posting["external_id"] == JOB  # no identifier: the page URL
    assert posting["title"] == "Support Specialist (Remote, Canada)"
    assert posting["apply_url"] is None  # directApply "False"
    assert (posting["location"], posting["country"], posting["remote_type"]) == (
        "Canada",
        "CA",
        "remote",
    )
    assert posting["employment_type"] == "part_time"  # the first of the list
    assert (
        posting["salary_min"],
        posting["salary_max"],
        posting["salary_currency"],
        posting["salary_period"],
    ) == (24.5, 29, "CAD", "hour")
    assert posting["posted_at"] == datetime(2026, 3, 10, tzinfo=UTC)
    assert posting["description_html"] == (
        "<p>Help Larchwood customers by chat and email.</p><ul><li>Answer tickets</li></ul>"
    )


def test_top_level_list_with_two_postings():
    s = spider()
    first, second = job_page(s, "job_list.html")
    assert first["external_id"] == "QS-2291"
    assert (first["city"], first["country"], first["employment_type"]) == (
        "Rotterdam",
        "NL",
        "contract",
    )
    assert (first["salary_min"], first["salary_max"], first["salary_period"]) == (
        3100,
        3100,
        "month",
    )
    assert second["external_id"] == f"{JOB}#2"  # the second posting without id on the page
    assert (second["title"], second["location"], second["country"]) == (
        "Forklift Driver",
        "Rotterdam port, Netherlands",
        "NL",
    )


def test_page_without_posting_is_counted_not_kept():
    s = spider()
    body = '<html><head><script type="application/ld+json">{"@type": "Organization"}</script></head></html>'
    assert list(s.parse_job_page(page(JOB, body), JOB)) == []
    assert s.crawler.stats.get_value("jobcrawler/jsonld/pages_without_posting") == 1
    assert s.listing.seen_without_item == set()  # markup gone: the posting is gone


def test_unreadable_job_pages_keep_their_postings():
    s = spider()
    legacy = hashlib.sha256(f"jsonld-page:{JOB}".encode()).hexdigest()  # earlier versions
    s.known_list_hashes = {"QS-1": page_key(JOB, "2026-04-01"), "QS-2": legacy, "QS-9": "other"}
    malformed = '<html><head><script type="application/LD+JSON">{"@type": "JobPosting",</script>'
    assert list(s.parse_job_page(page(JOB, malformed + "</head></html>"), JOB)) == []
    assert s.listing.seen_without_item == {"QS-1", "QS-2"}  # found by the page's list_hash

    other = "https://quayside.example/careers/jobs/104-new"
    request = Request(other, cb_kwargs={"job_url": other})
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = request
    s.job_page_error(failure)
    assert other in s.listing.seen_without_item  # never stored: its URL is the id
    assert s.listing.errors == []  # job pages are not the listing
    assert s.crawler.stats.get_value("jobcrawler/jsonld/unreadable_pages") == 2


# -- careers pages ---------------------------------------------------------------------------


def test_start_requests():
    [request] = start_requests(spider())
    assert request.url == CAREERS
    assert request.headers[b"Accept"] == HTML_ACCEPT.encode()
    assert request.dont_filter and "playwright" not in request.meta

    [moved] = start_requests(spider(base_url="http://127.0.0.1:8089/jsonld/q"))
    assert moved.url == "http://127.0.0.1:8089/jsonld/q/careers"

    by_sitemap = spider(careers_url="https://quayside.example/sitemap.xml")
    [sitemap] = start_requests(by_sitemap)
    assert sitemap.callback == by_sitemap.parse_sitemap
    assert b"xml" in sitemap.headers[b"Accept"]


def test_index_page_links_pattern_and_next_page():
    s = spider(job_url_pattern=r"/jobs/\d+", next_page="a[rel=next]")
    start_requests(s)
    results = list(s.parse_index(fixture(CAREERS, "careers.html"), first=True))
    jobs, [following] = (
        [r.url for r in requests(results) if r.callback == s.parse_job_page],
        [r for r in requests(results) if r.callback == s.parse_index],
    )
    assert jobs == [
        JOB,
        "https://quayside.example/jobs/102-forklift-driver",  # relative to /careers
        "https://quayside.example/careers/jobs/103-planner",
    ]  # each once, fragments dropped, the team page filtered out by job_url_pattern
    assert following.url == f"{CAREERS}?page=2"
    assert not s.listing.finished  # page 2 is still to read

    last = page(following.url, '<html><body><a class="role-link" href="jobs/9">x</a></body></html>')
    more = list(s.parse_index(last, first=False))
    assert [r.url for r in requests(more)] == ["https://quayside.example/jobs/9"]
    assert s.listing.complete


def test_without_job_links_every_link_matching_the_pattern_is_a_job():
    s = make_spider("jsonld", "quayside", careers_url=CAREERS, job_url_pattern=r"/jobs/\d+")
    start_requests(s)
    results = list(s.parse_index(fixture(CAREERS, "careers.html"), first=True))
    assert len(requests(results)) == 3
    assert s.listing.complete  # no next_page configured: one page


@pytest.mark.parametrize(
    ("response", "why"),
    [
        (page(f"{CAREERS}?page=2", "<html><body><p>Nothing</p></body></html>"), "no postings"),
        (page(f"{CAREERS}?page=2", '{"error": "busy"}', TextResponse), "not an HTML page"),
        (page(f"{CAREERS}?page=2", "<html><body><ul><li><a class='role-link' href='/j"), "cut off"),
    ],
)
def test_bad_later_listing_page_fails_the_listing(response, why):
    s = spider()
    s.pending_listing_pages = 1
    assert requests(s.parse_index(response, first=False)) == []
    assert not s.listing.complete
    assert why in s.listing.problem


def test_empty_first_page_is_an_empty_board():
    s = spider()
    start_requests(s)
    assert list(s.parse_index(page(CAREERS, "<html><body>No jobs</body></html>"), True)) == []
    assert s.listing.complete


def test_next_link_back_to_a_seen_page_ends_the_listing():
    s = spider(next_page="a.next")
    start_requests(s)
    body = '<html><body><a class="role-link" href="/j/1">1</a><a class="next" href="careers#top">Next</a></body></html>'
    results = list(s.parse_index(page(CAREERS, body), first=True))
    assert [r.url for r in requests(results)] == ["https://quayside.example/j/1"]
    assert s.listing.complete


# -- sitemaps ----------------------------------------------------------------------------------


def test_sitemap_index_then_job_urls():
    s = spider(careers_url="https://quayside.example/sitemap.xml", job_url_pattern=r"/jobs/\d+")
    [start] = start_requests(s)
    nested = list(s.parse_sitemap(fixture(start.url, "sitemap_index.xml", XmlResponse)))
    assert [r.url for r in nested] == [
        "https://quayside.example/sitemaps/pages.xml",
        "https://quayside.example/sitemaps/jobs.xml",
    ]
    assert not s.listing.finished
    jobs = list(s.parse_sitemap(fixture(nested[1].url, "sitemap_jobs.xml", XmlResponse)))
    assert [r.url for r in jobs] == [
        JOB,
        "https://quayside.example/careers/jobs/102-forklift-driver",
    ]
    assert not s.listing.finished  # pages.xml is still out
    gz = gzip.compress(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>')
    assert list(s.parse_sitemap(page(nested[0].url, gz, TextResponse))) == []
    assert s.listing.complete


def test_sitemap_lastmod_skips_unchanged_job_pages():
    """A page listed with the lastmod its postings were read with is not fetched again."""
    sitemap_url = "https://quayside.example/sitemaps/jobs.xml"
    undated = "https://quayside.example/careers/jobs/102-forklift-driver"
    stored = {"8120457": page_key(JOB, "2026-04-01"), "QS-102": page_key(undated)}

    def crawl(refresh_details: bool = False):
        s = spider(careers_url=sitemap_url, job_url_pattern=r"/jobs/\d+")
        s.known_list_hashes, s.refresh_details = dict(stored), refresh_details
        start_requests(s)
        results = requests(s.parse_sitemap(fixture(sitemap_url, "sitemap_jobs.xml", XmlResponse)))
        return s, {r.url: r.cb_kwargs["lastmod"] for r in results}

    s, fetched = crawl()
    assert fetched == {undated: None}  # no lastmod: no change signal, always fetched
    assert s.listing.seen_without_item == {"8120457"}  # neither removed nor rewritten
    assert s.crawler.stats.get_value("jobcrawler/details/skipped_unchanged") == 1
    assert s.listing.complete

    _, forced = crawl(refresh_details=True)  # -a refresh_details=true
    assert forced == {JOB: "2026-04-01", undated: None}

    stored["8120457"] = page_key(JOB, "2026-03-20")  # the page changed since the last crawl
    s, fetched = crawl()
    assert fetched == {JOB: "2026-04-01", undated: None}
    assert s.listing.seen_without_item == set()
    page_response = fixture(JOB, "job_teamtailor.html")
    [posting] = postings(s.parse_job_page(page_response, JOB, "2026-04-01"))
    assert posting["list_hash"] == page_key(JOB, "2026-04-01")

    request = Request(JOB, cb_kwargs={"job_url": JOB, "lastmod": "2026-04-01"})
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = request
    s.job_page_error(failure)
    assert s.listing.seen_without_item == {"8120457"}  # found by page, whatever its lastmod


def test_careers_url_that_serves_a_sitemap_is_read_as_one():
    s = spider(job_url_pattern=r"/jobs/\d+")
    start_requests(s)
    results = list(s.parse_index(fixture(CAREERS, "sitemap_jobs.xml", XmlResponse), True))
    assert len(results) == 2 and s.listing.complete


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (
            b'<?xml version="1.0"?><urlset><url><loc>https://q.example/jobs/1</loc></url><url><lo',
            "invalid sitemap",
        ),
        (
            b"<html><head><title>Just a moment...</title></head><body></body></html>",
            "not a sitemap",
        ),
        (gzip.compress(b"<urlset></urlset>", mtime=0)[:20], "invalid sitemap"),
    ],
)
def test_broken_sitemap_fails_the_listing(body, why):
    s = spider(careers_url="https://quayside.example/sitemap.xml")
    [start] = start_requests(s)
    assert list(s.parse_sitemap(page(start.url, body, XmlResponse))) == []
    assert why in s.listing.problem


# -- rendering -------------------------------------------------------------------------------


def test_render_sends_pages_through_chromium_but_not_sitemaps():
    s = spider(render=True, job_url_pattern="/jobs/")
    [start] = start_requests(s)
    assert start.meta["playwright"] is True
    [wait] = start.meta["playwright_page_methods"]
    assert (wait.method, wait.args) == ("wait_for_selector", ("a.role-link",))
    assert s.job_request(JOB).meta == {"playwright": True}

    plain = make_spider(
        "jsonld", "quayside", careers_url="https://quayside.example/sitemap.xml", render=True
    )
    [sitemap] = start_requests(plain)
    assert "playwright" not in sitemap.meta


def crawler_settings(**company):
    cls = spider_class(
        Company(
            name="Q", slug="quayside", ats="jsonld", careers_url=CAREERS, job_links="a", **company
        )
    )
    return get_crawler(cls, {"PLAYWRIGHT_CHROMIUM_PATH": "/opt/chromium/chrome"}).settings


def test_only_render_companies_get_a_browser():
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    rendered = crawler_settings(render=True)
    assert rendered.getdict("DOWNLOAD_HANDLERS") == {"http": handler, "https": handler}
    options = rendered.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["executable_path"] == "/opt/chromium/chrome" and options["headless"] is True
    assert "--no-sandbox" in options["args"]
    assert (
        rendered.getint("PLAYWRIGHT_MAX_CONTEXTS"),
        rendered.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"),
    ) == (1, 4)
    assert rendered["PLAYWRIGHT_ABORT_REQUEST"] == "jobcrawler.spiders.pages.abort_heavy_request"

    plain = crawler_settings()
    assert handler not in plain.getdict("DOWNLOAD_HANDLERS").values()
    assert plain.get("PLAYWRIGHT_LAUNCH_OPTIONS") is None

    own = crawler_settings(render=True, settings={"PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2})
    assert own.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") == 2  # the company's settings win
    assert PagesSpider.settings_for(Company(name="G", ats="greenhouse", board="g"), own) == {}


def test_heavy_resources_are_aborted():
    from jobcrawler.spiders.pages import abort_heavy_request

    class Req:
        def __init__(self, kind: str) -> None:
            self.resource_type = kind

    assert [
        abort_heavy_request(Req(k)) for k in ("image", "font", "media", "document", "script")
    ] == [
        True,
        True,
        True,
        False,
        False,
    ]


# -- catalog -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (
            "careers_url: https://q.example/careers",
            "job_links",
            "needs job_links or job_url_pattern",
        ),
        (
            "careers_url: https://q.example/c\njob_url_pattern: '(unclosed'",
            "job_url_pattern",
            "not a valid regex",
        ),
        ("careers_url: https://q.example/c\njob_links: 'a['", "job_links", "not a valid CSS"),
        (
            "careers_url: https://q.example/c\njob_links: a\nnext_page: 'xpath://a[@'",
            "next_page",
            "not a valid XPath",
        ),
        (
            "careers_url: https://q.example/c\njob_links: a\nselectors: {item: li}",
            "selectors",
            "only for ats html",
        ),
        ("job_links: a", "careers_url", "required for ats 'jsonld'"),
    ],
)
def test_catalog_errors(tmp_path, body, key, message):
    (tmp_path / "q.yaml").write_text(f"name: Quayside\nats: jsonld\n{body}\n")
    [error] = load_catalog(tmp_path).errors
    assert error.key == key and message in error.message, str(error)


def test_catalog_accepts_a_sitemap_alone_and_render_only_for_pages(tmp_path):
    (tmp_path / "q.yaml").write_text(
        "- {name: Quayside, ats: jsonld, careers_url: 'https://q.example/sitemap.xml', render: true}\n"
        "- {name: Globex, ats: greenhouse, board: globex, render: true}\n"
    )
    catalog = load_catalog(tmp_path)
    assert [c.slug for c in catalog.companies] == ["quayside"]
    [error] = catalog.errors
    assert error.key == "render" and "only for ats html or jsonld" in error.message


# -- pure helpers ------------------------------------------------------------------------------


def test_blocks_and_types():
    assert jsonld.parse_block('//<![CDATA[\n{"a": "line\nbreak"}\n//]]>') == {"a": "line\nbreak"}
    with pytest.raises(ValueError):
        jsonld.parse_block('{"a": 1,}')
    nested = {"@type": "WebPage", "mainEntity": {"@type": "schema:JobPosting", "title": "A"}}
    assert [
        p["title"]
        for p in jsonld.job_postings(
            [nested, {"@graph": [{"@type": ["JobPosting"], "title": "B"}]}]
        )
    ] == ["A", "B"]
    assert jsonld.job_postings({"@type": "JobPostingList"}) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"@type": "PropertyValue", "name": "ATS", "value": 7}, "7"),
        ({"@type": "PropertyValue", "name": "ATS"}, None),
        ("REQ-1", "REQ-1"),
        ([{"value": ""}, {"value": "B-2"}], "B-2"),
        (None, None),
    ],
)
def test_identifier_shapes(value, expected):
    assert jsonld.identifier(value) == expected


def test_places_and_salary_shapes():
    assert jsonld.places({"jobLocation": {"address": "12 Quay St, Rotterdam"}}) == [
        jsonld.Place(name="12 Quay St, Rotterdam")
    ]
    assert jsonld.places(
        {"jobLocation": [], "applicantLocationRequirements": [{"name": "DE"}]}
    ) == [jsonld.Place(country="DE")]
    assert jsonld.salary(
        {"baseSalary": {"currency": "USD", "value": {"value": 40, "unitText": "HOUR"}}}
    ) == (jsonld.Pay(40, 40, "USD", "HOUR"))
    assert jsonld.salary({"baseSalary": 50000}) == jsonld.Pay(50000, 50000)
    assert jsonld.is_remote({"jobLocationType": ["TELECOMMUTE"]})
    assert jsonld.flag("https://schema.org/True") is True and jsonld.flag("maybe") is None
