"""Every place of a posting, from the real payloads of each platform that lists several
(Workday's additionalLocations: test_spiders_workday.py)."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import fixture_response, jsonld_spider, make_spider, postings, response
from tests.helpers import jsonld_job_page as job_page


def places(posting: dict[str, Any]) -> list[tuple[str | None, ...]]:
    return [(p["raw"], p["city"], p["region"], p["country"]) for p in posting["locations"]]


def primary(posting: dict[str, Any]) -> tuple[str | None, ...]:
    return posting["city"], posting["region"], posting["country"]


def test_lever_all_locations():
    url = "https://api.lever.co/v0/postings/spotify?mode=json&skip=0&limit=100"
    spider = make_spider("lever", "spotify")
    android, pm = postings(
        spider.parse_page(fixture_response(url, "lever", "postings.json"), 0, None)
    )
    assert places(android) == [
        ("London", "London", None, "GB"),
        ("Stockholm", "Stockholm", None, "SE"),
    ]
    assert primary(android) == ("London", None, "GB")
    assert places(pm) == [("Remote - US", None, None, "US")]


def test_ashby_secondary_locations():
    url = "https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true"
    spider = make_spider("ashby", "linear")
    _, sales = postings(spider.parse_board(fixture_response(url, "ashby", "board.json")))
    assert places(sales) == [
        ("Berlin", "Berlin", "Berlin", "DE"),  # the postal address's parts win
        ("Amsterdam", "Amsterdam", None, "NL"),
    ]


def test_personio_additional_offices():
    origin = "https://nordlicht.jobs.personio.de"
    spider = make_spider("personio", "nordlicht")
    feed = fixture_response(f"{origin}/xml?language=en", "personio", "feed.xml")
    engineer, home_office, hamburg = postings(spider.parse_feed(feed, origin))
    assert places(engineer) == [("Munich", "Munich", None, "DE"), ("Berlin", "Berlin", None, "DE")]
    assert places(home_office) == []  # "Home office" is a work mode, no place
    assert places(hamburg) == [("Hamburg", "Hamburg", None, "DE")]


def test_recruitee_locations():
    spider = make_spider("recruitee", "acme")
    url = "https://acme.recruitee.com/api/offers/"
    _, multi = postings(spider.parse_offers(fixture_response(url, "recruitee", "offers.json")))
    assert places(multi) == [
        ("Berlin, Germany", "Berlin", None, "DE"),
        ("Lisbon, Portugal", "Lisbon", None, "PT"),
    ]


def test_breezy_locations():
    spider = make_spider("breezy", "acme")
    url = "https://acme.breezy.hr/json?verbose=true"
    _, multi = postings(spider.parse_positions(fixture_response(url, "breezy", "positions.json")))
    assert places(multi) == [
        ("Remote, United States", None, None, "US"),
        ("Toronto, ON", "Toronto", "ON", "CA"),
    ]


def test_teamtailor_locations():
    spider = make_spider("teamtailor", "acme")
    url = "https://acme.teamtailor.com/jobs.rss?per_page=200"
    found = postings(spider.parse_page(fixture_response(url, "teamtailor", "jobs.rss"), 0))
    assert places(found[1]) == [
        ("Stockholm, Sweden", "Stockholm", None, "SE"),
        ("Oslo, Norway", "Oslo", None, "NO"),
    ]
    assert places(found[2]) == []  # no location at all


def test_workable_rows_per_location():
    spider = make_spider("workable", "acme")
    url = "https://apply.workable.com/api/v1/widget/accounts/acme?details=true"
    first = postings(spider.parse_account(fixture_response(url, "workable", "account.json")))[0]
    assert places(first) == [
        ("Madrid, Community of Madrid, Spain", "Madrid", "Community of Madrid", "ES"),
        ("Porto, Portugal", "Porto", None, "PT"),
    ]


def test_jsonld_several_job_locations():
    [posting] = job_page(jsonld_spider(), "job_teamtailor.html")
    assert places(posting) == [
        ("Stockholm, Sweden, SE", "Stockholm", "Sweden", "SE"),
        ("København, DK", "København", None, "DK"),
    ]


def test_greenhouse_offices_name_the_other_places():
    """Shaped as the API's `offices[]` (ats-apis.md §1.1): the text names the primary."""
    job = {
        "id": 1,
        "title": "Account Executive",
        "absolute_url": "https://job-boards.greenhouse.io/acme/jobs/1",
        "location": {"name": "Hybrid - London"},
        "offices": [
            {"id": 1, "name": "London", "location": "London, England, United Kingdom"},
            {"id": 2, "name": "Cork", "location": "Cork"},
        ],
    }
    url = "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    body = json.dumps({"jobs": [job], "meta": {"total": 1}}).encode()
    [posting] = postings(make_spider("greenhouse", "acme").parse_board(response(url, body)))
    assert posting["location"] == "Hybrid - London"
    assert places(posting) == [  # London twice is one place; Cork's country is the gazetteer's
        ("Hybrid - London", "London", None, "GB"),
        ("Cork", "Cork", None, "IE"),
    ]


def test_one_text_listing_several_places_becomes_several():
    """An HTML list gives one location string; "or" and commas between cities split it."""
    spider = make_spider("greenhouse", "acme")
    job = {"id": 2, "title": "Engineer", "absolute_url": "https://example.com/jobs/2"}
    job["location"] = {"name": "Berlin, Munich or Remote"}
    url = "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    body = json.dumps({"jobs": [job], "meta": {"total": 1}}).encode()
    [posting] = postings(spider.parse_board(response(url, body)))
    assert places(posting) == [("Berlin", "Berlin", None, "DE"), ("Munich", "Munich", None, "DE")]
    assert primary(posting) == ("Berlin", None, "DE")
