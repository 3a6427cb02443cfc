"""Paylocity: the list page's window.pageData holds the board, job pages the adverts."""

from datetime import UTC, datetime

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from jobcrawler.catalog import Company
from jobcrawler.finder import default_name, recognize
from jobcrawler.spiderloader import spider_class
from tests.helpers import FILES, postings, start_requests

GUID = "0a932b3f-65a0-4207-b5be-70d84a78ecaa"
BASE = "https://recruiting.paylocity.com/Recruiting/Jobs"
LIST = f"{BASE}/All/{GUID}"


def spider(board=GUID):
    """A spider of Austin Hose (the board is a GUID, so the slug is set apart)."""
    company = Company(name="Austin Hose", slug="austin_hose", ats="paylocity", board=board)
    crawler = get_crawler(spider_class(company))
    crawler.spider = crawler._create_spider()
    return crawler.spider


def html(url, name=None, body=None, **meta):
    data = body.encode() if body else FILES.joinpath("paylocity", name).read_bytes()
    return HtmlResponse(url, body=data, encoding="utf-8", request=Request(url, meta=meta))


def listed(s):
    return list(s.parse_list(html(LIST, "list.html")))


def detail(request, name):
    reply = html(request.url, name, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_asks_the_list_page():
    [request] = start_requests(spider())
    assert request.url == LIST
    assert request.headers[b"Accept"].startswith(b"text/html")
    [request] = start_requests(spider("4684"))
    assert request.url == f"{BASE}/List/4684"  # an old board by number


def test_list_asks_public_job_pages_and_a_job_without_id_costs_completeness():
    s = spider()
    requests = listed(s)
    assert [r.url for r in requests] == [f"{BASE}/Details/1874412", f"{BASE}/Details/1874590"]
    assert "without a readable id" in s.listing.problem


def test_job_page_fields_from_pagedata_and_json_ld():
    s = spider()
    [job] = detail(listed(s)[0], "detail.html")
    assert job["external_id"] == "1874412"
    assert job["title"] == "CDL Delivery Driver - Class A"
    assert (job["url"], job["apply_url"]) == (f"{BASE}/Details/1874412", f"{BASE}/Apply/1874412")
    assert job["location"] == "Austin, TX, USA"
    assert (job["city"], job["region"], job["country"]) == ("Austin", "TX", "US")
    assert job["remote_type"] is None
    assert job["employment_type"] == "full_time"
    assert job["department"] == "Logistics"
    assert (job["salary_min"], job["salary_max"], job["salary_period"]) == (24, 28, "hour")
    assert job["posted_at"] == datetime(2026, 7, 20, 7, 30, tzinfo=UTC)
    assert job["description"].startswith("Deliver hose & fittings to customers")


def test_remote_job_without_json_ld_reads_the_headed_sections():
    s = spider()
    [job] = detail(listed(s)[1], "detail_plain.html")
    assert (job["location"], job["country"]) == ("Remote - US", "US")  # the office label
    assert job["remote_type"] == "remote"  # IndeedRemoteType 2
    assert job["employment_type"] == "part_time"  # the "Job Type" section
    assert (job["salary_min"], job["salary_max"], job["salary_period"]) == (22, 26, "hour")
    html_ = job["description_html"]
    assert (
        html_.index("<h3>Description</h3>")
        < html_.index("Call on accounts")
        < html_.index("<h3>Requirements</h3>")
    )
    assert "Part-time" not in html_ and "$22.00" not in html_  # sections read as fields


def test_closed_job_page_keeps_the_posting_and_is_gone_on_a_check():
    s = spider()
    first = listed(s)[0]
    assert detail(first, "closed.html") == []
    assert "1874412" in s.listing.seen_without_item
    assert s.posting_gone(html(first.url, "closed.html"))
    assert not s.posting_gone(html(first.url, "detail.html"))


def test_unknown_board_page_is_incomplete_and_a_whole_list_complete():
    s = spider()
    assert list(s.parse_list(html(LIST, "closed.html"))) == []
    assert "no window.pageData.Jobs list" in s.listing.problem
    s = spider()
    body = '<html><body><script>window.pageData = {"Jobs": []};</script></body></html>'
    assert list(s.parse_list(html(LIST, body=body))) == []
    assert s.listing.complete


def test_finder_reads_list_pages_feeds_and_old_boards():
    entry = {"ats": "paylocity", "board": GUID}
    assert (
        recognize(f"https://recruiting.paylocity.com/recruiting/jobs/All/{GUID}/Austin-Hose")
        == entry
    )
    assert (
        recognize(f"https://recruiting.paylocity.com/recruiting/v2/api/feed/jobs/{GUID}") == entry
    )
    assert recognize("https://recruiting.paylocity.com/Recruiting/Jobs/List/4684") == {
        "ats": "paylocity",
        "board": "4684",
    }
    assert recognize(f"{BASE}/Details/1874412/Austin-Hose") is None  # a job names no board
    assert recognize("https://www.paylocity.com/careers/") is None


def test_finder_names_the_company_from_the_list_url():
    url = f"https://recruiting.paylocity.com/recruiting/jobs/All/{GUID}/Austin-Hose"
    assert default_name(recognize(url), url) == "Austin Hose"
