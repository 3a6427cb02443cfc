"""Single-document boards are parsed one posting at a time, with every listing check kept."""

import json

import pytest

from tests.helpers import make_spider, postings, response

GREENHOUSE = "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
ASHBY = "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true"


def job(job_id: int) -> dict:
    return {
        "id": job_id,
        "title": f"Engineer {job_id}",
        "absolute_url": f"https://x.example/{job_id}",
    }


def board(*jobs: dict, total: int | None = None, meta_first: bool = False) -> str:
    """A Greenhouse board with `meta` before or after `jobs`."""
    jobs_part = f'"jobs": {json.dumps(list(jobs), ensure_ascii=False)}'
    meta_part = f'"meta": {json.dumps({"total": len(jobs) if total is None else total})}'
    parts = [meta_part, jobs_part] if meta_first else [jobs_part, meta_part]
    return "{" + ", ".join(parts) + "}"


def test_the_first_posting_comes_before_the_rest_is_parsed():
    spider = make_spider("greenhouse")
    stream = spider.listing_stream(
        response(GREENHOUSE, board(job(1), job(2))), "jobs", ["meta.total"]
    )
    first = next(iter(stream))
    assert first["id"] == 1
    assert stream.count == 1
    assert "meta.total" not in stream.values  # `meta` stands after `jobs`: not reached yet


def test_a_later_malformed_entry_fails_the_listing_after_the_earlier_postings():
    spider = make_spider("greenhouse")
    body = f'{{"jobs": [{json.dumps(job(1))}, {{"id": 2, "title": }}], "meta": {{"total": 2}}}}'
    found = postings(spider.parse_board(response(GREENHOUSE, body)))
    assert [p["external_id"] for p in found] == ["1"]
    assert not spider.listing.complete
    assert spider.listing.problem.startswith(f"invalid JSON (no content type) at {GREENHOUSE}")
    assert spider.crawler.stats.get_value("jobcrawler/listing/invalid_json") == 1


@pytest.mark.parametrize("meta_first", [False, True])
def test_meta_total_is_checked_before_or_after_the_jobs(meta_first):
    spider = make_spider("greenhouse")
    body = board(job(1), job(2), total=3, meta_first=meta_first)
    assert len(postings(spider.parse_board(response(GREENHOUSE, body)))) == 2
    assert spider.listing.problem == f"{GREENHOUSE}: meta.total is 3 but 2 jobs came"

    spider = make_spider("greenhouse")
    body = board(job(1), job(2), meta_first=meta_first)
    assert len(postings(spider.parse_board(response(GREENHOUSE, body)))) == 2
    assert spider.listing.complete


@pytest.mark.parametrize("body", ['{"jobs": {"id": 1}}', '{"meta": {}}', "[]", '"jobs"'])
def test_a_payload_without_a_jobs_list_fails_the_listing(body):
    spider = make_spider("greenhouse")
    assert postings(spider.parse_board(response(GREENHOUSE, body))) == []
    assert spider.listing.problem == f"expected a 'jobs' list in the response at {GREENHOUSE}"
    assert spider.crawler.stats.get_value("jobcrawler/listing/unexpected_shape") == 1


@pytest.mark.parametrize(
    "body",
    [
        b"\xef\xbb\xbf" + board(job(1), job(2)).encode(),  # a byte-order mark
        board(job(1), job(2))
        .replace('"Engineer 2"', '"Ing\\u00e9nieur", "n": 1' + "0" * 25)
        .encode(),
    ],
    ids=["bom", "huge-integer"],
)
def test_what_the_streaming_parser_refuses_is_read_the_tolerant_way(body):
    spider = make_spider("greenhouse")
    found = postings(spider.parse_board(response(GREENHOUSE, body)))
    assert [p["external_id"] for p in found] == ["1", "2"]
    assert spider.listing.complete


def test_a_declared_charset_other_than_utf8_is_honoured():
    spider = make_spider("greenhouse")
    body = board(job(1), {**job(2), "title": "Café manager"}).encode("latin-1")
    reply = response(GREENHOUSE, body)
    reply = reply.replace(headers={"Content-Type": "application/json; charset=iso-8859-1"})
    found = postings(spider.parse_board(reply))
    assert [p["title"] for p in found] == ["Engineer 1", "Café manager"]
    assert spider.listing.complete


def test_ashby_numbers_are_floats_and_a_bad_board_fails():
    spider = make_spider("ashby")
    salary = {"compensationType": "Salary", "minValue": 99000.5, "maxValue": 1.2e5}
    posting = {"id": "a", "title": "Support", "compensation": {"summaryComponents": [salary]}}
    [found] = postings(spider.parse_board(response(ASHBY, json.dumps({"jobs": [posting]}))))
    assert (found["salary_min"], found["salary_max"]) == (99000.5, 120000)
    assert type(found["salary_min"]) is float
    assert spider.listing.complete

    spider = make_spider("ashby")
    assert postings(spider.parse_board(response(ASHBY, '{"jobs": [{"id": "a"'))) == []
    assert spider.listing.problem.startswith(f"invalid JSON (no content type) at {ASHBY}")
