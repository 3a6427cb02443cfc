"""Jobvite: companyEId from the board page, then the whole board from the XML feed."""

from scrapy.http import HtmlResponse

from jobcrawler.finder import find_in_page, recognize
from tests.helpers import FILES, make_spider, postings, response, start_requests

FEED = "https://app.jobvite.com/CompanyJobs/Xml.aspx?c=qX7aVfwB"


def spider(**company):
    return make_spider("jobvite", "northwind", **company)


def feed(s, body, url=FEED):
    return postings(s.parse_feed(response(url, body)))


def test_start_reads_the_board_page_as_the_careers_iframe_does():
    [request] = start_requests(spider())
    assert request.url == "https://jobs.jobvite.com/northwind?fr=true&nl=1"
    [request] = start_requests(spider(company_id="qX7aVfwB"))
    assert request.url == FEED


def test_board_page_gives_the_feed_of_its_company_eid():
    s = spider()
    page = FILES.joinpath("jobvite", "board.html").read_bytes()
    url = "https://jobs.jobvite.com/northwind?fr=true&nl=1"
    [request] = list(s.parse_board_page(HtmlResponse(url, body=page)))
    assert request.url == FEED and request.callback == s.parse_feed


def test_page_without_company_eid_fails_and_says_what_to_set():
    s = spider()
    url = "https://www.jobvite.com/support/job-seeker-support/?invalid=1"
    assert list(s.parse_board_page(HtmlResponse(url, body=b"<html>Support</html>"))) == []
    assert "set `company_id:`" in s.listing.problem


def test_feed_fields_and_a_bad_job_costs_only_itself():
    s = spider()
    found = feed(s, FILES.joinpath("jobvite", "feed.xml").read_bytes())
    assert [p["external_id"] for p in found] == ["oQ1xYfwA", "oR2zZfwC"]
    staff, support = found
    assert staff["title"] == "Staff Engineer, R&D Platform"
    assert staff["url"] == "https://jobs.jobvite.com/northwind/job/oQ1xYfwA"
    assert staff["apply_url"] == "https://jobs.jobvite.com/northwind/job/oQ1xYfwA/apply?nl=0"
    assert staff["department"] == "Research & Development"
    assert staff["location"] == "San Jose, CA"
    assert staff["employment_type"] == "full_time"
    assert staff["posted_at"].isoformat().startswith("2026-11-03")
    assert "<li>Go</li>" in staff["description_html"] and staff["salary_min"] == 180000
    assert support["title"] == "Remote Support Specialist (Part-Time)"
    assert support["url"] == "https://jobs.jobvite.com/northwind/job/oR2zZfwC"
    assert support["department"] is None and support["employment_type"] == "part_time"
    assert support["remote_type"] == "remote"
    assert support["posted_at"].isoformat().startswith("2027-01-15")
    assert support["description_html"] == "<p>Help customers.</p>"
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1
    assert "entry without a readable id" in s.listing.problem


def test_whole_feed_is_the_end_and_no_jobs_redirect_is_an_empty_board():
    s = spider()
    feed(s, b"<result><job><id>a1</id><title>x</title></job></result>")
    assert s.listing.complete
    s = spider()
    assert feed(s, b"<html>No jobs</html>", "https://app.jobvite.com/CompanyJobs/NoJobs.htm") == []
    assert s.listing.complete


def test_cut_or_foreign_documents_fail_the_listing():
    s = spider()
    feed(s, b"<result><job><id>a1</id><title>x</title></job><job><id>a2")
    assert "invalid XML" in s.listing.problem
    s = spider()
    feed(s, b"<html><body>Just a moment...</body></html>")
    assert "not a <result> feed" in s.listing.problem


def test_finder_reads_board_urls():
    entry = {"ats": "jobvite", "board": "northwind"}
    assert recognize("https://jobs.jobvite.com/northwind/job/oQ1xYfwA") == entry
    assert recognize("https://jobs.jobvite.com/careers/northwind/jobs") == entry
    assert recognize("https://jobs.jobvite.com/api/job?c=x") is None


def test_finder_reads_the_careers_iframe():
    page = '<iframe id="jobvite" src="https://jobs.jobvite.com/northwind/jobs?nl=0&amp;fr=false"></iframe>'
    assert find_in_page("https://northwind.com/careers", page) == {
        "ats": "jobvite",
        "board": "northwind",
    }
