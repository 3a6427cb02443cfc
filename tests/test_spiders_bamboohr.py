"""BambooHR: the list checked against meta.totalCount, then one detail page per posting."""

import json
from datetime import UTC, datetime

from tests.helpers import FILES, fixture_response, make_spider, postings, response, start_requests

BASE = "https://harbourlaw.bamboohr.com"
LIST = f"{BASE}/careers/list"


def spider(**company):
    return make_spider("bamboohr", "harbourlaw", **company)


def listed(s):
    return list(s.parse_list(fixture_response(LIST, "bamboohr", "list.json")))


def detail(s, request, payload):
    reply = response(request.url, payload, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_asks_the_tenant_host_for_json():
    [request] = start_requests(spider())
    assert request.url == LIST
    assert request.headers[b"Accept"] == b"application/json"


def test_base_url_is_the_tenant_origin():
    [request] = start_requests(spider(base_url="http://127.0.0.1:8089/bamboohr/harbourlaw/"))
    assert request.url == "http://127.0.0.1:8089/bamboohr/harbourlaw/careers/list"


def test_list_yields_detail_requests():
    s = spider()
    requests = listed(s)
    assert [r.url for r in requests] == [f"{BASE}/careers/{i}/detail" for i in (112, 131, 140)]
    assert [r.meta["external_id"] for r in requests] == ["112", "131", "140"]
    assert s.listing.complete


def test_detail_fields():
    s = spider()
    request = listed(s)[0]
    [job] = detail(s, request, FILES.joinpath("bamboohr", "detail.json").read_bytes())
    assert job["external_id"] == "112"
    assert job["title"] == "Litigation Paralegal"
    assert job["url"] == job["apply_url"] == "https://harbourlaw.bamboohr.com/careers/112"
    assert job["location"] == "Tampa, Florida, United States"
    assert (job["city"], job["region"], job["country"]) == ("Tampa", "Florida", "US")
    assert job["remote_type"] == "onsite"  # locationType "0"
    assert job["employment_type"] == "full_time"
    assert job["department"] == "Legal"
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (52000, 64000, "USD")
    assert job["salary_period"] == "year"
    assert job["posted_at"] == datetime(2026, 4, 21, tzinfo=UTC)
    assert job["description"] == (
        "Harbour Law is looking for a **Litigation Paralegal** to support our trial team.\n\n"
        "- Prepare exhibits\n- Manage court deadlines"
    )


def test_list_fields_fill_what_a_sparse_detail_leaves_out():
    s = spider()
    _, remote, hybrid = listed(s)
    [billing] = detail(s, remote, json.dumps({"result": {"jobOpening": {"id": "131"}}}))
    assert billing["title"] == "Remote Billing Specialist"
    assert billing["url"] == f"{BASE}/careers/131"
    assert billing["location"] == "Ontario, Canada"  # from atsLocation
    assert (billing["region"], billing["country"]) == ("Ontario", "CA")
    assert billing["remote_type"] == "remote"  # isRemote 1, no locationType
    assert billing["employment_type"] == "part_time"
    assert billing["salary_min"] is None and billing["posted_at"] is None

    [office] = detail(s, hybrid, json.dumps({"result": {"jobOpening": {"compensation": None}}}))
    assert office["remote_type"] == "hybrid"  # locationType "2"
    assert office["employment_type"] == "contract"
    assert office["location"] == "Leeds, West Yorkshire, United Kingdom"
    assert office["country"] == "GB"
    assert office["department"] is None


def test_total_count_mismatch_is_incomplete():
    s = spider()
    data = json.loads(FILES.joinpath("bamboohr", "list.json").read_text())
    data["meta"]["totalCount"] = 4
    assert len(list(s.parse_list(response(LIST, json.dumps(data))))) == 3
    assert "meta.totalCount is 4 but 3 came" in s.listing.problem


def test_html_careers_page_is_incomplete():
    s = spider()
    assert list(s.parse_list(response(LIST, "<!DOCTYPE html><html></html>"))) == []
    assert "invalid JSON" in s.listing.problem


def test_unchanged_postings_skip_their_detail():
    first = spider()
    listed(first)
    again = spider()
    again.known_list_hashes = dict(first.list_hashes)
    assert listed(again) == []
    assert again.listing.complete
    assert again.listing.seen_without_item == {"112", "131", "140"}
