"""HRMDirect: job tables read to the page without a Next link, then job pages."""

from datetime import UTC, datetime

from scrapy.http import HtmlResponse, Request

from jobcrawler.finder import find_in_page, recognize
from tests.helpers import FILES, make_spider, postings, start_requests

BASE = "https://backblaze.hrmdirect.com/employment"
FIRST = f"{BASE}/job-openings.php?search=true"
SECOND = f"{BASE}/job-openings.php?search=true&nohd=&page=2"


def spider(**company):
    return make_spider("hrmdirect", "backblaze", **company)


def html(url, name=None, body=None, **meta):
    data = body.encode() if body else FILES.joinpath("hrmdirect", name).read_bytes()
    return HtmlResponse(url, body=data, encoding="utf-8", request=Request(url, meta=meta))


def read_board(s):
    [more] = s.parse_page(html(FIRST, "page1.html"), number=0)
    assert more.url == SECOND and not s.listing.finished
    return list(s.parse_page(html(SECOND, "page2.html"), number=1))


def detail(request, name):
    reply = html(request.url, name, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_asks_the_searched_list():
    [request] = start_requests(spider())
    assert request.url == FIRST
    [request] = start_requests(spider(base_url="http://127.0.0.1:8089/hrmdirect/backblaze"))
    assert (
        request.url
        == "http://127.0.0.1:8089/hrmdirect/backblaze/employment/job-openings.php?search=true"
    )


def test_pages_to_the_end_merging_rows_of_one_posting():
    s = spider()
    requests = read_board(s)
    assert [r.meta["external_id"] for r in requests] == ["1482", "1490", "1501"]
    assert requests[0].url == f"{BASE}/job-opening.php?req=1482&req_loc=3002&nohd=&&"
    assert requests[0].cb_kwargs["entry"]["places"] == ["San Mateo, CA", "Sacramento, CA"]
    assert s.listing.finished
    assert "without a readable id" in s.listing.problem  # the row without data-req-id


def test_job_page_fields():
    s = spider()
    [job] = detail(read_board(s)[0], "detail.html")
    assert job["external_id"] == "1482"
    assert job["title"] == "Senior Site Reliability Engineer"
    assert job["url"] == f"{BASE}/job-opening.php?req=1482&req_loc=3002&nohd=&&"
    assert job["location"] == "San Mateo, CA; Sacramento, CA"
    assert (job["city"], job["region"], job["country"]) == ("San Mateo", "CA", "US")
    assert job["employment_type"] == "full_time"
    assert job["department"] == "Engineering"
    assert (job["salary_min"], job["salary_max"], job["salary_period"]) == (170000, 210000, "year")
    assert job["posted_at"] == datetime(2026, 7, 9, tzinfo=UTC)
    assert "Keep 3 exabytes of storage online & fast." in job["description"]


def test_sparse_rows_and_a_closed_page():
    s = spider()
    _, technician, remote = read_board(s)
    [job] = detail(remote, "detail.html")
    assert (job["location"], job["remote_type"]) == ("Remote", "remote")
    assert job["posted_at"] is None and job["department"] == "Engineering"  # from the page
    reply = html(
        technician.url,
        body="<html><body><p>No longer available.</p></body></html>",
        **technician.meta,
    )
    assert list(technician.callback(reply, **technician.cb_kwargs)) == []
    assert "1490" in s.listing.seen_without_item


def test_empty_board_is_complete_and_a_loop_or_empty_later_page_is_not():
    s = spider()
    empty = "<html><body><p>There are currently no open positions.</p></body></html>"
    assert list(s.parse_page(html(FIRST, body=empty), number=0)) == []
    assert s.listing.complete
    s = spider()
    list(s.parse_page(html(FIRST, body=empty), number=1))
    assert "shows no postings" in s.listing.problem
    s = spider()
    s.pages.add(SECOND)
    list(s.parse_page(html(FIRST, "page1.html"), number=0))
    assert "loops back" in s.listing.problem
    s = spider()
    list(s.parse_page(html(FIRST, body="<html><body><table class='reqResultTable'>"), number=0))
    assert "not a whole HTML page" in s.listing.problem


def test_finder_reads_boards_and_embedded_iframes():
    entry = {"ats": "hrmdirect", "board": "fojp-hic"}
    assert (
        recognize("https://fojp-hic.hrmdirect.com/employment/job-openings.php?search=true&nohd=")
        == entry
    )
    assert recognize("https://fojp-hic.hrmdirect.com/employment/job-opening.php?req=1482") == entry
    assert recognize("https://www.hrmdirect.com/") is None
    page = (
        '<iframe title="jobs" src="https://fojp-hic.hrmdirect.com/employment/job-openings.php?'
        'search=true&amp;nohd=&amp;city=-1"></iframe>'
    )
    assert find_in_page("https://www.fojp.com/careers", page) == entry


def test_older_rows_without_req_attribute_and_a_td_heading_row():
    s = spider()
    body = (
        "<html><body><table class='reqResultTable'><tr><td>Title</td><td>Job Location</td>"
        "<td>Posted</td></tr><tr><td class='posTitle'><a href='job-opening.php?req=77&amp;"
        "req_loc=1'>Cook</a></td><td>Denver, CO</td><td>1/2/2026</td></tr></table></body></html>"
    )
    [request] = s.parse_page(html(FIRST, body=body), number=0)
    entry = request.cb_kwargs["entry"]
    assert (entry["req"], entry["title"], entry["places"], entry["date"]) == (
        "77",
        "Cook",
        ["Denver, CO"],
        "1/2/2026",
    )
    assert s.listing.complete
