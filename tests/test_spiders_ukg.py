"""UKG Pro: POSTed search pages checked against totalCount, then the detail page's JSON."""

import json
from datetime import UTC, datetime

from scrapy.http import HtmlResponse, Request

from jobcrawler.finder import recognize
from tests.helpers import FILES, fixture_response, make_spider, postings, response, start_requests

BOARD = "https://recruiting2.ultipro.com/NIK1001NIKON/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112"
SEARCH = f"{BOARD}/JobBoardView/LoadSearchResults"
FIRST = "532a7dc9-4c1e-4b7a-9f0e-1a2b3c4d5e6f"


def spider(**company):
    return make_spider("ukg", "nikon", careers_url=f"{BOARD}/?q=&o=postedDateDesc", **company)


def listed(s, body=None):
    page = response(SEARCH, body) if body else fixture_response(SEARCH, "ukg", "search.json")
    return list(s.parse_page(page, skip=0))


def html(url, name, **meta):
    body = FILES.joinpath("ukg", name).read_bytes()
    return HtmlResponse(url, body=body, encoding="utf-8", request=Request(url, meta=meta))


def detail(request, name):
    reply = html(request.url, name, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_posts_the_boards_own_search():
    [request] = start_requests(spider())
    assert (request.method, request.url) == ("POST", SEARCH)
    search = json.loads(request.body)["opportunitySearch"]
    assert (search["Top"], search["Skip"], search["QueryString"]) == (50, 0, "")
    [request] = start_requests(spider(base_url="http://127.0.0.1:8089/ukg/nikon"))
    assert request.url == (
        "http://127.0.0.1:8089/ukg/nikon/NIK1001NIKON/JobBoard/"
        "f11a0b52-5153-4c12-ad2c-b7f3b0a74112/JobBoardView/LoadSearchResults"
    )


def test_list_asks_detail_pages_and_an_entry_without_id_costs_completeness():
    s = spider()
    requests = listed(s)
    assert [r.url for r in requests] == [
        f"{BOARD}/OpportunityDetail?opportunityId={FIRST}",
        f"{BOARD}/OpportunityDetail?opportunityId=7f6e5d4c-3b2a-4190-8e7d-6c5b4a392817",
    ]
    assert requests[0].headers[b"Accept"].startswith(b"text/html")
    assert "without a readable id" in s.listing.problem


def test_detail_fields():
    s = spider()
    [job] = detail(listed(s)[0], "detail.html")
    assert job["external_id"] == FIRST
    assert job["title"] == "Field Service Engineer"
    assert job["url"] == f"{BOARD}/OpportunityDetail?opportunityId={FIRST}"
    assert job["apply_url"] == f"{BOARD}/OpportunityApply?opportunityId={FIRST}"
    assert job["location"] == "Chandler, AZ, United States"  # the detail's one place wins
    assert (job["city"], job["region"], job["country"]) == ("Chandler", "AZ", "US")
    assert job["remote_type"] == "onsite"
    assert job["employment_type"] == "full_time"
    assert job["department"] == "Service"
    assert job["posted_at"] == datetime(2026, 7, 10, 17, 55, 35, 69000, tzinfo=UTC)
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (95000, 120000, "USD")
    assert job["salary_period"] == "year"
    assert 'Braces {like these} and "quotes" })' in job["description"]
    assert "- Travel 50%" in job["description"]


def test_list_fields_stand_in_for_a_sparse_detail():
    s = spider()
    _, payroll = listed(s)
    page = '<html><body><script>new US.Opportunity.CandidateOpportunityDetail({"Id": "%s"});'
    page = (page % payroll.meta["external_id"]) + "</script></body></html>"
    reply = HtmlResponse(
        payroll.url, body=page.encode(), request=Request(payroll.url, meta=payroll.meta)
    )
    [job] = postings(payroll.callback(reply, **payroll.cb_kwargs))
    assert job["location"] == "Remote - Australia"
    assert (job["region"], job["country"]) == ("Western Australia", "AU")  # WA by name, not code
    assert job["remote_type"] == "remote"  # JobLocationType "2"
    assert job["employment_type"] == "part_time"
    assert job["posted_at"] == datetime(2026, 5, 20, 8, 0, tzinfo=UTC)  # PostedDate
    assert job["salary_min"] is None and job["description"] is None


def test_several_places_are_all_kept():
    s = spider()
    first = listed(s)[0]
    page = f'<script>new US.Opportunity.CandidateOpportunityDetail({{"Id": "{FIRST}"}});</script>'
    reply = HtmlResponse(first.url, body=page.encode(), request=Request(first.url, meta=first.meta))
    [job] = postings(first.callback(reply, **first.cb_kwargs))
    assert job["location"] == "Chandler, AZ, United States; Phoenix, AZ, United States"
    assert job["description"] == "Install and service lithography systems & tools."


def test_closed_shell_is_gone_and_keeps_the_posting_on_a_detail():
    s = spider()
    first = listed(s)[0]
    assert detail(first, "closed.html") == []
    assert FIRST in s.listing.seen_without_item
    assert s.posting_gone(html(first.url, "closed.html"))
    assert not s.posting_gone(html(first.url, "detail.html"))


def test_paging_until_total_count():
    s = spider()
    items = [{"Id": f"00000000-0000-4000-8000-{n:012d}", "Title": f"Job {n}"} for n in range(120)]
    first = json.dumps({"opportunities": items[:50], "totalCount": 120})
    *_, more = listed(s, first)
    assert json.loads(more.body)["opportunitySearch"]["Skip"] == 50
    last = json.dumps({"opportunities": items[100:], "totalCount": 120})
    list(
        s.parse_page(
            response(SEARCH, json.dumps({"opportunities": items[50:100], "totalCount": 120})),
            skip=50,
        )
    )
    assert list(s.parse_page(response(SEARCH, last), skip=100))
    assert s.listing.complete


def test_short_repeated_or_shapeless_pages_are_incomplete():
    s = spider()
    items = [{"Id": f"00000000-0000-4000-8000-{n:012d}", "Title": f"Job {n}"} for n in range(50)]
    listed(s, json.dumps({"opportunities": items, "totalCount": 80}))
    list(
        s.parse_page(
            response(SEARCH, json.dumps({"opportunities": items, "totalCount": 80})), skip=50
        )
    )
    assert "repeats postings" in s.listing.problem
    s = spider()
    listed(s, json.dumps({"opportunities": [], "totalCount": 3}))
    assert "totalCount is 3 but 0 postings came" in s.listing.problem
    s = spider()
    listed(s, json.dumps({"opportunities": items}))
    assert "no 'opportunities' list and 'totalCount'" in s.listing.problem


def test_finder_reads_board_urls_on_every_ukg_host():
    guid = "f11a0b52-5153-4c12-ad2c-b7f3b0a74112"
    for host in (
        "recruiting.ultipro.com",
        "recruiting2.ultipro.com",
        "recruiting.ultipro.ca",
        "vaneck.rec.pro.ukg.net",
    ):
        url = f"https://{host}/NIK1001NIKON/JobBoard/{guid}/OpportunityDetail?opportunityId=x"
        assert recognize(url) == {
            "ats": "ukg",
            "careers_url": f"https://{host}/NIK1001NIKON/JobBoard/{guid}",
        }
    assert recognize("https://recruiting.ultipro.com/NIK1001NIKON/JobBoard/not-a-guid/") is None
    assert recognize("https://nikon.ultipro.com/Login.aspx") is None  # the employee login
