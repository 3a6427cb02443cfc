"""JazzHR: the public feed holds every syndicated job, description included."""

from datetime import UTC, datetime

from scrapy.http import HtmlResponse

from jobcrawler.finder import recognize
from tests.helpers import fixture_response, make_spider, postings, response, start_requests

FEED = "https://app.jazz.co/feeds/export/jobs/healthforce"


def spider(**company):
    return make_spider("jazzhr", "healthforce", **company)


def parsed(s):
    return postings(s.parse_feed(fixture_response(FEED, "jazzhr", "feed.xml")))


def test_start_asks_the_feed_for_xml():
    [request] = start_requests(spider())
    assert request.url == FEED
    assert b"xml" in request.headers[b"Accept"]


def test_fields_of_a_full_job():
    [nurse, _] = parsed(spider())
    assert nurse["external_id"] == "job_20260605135030_QWERTYUIOPASDFGH"
    assert nurse["title"] == "Registered Nurse – Night Shift"
    assert (
        nurse["url"]
        == nurse["apply_url"]
        == ("http://healthforce.applytojob.com/apply/aB3xK9pQ2r/Registered-Nurse-Night-Shift")
    )
    assert nurse["location"] == "Columbus, OH, United States"
    assert (nurse["city"], nurse["region"], nurse["country"]) == ("Columbus", "OH", "US")
    assert nurse["employment_type"] == "full_time"
    assert nurse["department"] == "Clinical"
    assert nurse["posted_at"] == datetime(2026, 6, 5, tzinfo=UTC)
    assert nurse["description"].startswith("Join our **night team** at St. Mary's & Partners.")
    assert (nurse["salary_min"], nurse["salary_max"], nurse["salary_period"]) == (38, 46, "hour")


def test_blank_fields_remote_place_and_the_date_in_the_id():
    [_, billing] = parsed(spider())
    assert billing["location"] == "Remote"
    assert billing["remote_type"] == "remote"
    assert billing["country"] is None and billing["department"] is None
    assert billing["employment_type"] == "contract"
    assert billing["posted_at"] == datetime(2026, 4, 11, 9, 0, tzinfo=UTC)  # from the id


def test_a_job_without_id_costs_completeness_and_a_held_job_is_no_posting():
    s = spider()
    assert len(parsed(s)) == 2
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1
    assert "without a readable id" in s.listing.problem
    assert "job_20260101000000_ONHOLDONHOLDONHO" not in s.produced


def test_the_whole_document_is_the_end_and_an_empty_one_asks_the_careers_page():
    body = '<?xml version="1.0"?><jobs><publisher>JazzHR</publisher></jobs>'
    s = spider()
    [check] = s.parse_feed(response(FEED, body))
    assert check.url == "https://healthforce.applytojob.com/apply" and not s.listing.finished
    listed = (
        '<html><body><a href="https://healthforce.applytojob.com/apply/aB3xK9pQ2r/Nurse">Nurse</a>'
    )
    check.callback(HtmlResponse(check.url, body=listed.encode(), encoding="utf-8"))
    assert "the feed has no jobs but" in s.listing.problem  # not syndicated: nothing removed

    s = spider()
    [check] = s.parse_feed(response(FEED, body))
    page = '<html><body><p>No open positions.</p><a href="/apply/jobs">Jobs</a></body></html>'
    check.callback(HtmlResponse(check.url, body=page.encode(), encoding="utf-8"))
    assert s.listing.complete  # both say the board is empty

    s = spider(base_url="http://127.0.0.1:8089")
    assert list(s.parse_feed(response(FEED, body))) == []
    assert s.listing.complete


def test_cut_off_or_foreign_documents_are_incomplete():
    s = spider()
    body = fixture_response(FEED, "jazzhr", "feed.xml").body
    list(s.parse_feed(response(FEED, body[: len(body) // 2])))
    assert "invalid XML" in s.listing.problem
    s = spider()
    list(s.parse_feed(response(FEED, "<html><body>Not found</body></html>")))
    assert "not a <jobs> feed" in s.listing.problem


def test_finder_reads_boards_feeds_and_widgets():
    entry = {"ats": "jazzhr", "board": "healthforce"}
    assert recognize("https://healthforce.applytojob.com/apply/aB3xK9pQ2r/Nurse") == entry
    assert recognize("https://app.jazz.co/feeds/export/jobs/healthforce") == entry
    assert recognize("https://app.jazz.co/widgets/basic/create/healthforce") == entry
    assert recognize("//app.theresumator.com/widgets/basic/create/healthforce") == entry
    assert recognize("https://app.applytojob.com/notfound.html") is None
    assert recognize("https://app.jazz.co/widgets/basic/create") is None


def test_a_us_open_date_is_read():
    s = spider()
    body = (
        '<?xml version="1.0"?><jobs><job><id><![CDATA[job_20260101000000_AAAA]]></id>'
        "<title>Clerk</title><original_open_date>06/05/2026</original_open_date></job></jobs>"
    )
    [job] = postings(s.parse_feed(response(FEED, body)))
    assert job["posted_at"] == datetime(2026, 6, 5, tzinfo=UTC)
