"""iCIMS: the portal sitemap is the listing; job pages (in_iframe=1) give JSON-LD."""

import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.test import get_crawler

from jobcrawler.catalog import Company
from jobcrawler.finder import find_in_page, recognize
from jobcrawler.spiderloader import spider_class
from jobcrawler.spiders.icims import IcimsSpider
from tests.helpers import FILES, postings, start_requests

PORTAL = "https://careers-northwind.icims.com"


def spider(**company) -> IcimsSpider:
    """Portal labels carry a hyphen, which slugs cannot."""
    company = Company(
        name="Northwind", slug="northwind", ats="icims", board="careers-northwind", **company
    )
    crawler = get_crawler(spider_class(company))
    crawler.spider = crawler._create_spider()
    return crawler.spider


def listed(s):
    body = FILES.joinpath("icims", "sitemap.xml").read_bytes()
    return list(s.parse_sitemap(XmlResponse(f"{PORTAL}/sitemap.xml", body=body)))


def page(request, body):
    reply = HtmlResponse(request.url, body=body, encoding="utf-8", request=request)
    return postings(request.callback(reply, **request.cb_kwargs))


def fixture(name):
    return FILES.joinpath("icims", name).read_bytes()


def test_start_asks_for_the_portal_sitemap():
    [request] = start_requests(spider())
    assert request.url == f"{PORTAL}/sitemap.xml"


def test_base_url_replaces_the_portal_origin():
    s = spider(base_url="http://127.0.0.1:8089/icims/northwind")
    [request] = start_requests(s)
    assert request.url == "http://127.0.0.1:8089/icims/northwind/sitemap.xml"
    assert listed(s)[0].url == (
        "http://127.0.0.1:8089/icims/northwind/jobs/5446/registered-nurse-%e2%80%93-icu/job"
        "?in_iframe=1"
    )


def test_sitemap_job_pages_are_asked_in_iframe_form_and_the_rest_skipped():
    s = spider()
    results = listed(s)
    assert [r.meta["external_id"] for r in results] == ["5446", "5447", "5450"]
    assert all(r.url.endswith("/job?in_iframe=1") for r in results)
    assert s.listing.complete


def test_job_page_fields():
    s = spider()
    [job] = page(listed(s)[0], fixture("job.html"))
    assert job["external_id"] == "5446"
    assert job["title"] == "Registered Nurse – ICU"
    assert job["url"] == f"{PORTAL}/jobs/5446/registered-nurse-%e2%80%93-icu/job"
    assert job["apply_url"] == f"{PORTAL}/jobs/5446/registered-nurse-%e2%80%93-icu/login"
    assert job["location"] == "Dallas, TX, US; Plano, TX, UNITED STATES"
    assert (job["city"], job["region"], job["country"]) == ("Dallas", "TX", "US")
    assert job["employment_type"] == "full_time"
    assert job["posted_at"] == datetime(2026, 9, 14, 4, tzinfo=UTC)
    assert job["description_html"].startswith("<p>Care for critically ill patients &amp;")
    assert (job["salary_min"], job["salary_max"], job["salary_period"]) == (38.5, 52, "hour")
    assert job["list_hash"] == s.list_hashes["5446"]


def test_remote_job_with_placeholder_employment_and_a_malformed_block():
    s = spider()
    [job] = page(listed(s)[1], fixture("job_remote.html"))
    assert job["remote_type"] == "remote"
    assert job["employment_type"] is None  # "OTHER" says nothing
    assert job["location"] == "US"
    assert s.crawler.stats.get_value("jobcrawler/jsonld/malformed") == 1


def test_a_page_without_json_ld_keeps_the_posting():
    s = spider()
    request = listed(s)[2]
    assert page(request, b"<html><body>Please verify you are a human</body></html>") == []
    assert "5450" in s.listing.seen_without_item


def test_a_malformed_posting_costs_only_itself():
    s = spider()
    request = listed(s)[0]
    bad = b'<script type="application/ld+json">{"@type":"JobPosting","title":"x","jobLocation":7}</script>'
    jobs = page(request, bad)
    assert [j["title"] for j in jobs] == ["x"]  # odd fields read as absent


def test_unchanged_entries_skip_their_job_page():
    s = spider()
    listed(s)
    again = spider()
    again.known_list_hashes = dict(s.list_hashes)
    assert listed(again) == []
    assert again.listing.complete


@pytest.mark.parametrize(
    "body",
    [
        b"Your IP address is not on a trusted network.",
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>',
        b'<?xml version="1.0"?><html><body/></html>',
    ],
)
def test_a_sitemap_that_is_not_whole_fails_the_listing(body):
    s = spider()
    assert list(s.parse_sitemap(XmlResponse(f"{PORTAL}/sitemap.xml", body=body))) == []
    assert not s.listing.complete


@pytest.mark.parametrize(
    "url",
    [
        f"{PORTAL}/jobs/search?ss=1",
        f"{PORTAL}/jobs/5446/registered-nurse/job?in_iframe=1",
        f"{PORTAL}/jobs/intro?hashed=-435684869",
    ],
)
def test_finder_reads_portal_urls(url):
    assert recognize(url) == {"ats": "icims", "board": "careers-northwind"}


@pytest.mark.parametrize(
    "url",
    ["https://www.icims.com/", "https://developer-community.icims.com/x", "https://icims.com"],
)
def test_finder_rejects_icims_own_hosts(url):
    assert recognize(url) is None


def test_finder_reads_the_embedded_iframe():
    html = (
        '<iframe id="icims_content_iframe" '
        'src="https://careers-northwind.icims.com/jobs/search?ss=1&in_iframe=1"></iframe>'
    )
    assert find_in_page("https://northwind.example/careers", html) == {
        "ats": "icims",
        "board": "careers-northwind",
    }


def test_the_fakes_untrusted_portal_answers_403(fake_ats):
    fake_ats.add_board("icims", "icuntrusted", size=3, trusted=False)
    url = fake_ats.base_url("icims", "icuntrusted") + "/sitemap.xml"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url)
    assert error.value.code == 403
