"""The fake ATS speaks Recruitee, Breezy, Comeet and Workable with their real shapes and quirks."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from fakeats import FakeATS
from fakeats.comeet import api_token
from tests.helpers.fakeats_http import fetch, get_json

pytestmark = pytest.mark.e2e  # the fake ATS over HTTP

RECRUITEE_KEYS = {
    "id", "guid", "slug", "title", "status", "company_name", "department", "location", "city",
    "state_name", "state_code", "country", "country_code", "postal_code", "locations", "remote",
    "hybrid", "on_site", "employment_type_code", "experience_code", "salary", "created_at",
    "published_at", "updated_at", "close_at", "description", "requirements", "careers_url",
    "careers_apply_url",
}  # fmt: skip
BREEZY_KEYS = {
    "id", "friendly_id", "name", "url", "published_date", "type", "location", "department",
    "company", "locations",
}  # fmt: skip
COMEET_KEYS = {
    "uid", "name", "department", "email", "url_comeet_hosted_page", "url_active_page",
    "employment_type", "experience_level", "internal_use_custom_id", "picture_url",
    "time_updated", "company_name", "position_url", "location",
}  # fmt: skip
WORKABLE_KEYS = {
    "title", "shortcode", "code", "employment_type", "telecommuting", "department", "url",
    "shortlink", "application_url", "published_on", "created_at", "country", "city", "state",
    "education", "experience", "function", "industry", "locations",
}  # fmt: skip
UTC_STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"


@pytest.fixture
def fake() -> Iterator[FakeATS]:
    with FakeATS() as server:
        yield server


def list_url(fake: FakeATS, platform: str, token: str = "acme") -> str:
    """The listing URL each spider requests, on the fake."""
    base = fake.base_url(platform, token)
    return {
        "recruitee": f"{base}/api/offers/",
        "breezy": f"{base}/json?verbose=true",
        "comeet": f"{base}/careers-api/2.0/company/{token}/positions"
        f"?token={api_token(token)}&details=true",
        "workable": f"{base}/api/v1/widget/accounts/{token}?details=true",
    }[platform]


def rows_of(platform: str, data: Any) -> list[dict[str, Any]]:
    return {"recruitee": lambda: data["offers"], "workable": lambda: data["jobs"]}.get(
        platform, lambda: data
    )()


# -- Recruitee -------------------------------------------------------------------------------


def test_recruitee_offers_shape(fake: FakeATS) -> None:
    board = fake.add_board("recruitee", "acme", size=30, seed=1)
    assert fake.base_url("recruitee", "acme") == f"{fake.url}/recruitee/acme"
    offers = get_json(list_url(fake, "recruitee"))["offers"]
    assert [str(o["id"]) for o in offers] == board.ids()
    assert offers[0]["id"] == 2_000_000  # 1e6 + (seed % 1000) * 1e6 + index
    for offer in offers:
        assert set(offer) >= RECRUITEE_KEYS
        assert offer["status"] == "published"
        assert sum(offer[k] for k in ("remote", "hybrid", "on_site")) <= 1
        for key in ("created_at", "published_at", "updated_at"):
            assert re.fullmatch(UTC_STAMP, offer[key])
        assert offer["careers_url"] == f"https://acme.recruitee.com/o/{offer['slug']}"
        assert offer["careers_apply_url"] == offer["careers_url"] + "/c/new"
        assert offer["description"].startswith("<p>")
        assert offer["requirements"].startswith('<p style="min-height: 1.7em;"></p><h4>')
        salary = offer["salary"]
        assert set(salary) == {"min", "max", "period", "currency"}
        if salary["min"] is not None:  # amounts are strings
            assert isinstance(salary["min"], str) and salary["min"].isdigit()
            assert salary["period"] in ("year", "hour")
    assert offers[1]["salary"]["min"] is not None  # slot 1: structured salary
    assert offers[2]["salary"] == {"min": None, "max": None, "period": None, "currency": None}
    assert offers[3]["hybrid"] is True  # slot 3: Hybrid - London
    assert len(offers[4]["locations"]) == 3  # slot 4: three places, `location` names one
    assert ";" not in offers[4]["location"]
    assert {o["employment_type_code"] for o in offers} & {"fulltime_permanent", "fulltime"}


def test_recruitee_single_offer_and_404s(fake: FakeATS) -> None:
    board = fake.add_board("recruitee", "acme", size=3, seed=1)
    base = fake.base_url("recruitee", "acme")
    offer = get_json(f"{base}/api/offers/{board.ids()[2]}")["offer"]
    assert str(offer["id"]) == board.ids()[2]
    for url in (f"{base}/api/offers/1", f"{fake.url}/recruitee/nope/api/offers/"):
        status, _, body = fetch(url)
        assert (status, json.loads(body)) == (404, {"error": "Not found"})


# -- Breezy ----------------------------------------------------------------------------------


def test_breezy_positions_shape(fake: FakeATS) -> None:
    board = fake.add_board("breezy", "acme", size=30, seed=1)
    positions = get_json(list_url(fake, "breezy"))
    assert isinstance(positions, list)
    assert [p["id"] for p in positions] == board.ids()
    for p in positions:
        assert set(p) >= BREEZY_KEYS | {"description"}
        assert re.fullmatch(r"[0-9a-f]{12}", p["id"])
        assert p["url"] == f"https://acme.breezy.hr/p/{p['friendly_id']}"
        assert p["friendly_id"].startswith(p["id"] + "-")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", p["published_date"])
        assert set(p["type"]) == {"id", "name"}
        assert set(p["location"]["country"]) == {"name", "id"}
        assert isinstance(p["location"]["is_remote"], bool)
        assert p["locations"][0]["name"] == p["location"]["name"]
        if "salary" in p:
            assert re.fullmatch(r"\D+[\d,]+ - \D+[\d,]+ / (year|hour)", p["salary"])
    assert "salary" in positions[1] and "salary" not in positions[2]  # slot 2: prose only
    assert len(positions[4]["locations"]) == 3
    assert {"id": "other", "name": "Other"} in [p["type"] for p in positions]
    assert any(p["location"]["is_remote"] for p in positions)


def test_breezy_description_only_when_verbose(fake: FakeATS) -> None:
    fake.add_board("breezy", "acme", size=5, seed=1)
    plain = get_json(f"{fake.base_url('breezy', 'acme')}/json")
    assert all("description" not in p for p in plain)
    status, _, body = fetch(f"{fake.url}/breezy/nope/json")
    assert (status, json.loads(body)) == (404, {"error": "Career portal not found"})


# -- Comeet ----------------------------------------------------------------------------------


def test_comeet_needs_the_token(fake: FakeATS) -> None:
    fake.add_board("comeet", "A2.00F", size=3, seed=1)
    base = f"{fake.url}/careers-api/2.0/company/A2.00F/positions"
    assert fetch(base)[0] == 401
    status, _, body = fetch(base + "?token=wrong")
    assert (status, json.loads(body)) == (403, {"status": 403, "message": "Invalid token"})
    assert len(get_json(f"{base}?token={api_token('A2.00F')}")) == 3
    assert api_token("A2.00F") != api_token("A2.010")


def test_comeet_positions_shape(fake: FakeATS) -> None:
    board = fake.add_board("comeet", "acme", size=50, seed=1)
    positions = get_json(list_url(fake, "comeet"))
    assert [p["uid"] for p in positions] == board.ids()
    assert positions[0]["uid"] == "01.000"
    orders_shuffled = False
    for p in positions:
        assert set(p) >= COMEET_KEYS | {"details"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", p["time_updated"])
        assert p.get("workplace_type") in ("On-site", "Hybrid", "Remote", None)
        assert isinstance(p["location"]["is_remote"], bool)
        assert p["url_comeet_hosted_page"].endswith("/" + p["uid"])
        orders = [d["order"] for d in p["details"]]
        assert sorted(orders) == list(range(1, len(orders) + 1))
        assert {"name", "value", "order"} == set(p["details"][0])
        orders_shuffled |= orders != sorted(orders)
    assert orders_shuffled  # the array order is not the display order
    assert any("workplace_type" not in p for p in positions)  # older positions
    hybrid_flagged = [
        p for p in positions if p.get("workplace_type") == "Hybrid" and p["location"]["is_remote"]
    ]
    assert hybrid_flagged  # the deprecated flag says remote on hybrid jobs

    without = get_json(list_url(fake, "comeet").replace("&details=true", ""))
    assert all("details" not in p for p in without)
    one = get_json(
        f"{fake.url}/careers-api/2.0/company/acme/positions/{board.ids()[7]}?token={api_token('acme')}"
    )
    assert one["uid"] == board.ids()[7]


# -- Workable --------------------------------------------------------------------------------


def test_workable_one_row_per_location(fake: FakeATS) -> None:
    board = fake.add_board("workable", "acme", size=50, seed=1)
    data = get_json(list_url(fake, "workable"))
    assert data["name"] == "Acme" and data["description"].startswith("<p>")
    rows = data["jobs"]
    places = {p.external_id: p.places for p in board.postings()}
    assert len(rows) == sum(len(ps) for ps in places.values()) > 50
    assert list(dict.fromkeys(r["shortcode"] for r in rows)) == board.ids()
    counts = Counter(r["shortcode"] for r in rows)
    assert counts[board.ids()[4]] == 3  # slot 4: three locations, three rows
    for shortcode, n in counts.items():
        same = [r for r in rows if r["shortcode"] == shortcode]
        assert len({(r["country"], r["city"]) for r in same}) == n  # each row its own place
        assert len({r["title"] for r in same}) == 1
        for r in same:
            assert set(r) >= WORKABLE_KEYS | {"description"}
            assert re.fullmatch(r"[0-9A-F]{10}", r["shortcode"])
            assert r["url"] == f"https://apply.workable.com/j/{shortcode}"
            assert r["application_url"] == r["url"] + "/apply"
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["published_on"])
            [location] = r["locations"]
            assert (location["country"], location["city"]) == (r["country"], r["city"])
            assert r["city"] is not None and r["state"] is not None  # blanks, not nulls
    assert any(r["telecommuting"] for r in rows)

    plain = get_json(list_url(fake, "workable").replace("?details=true", ""))
    assert all("description" not in r for r in plain["jobs"])


# -- all four --------------------------------------------------------------------------------

PLATFORMS = ("recruitee", "breezy", "comeet", "workable")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_listing_faults_and_empty_shape(fake: FakeATS, platform: str) -> None:
    board = fake.add_board(platform, "acme", size=5, seed=1)
    url = list_url(fake, platform)
    board.set_fault("http_500", times=1)
    assert fetch(url)[0] == 500
    board.set_fault("empty", times=1)
    assert rows_of(platform, get_json(url)) == []
    board.set_fault("truncated", times=1)
    with pytest.raises(json.JSONDecodeError):
        json.loads(fetch(url)[2])
    assert (
        len(
            {
                r.get("id") or r.get("uid") or r.get("shortcode")
                for r in rows_of(platform, get_json(url))
            }
        )
        == 5
    )
    assert [r.kind for r in fake.requests] == ["list"] * 4


@pytest.mark.parametrize("platform", PLATFORMS)
def test_same_seed_same_body(platform: str) -> None:
    bodies = []
    for seed in (7, 7, 8):
        with FakeATS() as server:
            server.add_board(platform, "acme", size=30, seed=seed)
            status, _, body = fetch(list_url(server, platform))
            assert status == 200
            bodies.append(body)
    assert bodies[0] == bodies[1] != bodies[2]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_change_and_remove_show_in_the_listing(fake: FakeATS, platform: str) -> None:
    board = fake.add_board(platform, "acme", size=10, seed=3)
    before = {_key(r): r for r in rows_of(platform, get_json(list_url(fake, platform)))}
    removed = board.remove(2)
    changed = board.change(1)
    after = {_key(r): r for r in rows_of(platform, get_json(list_url(fake, platform)))}
    assert set(before) - set(after) == set(removed)
    [edited] = changed
    assert _title(after[edited]) != _title(before[edited])


def _key(row: dict[str, Any]) -> str:
    return str(row.get("id") or row.get("uid") or row.get("shortcode"))


def _title(row: dict[str, Any]) -> str:
    return row.get("title") or row["name"]
