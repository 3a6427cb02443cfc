"""GovernmentJobs (NEOGOV): an agency's whole board as one RSS feed."""

from datetime import UTC, datetime

import pytest
from scrapy.http import XmlResponse

from jobcrawler.finder import find_in_page, recognize
from jobcrawler.spiders.neogov import NeogovSpider
from tests.helpers import FILES, make_spider, postings, start_requests

FEED = "https://www.governmentjobs.com/SearchEngine/JobsFeed?agency=iowa"


def spider(**company) -> NeogovSpider:
    return make_spider("neogov", "iowa", **company)


def read(s, body=None):
    body = body if body is not None else FILES.joinpath("neogov", "feed.xml").read_bytes()
    return postings(s.parse_feed(XmlResponse(FEED, body=body)))


def test_start_asks_for_the_agency_feed():
    [request] = start_requests(spider())
    assert request.url == FEED
    assert b"xml" in request.headers[b"Accept"]


def test_base_url_replaces_the_site():
    [request] = start_requests(spider(base_url="https://www.schooljobs.com"))
    assert request.url == "https://www.schooljobs.com/SearchEngine/JobsFeed?agency=iowa"


def test_feed_fields():
    s = spider()
    clerk, coordinator, records = read(s)
    assert clerk["external_id"] == "5376469"
    assert clerk["title"] == "Administrative Assistant 2"
    assert clerk["url"] == (
        "https://www.governmentjobs.com/careers/iowa/jobs/5376469/administrative-assistant-2"
    )
    assert clerk["location"] == "Des Moines, Polk County, IA"  # the ZIP dropped
    assert (clerk["region"], clerk["country"]) == ("IA", "US")
    assert clerk["employment_type"] == "full_time"
    assert clerk["department"] == "Revenue"
    assert (clerk["salary_min"], clerk["salary_max"]) == (22.5, 33)
    assert (clerk["salary_currency"], clerk["salary_period"]) == ("USD", "hour")
    assert clerk["posted_at"] == datetime(2026, 6, 10, 5, tzinfo=UTC)  # opened, not edited
    html = clerk["description_html"]
    assert html.startswith("<p>Support the Department of Revenue's front office.</p>")
    assert "<h3>Examples of Duties</h3>" in html and "Answer the phones" in html
    assert "Graduation from high school." in html
    assert coordinator["remote_type"] == "hybrid"  # from the title
    assert coordinator["employment_type"] == "part_time"
    assert coordinator["salary_min"] is None  # "0.00": no salary stated
    assert coordinator["posted_at"] == datetime(2026, 6, 11, 10, tzinfo=UTC)  # pubDate
    assert records["external_id"] == "5376471"  # from the link
    assert records["salary_max"] == 4120.5 and records["salary_min"] is None


def test_an_item_without_id_fails_the_listing_but_not_the_others():
    s = spider()
    assert len(read(s)) == 3
    assert s.listing.finished and not s.listing.complete


def test_a_malformed_item_costs_only_itself():
    body = (
        FILES.joinpath("neogov", "feed.xml")
        .read_bytes()
        .replace(
            b"<title>No id at all</title>",
            b"<title>Broken</title><link>https://x/jobs/77</link>"
            b"<joblisting:location><b>nested</b></joblisting:location>",
        )
    )
    s = spider()
    assert len(read(s, body)) == 4
    assert s.listing.complete


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Access denied</body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut',
        b'<?xml version="1.0"?><rss version="2.0"/>',
    ],
)
def test_a_feed_that_is_not_whole_fails_the_listing(body):
    s = spider()
    assert read(s, body) == []
    assert not s.listing.complete


def test_an_empty_board_is_complete():
    s = spider()
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Iowa</title></channel></rss>'
    assert read(s, body) == []
    assert s.listing.complete


@pytest.mark.parametrize(
    "url",
    [
        "https://www.governmentjobs.com/careers/iowa",
        "https://www.governmentjobs.com/careers/iowa/jobs/5376469/administrative-assistant-2",
        "https://www.governmentjobs.com/careers/Iowa?department[0]=Revenue",
        "https://www.governmentjobs.com/SearchEngine/JobsFeed?agency=iowa",
        "https://www.governmentjobs.com/careers/home/index?agency=iowa&page=2",
        "https://agency.governmentjobs.com/iowa/default.cfm",
    ],
)
def test_finder_reads_agency_urls(url):
    assert recognize(url) == {"ats": "neogov", "board": "iowa"}


@pytest.mark.parametrize(
    "url",
    [
        "https://www.governmentjobs.com/jobs?keyword=clerk",
        "https://www.governmentjobs.com/careers/home",
        "https://www.governmentjobs.com/",
    ],
)
def test_finder_rejects_site_wide_urls(url):
    assert recognize(url) is None


def test_finder_reads_an_embedded_job_widget():
    page = (
        '<script src="https://www.governmentjobs.com/js_ext/job-widget.js?agency=iowa&amp;'
        'sort=PostingDate"></script>'
    )
    assert find_in_page("https://iowa.example/jobs", page) == {"ats": "neogov", "board": "iowa"}
