"""SAP SuccessFactors: the career site's sitemal.xml feed plus job pages, and classic XML."""

import urllib.request
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from jobcrawler.finder import catalog_problems, entry_yaml, find_in_page, recognize
from jobcrawler.spiders.successfactors import SuccessFactorsSpider
from tests.helpers import FILES, make_spider, postings, start_requests

SITE = "https://jobs.sap.com"
CLASSIC = "https://career4.successfactors.com/career?company=bswh"


def spider(**company) -> SuccessFactorsSpider:
    company.setdefault("careers_url", SITE + "/search/?q=&locale=en_US")
    return make_spider("successfactors", "sap", **company)


def xml(url, name):
    return XmlResponse(url, body=FILES.joinpath("successfactors", name).read_bytes())


def listed(s):
    return list(s.parse_feed(xml(f"{SITE}/sitemal.xml", "sitemal.xml")))


def page(request, body):
    reply = HtmlResponse(request.url, body=body, encoding="utf-8", request=request)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_asks_for_the_sites_feed():
    [request] = start_requests(spider())
    assert request.url == f"{SITE}/sitemal.xml"
    assert b"xml" in request.headers[b"Accept"]


def test_classic_start_asks_for_the_xml_listing():
    [request] = start_requests(spider(careers_url=CLASSIC + "&career_ns=job_listing_summary"))
    assert request.url == (
        "https://career4.successfactors.com/career?company=bswh"
        "&career_ns=job_listing_summary&resultType=XML"
    )


def test_base_url_replaces_the_site_origin():
    s = spider(base_url="http://127.0.0.1:8089/successfactors/sap")
    [request] = start_requests(s)
    assert request.url == "http://127.0.0.1:8089/successfactors/sap/sitemal.xml"
    [first, *_] = listed(s)
    assert first.url == (
        "http://127.0.0.1:8089/successfactors/sap/job/Walldorf-Senior-Developer-AI-&-Data-69190/1412067333/"
    )


def test_feed_items_ask_for_their_job_pages_and_the_feed_is_the_whole_board():
    s = spider()
    results = listed(s)
    # the third item has neither id nor link: it fails the listing (an unseen posting)
    assert [r.meta["external_id"] for r in results] == ["1412067333", "1412067401"]
    assert results[1].url == (
        f"{SITE}/sap/job/Newtown-Square-Account-Executive-PA-19073/1412067401/"
    )
    assert s.listing.finished and not s.listing.complete
    assert "without a readable id" in s.listing.problem


def test_job_page_fields():
    s = spider()
    request = listed(s)[0]
    [job] = page(request, FILES.joinpath("successfactors", "job.html").read_bytes())
    assert job["external_id"] == "1412067333"
    assert job["title"] == "Senior Developer - AI & Data"
    assert job["url"] == f"{SITE}/job/Walldorf-Senior-Developer-AI-&-Data-69190/1412067333/"
    assert job["apply_url"] == f"{SITE}/talentcommunity/apply/1412067333/?locale=en_US"
    assert job["location"] == "Walldorf, DE"  # the postcode dropped
    assert job["country"] == "DE"
    assert job["employment_type"] == "full_time"
    assert job["department"] == "Software-Design and Development"
    assert job["posted_at"] == datetime(2026, 8, 7, tzinfo=UTC)
    assert "<li>Work with data teams.</li>" in job["description_html"]  # nested spans read whole
    assert "Build AI services" in job["description"]
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (80000, 110000, "EUR")


def test_a_bare_job_page_falls_back_to_the_feed_item():
    s = spider()
    request = listed(s)[1]
    [job] = page(request, b"<html><body>Job not found</body></html>")
    assert job["title"] == "Account Executive"  # the appended "(City, ST, CC)" taken off
    assert job["location"] == "Newtown Square, PA, US"
    assert job["description_html"] == "<div>Sell cloud ERP.</div>"
    assert job["posted_at"] is None


def test_unchanged_items_skip_their_job_page():
    s = spider()
    listed(s)
    again = spider()
    again.known_list_hashes = dict(s.list_hashes)
    assert listed(again) == []


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Bot check</body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut',
        b'<?xml version="1.0"?><rss version="2.0"></rss>',
    ],
)
def test_a_feed_that_is_not_whole_fails_the_listing(body):
    s = spider()
    assert list(s.parse_feed(XmlResponse(f"{SITE}/sitemal.xml", body=body))) == []
    assert not s.listing.complete


def test_empty_feed_is_a_complete_empty_board():
    s = spider()
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    assert list(s.parse_feed(XmlResponse(f"{SITE}/sitemal.xml", body=body))) == []
    assert s.listing.complete


def test_classic_listing_fields_by_facet_label():
    s = spider(careers_url=CLASSIC)
    jobs = postings(s.parse_classic(xml(CLASSIC, "classic.xml")))
    nurse, porter = jobs
    assert nurse["external_id"] == "48213"
    assert nurse["title"] == "Registered Nurse - ICU (Nights)"
    assert nurse["url"] == (
        f"{CLASSIC}&career_ns=job_listing&career_job_req_id=48213&navBarLevel=JOB_SEARCH"
    )
    assert nurse["location"] == "Dallas, TX"
    assert nurse["country"] == "US"
    assert nurse["employment_type"] == "full_time"
    assert nurse["department"] == "Nursing"
    assert nurse["posted_at"] == datetime(2026, 9, 14, tzinfo=UTC)
    assert (nurse["salary_min"], nurse["salary_max"], nurse["salary_period"]) == (38, 52, "hour")
    assert porter["title"] == "Patient Transporter & Escort"
    assert porter["location"] == "Canada"  # the empty facet is skipped
    assert porter["posted_at"] is None
    assert porter["description_html"] is None
    assert not s.listing.complete  # the third <Job> has no ReqId: an unseen posting


def test_careers_url_forms():
    assert spider(careers_url="https://careers.ey.com/ey/search/").site.origin == (
        "https://careers.ey.com"
    )
    problems = catalog_problems(
        entry_yaml({"ats": "successfactors", "careers_url": "https://career4.successfactors.com/"})
    )
    assert problems and "needs its company" in " ".join(problems)


@pytest.mark.parametrize(
    ("url", "careers_url"),
    [
        (SITE + "/search/?q=developer", SITE),
        (SITE + "/job/Walldorf-Dev-69190/1412067333/", SITE),
        ("https://tfl.jobs2web.com/tfl/search/", "https://tfl.jobs2web.com"),
        (CLASSIC + "&career_ns=job_listing&career_job_req_id=48213", CLASSIC),
        ("https://career17.sapsf.com/career?company=investorsgP&lang=en_US",
         "https://career17.sapsf.com/career?company=investorsgP"),
    ],
)  # fmt: skip
def test_finder_reads_site_and_classic_urls(url, careers_url):
    assert recognize(url) == {"ats": "successfactors", "careers_url": careers_url}


@pytest.mark.parametrize(
    "url",
    [
        "https://career4.successfactors.com/career",
        "https://rmkcdn.successfactors.com/bcb7ba9d/js/jquery.min.js",
        "https://www.successfactors.com/products.html",
    ],
)
def test_finder_rejects_other_successfactors_urls(url):
    assert recognize(url) is None


def test_finder_reads_a_career_site_on_the_companys_domain():
    body = FILES.joinpath("successfactors", "job.html").read_text()
    assert find_in_page("https://jobs.sap.com/job/x/1/", body) == {
        "ats": "successfactors",
        "careers_url": "https://jobs.sap.com",
    }
    own = body.replace("https://jobs.sap.com", "https://careers.acme.example")
    assert find_in_page("https://careers.acme.example/job/x/1/", own) == {
        "ats": "successfactors",
        "careers_url": "https://careers.acme.example",
    }


def test_the_fakes_classic_listing_reads_like_the_real_one(fake_ats):
    board = fake_ats.add_board("successfactors", "sfclassic", size=4, seed=7)
    base = fake_ats.base_url("successfactors", "sfclassic")
    s = spider(careers_url=CLASSIC.replace("bswh", "sfclassic"), base_url=base)
    [request] = start_requests(s)
    with urllib.request.urlopen(request.url) as reply:
        body = reply.read()
    jobs = postings(s.parse_classic(XmlResponse(request.url, body=body)))
    assert s.listing.complete
    assert sorted(j["external_id"] for j in jobs) == sorted(board.ids())
    assert all(j["title"] and j["description_html"] and j["posted_at"] for j in jobs)
