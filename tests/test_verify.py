"""The checks of the postings a complete listing missed (spiders/verify.py), in process."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from jobcrawler.spiders.verify import SAMPLE_SIZE, spread
from tests.helpers import make_spider, response

BOARD = "https://boards-api.greenhouse.io/v1/boards/acme/jobs"


def spider_missing(n: int, ats: str = "greenhouse", **company):
    """A spider whose complete listing showed posting "0" of the stored "0".."n"."""
    spider = make_spider(ats, **company)
    spider.known_postings = {str(i): f"https://example.com/jobs/{i}" for i in range(n + 1)}
    spider.posting(external_id="0")
    spider.listing.done()
    return spider


def answer(request: Request, status: int = 200, body: str = "{}") -> None:
    """Run the check's callback as the engine would on a response."""
    request.callback(response(request.url, body, status=status, **request.meta))


def ids(requests: list[Request]) -> list[str]:
    return [r.meta["verify_id"] for r in requests]


def test_spread_picks_evenly_and_keeps_small_lists():
    assert spread(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert spread([1, 2], 5) == [1, 2]


def test_nothing_to_check_when_nothing_is_missing():
    spider = spider_missing(0)
    assert spider.verifier.next_requests() == []


def test_incomplete_listing_is_not_checked():
    spider = spider_missing(3)
    spider.listing.fail("page 2 failed")
    assert spider.verifier.next_requests() == []


def test_sample_all_gone_then_rest_checked_and_removable():
    spider = spider_missing(12)
    sample = spider.verifier.next_requests()
    assert len(sample) == SAMPLE_SIZE
    assert sample[0].url == f"{BOARD}/1"
    assert sample[0].meta["handle_httpstatus_list"] == [404, 410]
    for request in sample:
        answer(request, 404)
    rest = spider.verifier.next_requests()
    assert sorted(ids(sample + rest), key=int) == [str(i) for i in range(1, 13)]
    for request in rest:
        answer(request, 410)
    assert spider.verifier.next_requests() == []
    assert spider.listing.complete
    assert spider.listing.gone == {str(i) for i in range(1, 13)}
    assert spider.crawler.stats.get_value("jobcrawler/verify/requests") == 12


def test_a_sampled_posting_that_exists_stops_the_checks():
    spider = spider_missing(300)
    sample = spider.verifier.next_requests()
    answer(sample[0], 404)
    for request in sample[1:]:
        answer(request, 200, '{"id": 1}')
    assert spider.verifier.next_requests() == []
    assert not spider.listing.complete
    assert spider.listing.problem == "4 postings missing from the listing still exist"
    assert spider.listing.gone == {sample[0].meta["verify_id"]}
    # the ones that still exist count as seen: their last_seen_at moves, never removed
    assert set(ids(sample[1:])) <= spider.listing.seen_without_item
    assert spider.crawler.stats.get_value("jobcrawler/verify/requests") == SAMPLE_SIZE


def test_a_failed_check_makes_the_listing_incomplete():
    spider = spider_missing(2)
    first, second = spider.verifier.next_requests()
    answer(first, 404)
    second.errback(type("F", (), {"request": second, "getErrorMessage": lambda self: "boom"})())
    assert spider.verifier.next_requests() == []
    assert spider.listing.problem == "1 postings missing from the listing could not be checked"


def test_an_answer_the_platform_check_cannot_read_is_no_evidence(monkeypatch):
    spider = spider_missing(1)
    [check] = spider.verifier.next_requests()
    monkeypatch.setattr(spider, "posting_gone", lambda response: 1 / 0)
    answer(check, 200)
    assert spider.verifier.next_requests() == []
    assert spider.listing.gone == set()
    assert spider.listing.problem == "1 postings missing from the listing could not be checked"


def test_postings_produced_or_seen_are_not_checked():
    spider = spider_missing(3)
    spider.listing.seen_without_item.add("1")
    spider.posting(external_id=2)
    assert ids(spider.verifier.next_requests()) == ["3"]


@pytest.mark.parametrize(
    ("ats", "company", "url"),
    [
        ("lever", {}, "https://api.lever.co/v0/postings/acme/7"),
        ("smartrecruiters", {}, "https://api.smartrecruiters.com/v1/companies/acme/postings/7"),
        ("recruitee", {}, "https://acme.recruitee.com/api/offers/7"),
        ("bamboohr", {}, "https://acme.bamboohr.com/careers/7/detail"),
        ("workable", {}, "https://apply.workable.com/api/v2/accounts/acme/jobs/7"),
        (
            "comeet",
            {"token": "T0K"},
            "https://www.comeet.co/careers-api/2.0/company/acme/positions/7?token=T0K",
        ),
    ],
)
def test_platform_checks(ats, company, url):
    spider = make_spider(ats, **company)
    assert spider.verify_request("7", None).url == url


def test_workday_checks_the_cxs_detail_of_the_stored_url():
    spider = make_spider(
        "workday", "acme", careers_url="https://acme.wd5.myworkdayjobs.com/en-US/External"
    )
    stored = "https://acme.wd5.myworkdayjobs.com/en-US/External/job/Berlin/Engineer_R1"
    request = spider.verify_request("R1", stored)
    assert request.url == (
        "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/Berlin/Engineer_R1"
    )
    assert spider.verify_request("R1", "https://elsewhere.example.com/R1") is None


def test_platforms_without_a_check_leave_removal_to_a_second_crawl():
    spider = spider_missing(2, "ashby")
    assert spider.verifier.next_requests() == []
    assert spider.listing.complete and spider.listing.gone == set()
    assert spider.crawler.stats.get_value("jobcrawler/verify/unverifiable") == 2


def test_recruitee_unpublished_offer_is_gone():
    spider = make_spider("recruitee")
    url = "https://acme.recruitee.com/api/offers/7"
    assert spider.posting_gone(response(url, '{"offer": {"status": "closed"}}'))
    assert not spider.posting_gone(response(url, '{"offer": {"status": "published"}}'))
    assert not spider.posting_gone(response(url, "<html>challenge</html>"))


def test_jsonld_page_without_jobposting_is_gone():
    spider = make_spider(
        "jsonld", "acme", careers_url="https://example.com/careers", job_url_pattern="/jobs/"
    )
    assert spider.verify_request("x", "https://example.com/jobs/1").url.endswith("/jobs/1")

    def page(body: str) -> HtmlResponse:
        return HtmlResponse("https://example.com/jobs/1", body=body.encode())

    posting = '<script type="application/ld+json">{"@type": "JobPosting", "title": "X"}</script>'
    assert spider.posting_gone(page("<html><body>Filled</body></html>"))
    assert not spider.posting_gone(page(f"<html><head>{posting}</head></html>"))
