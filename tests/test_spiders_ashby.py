"""Ashby: real board shapes, unlisted postings, workplaceType over isRemote, compensation."""

from datetime import UTC, datetime

from tests.helpers import fixture_response, make_spider, postings, start_requests

URL = "https://api.ashbyhq.com/posting-api/job-board/airbyte?includeCompensation=true"


def test_start_asks_for_compensation():
    [request] = start_requests(make_spider("ashby", "airbyte"))
    assert request.url == URL


def test_board_parses_and_skips_unlisted():
    spider = make_spider("ashby", "airbyte")
    support, sales = postings(spider.parse_board(fixture_response(URL, "ashby", "board.json")))
    assert spider.listing.complete
    assert spider.crawler.stats.get_value("jobcrawler/ashby/unlisted") == 1

    assert support["external_id"] == "99c417bc-a996-4265-9401-f967b3076c9f"
    assert support["remote_type"] == "remote"
    assert support["employment_type"] == "full_time"
    assert support["country"] == "US"
    assert (support["department"], support["team"]) == ("Technical Support", "Technical Support")
    assert (support["salary_min"], support["salary_max"]) == (99000, 115000)
    assert (support["salary_currency"], support["salary_period"]) == ("USD", "year")
    assert support["posted_at"] == datetime(2026, 4, 27, 17, 14, 0, 440000, tzinfo=UTC)
    assert support["description"] == "Airbyte is the open-source data movement platform."
    assert 'style="' not in support["description_html"]

    assert sales["remote_type"] == "hybrid"  # isRemote true, workplaceType Hybrid
    assert sales["employment_type"] == "contract"
    assert sales["location"] == "Berlin; Amsterdam"
    assert (sales["city"], sales["region"], sales["country"]) == ("Berlin", "Berlin", "DE")
    assert sales["salary_min"] is None
