"""The read API in process (FastAPI's TestClient) on SQLite and PostgreSQL, over postings
written the way crawls write them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from jobcrawler.api.app import create_app
from jobcrawler.api.schemas import ChangesPage, MirroredPosting
from jobcrawler.db.store import CompanyRecord
from scheduler.reports import maintain
from tests.helpers.api import Mirror, active_titles, event_count
from tests.helpers.store import OTHER, crawl, posting

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine, {"acme": "0 3 * * *"})) as client:
        yield client


def get(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: dict[str, Any]) -> list[str]:
    return [p["external_id"] for p in page["postings"]]


def test_search_filters_and_full_text(engine: Engine, client: TestClient) -> None:
    crawl(
        engine,
        [
            posting(1, title="Rust Engineer", description="Systems work"),
            posting(2, title="Chef", description="Cook for the Rust team", salary_min=None,
                    salary_max=None, remote_type="onsite"),
            posting(3, title="Data Analyst", location="Paris, France", city="Paris",
                    region=None, country="FR", salary_currency="EUR", salary_min=30000,
                    salary_max=40000),
        ],
    )  # fmt: skip
    crawl(engine, [posting(9, title="Rust Engineer")], company=OTHER)
    assert sorted(ids(get(client, "/postings?q=rust"))) == ["1", "2", "9"]
    assert ids(get(client, "/postings?q=rust&company=acme&remote_type=hybrid")) == ["1"]
    assert ids(get(client, "/postings?q=rust&company=acme&remote_type=HYBRID")) == ["1"]
    assert sorted(ids(get(client, f"/postings?q=engineer&company=acme&company={OTHER.slug}"))) == [
        "1",
        "9",
    ]
    assert ids(get(client, "/postings?q=systems%20rust")) == ["1"]  # every word
    assert ids(get(client, "/postings?country=fr")) == ["3"]
    assert ids(get(client, "/postings?city=paris&company=acme")) == ["3"]
    assert sorted(ids(get(client, "/postings?salary_min=50000&currency=eur"))) == ["1", "9"]
    assert ids(get(client, "/postings?salary_max=45000")) == ["3"]
    assert get(client, "/postings?q=%22unbalanced%20OR")["postings"] == []
    assert client.get("/postings?after=garbage").status_code == 400
    assert client.get("/postings?q=a%00").status_code == 400


def test_pages_stay_stable_while_crawls_insert(engine: Engine, client: TestClient) -> None:
    crawl(engine, [posting(i) for i in range(10)])
    first = get(client, "/postings?limit=4&sort=first_seen")
    crawl(engine, [posting(i) for i in range(10, 15)], company=OTHER)  # lands mid-listing
    seen = ids(first)
    page = first
    while page["next"]:
        page = get(client, f"/postings?limit=4&sort=first_seen&company=acme&after={page['next']}")
        seen += ids(page)
    assert seen == [str(i) for i in range(10)]  # in order, none twice, none skipped


def test_posting_with_history(engine: Engine, client: TestClient) -> None:
    crawl(engine, [posting(1)])
    crawl(engine, [posting(1, title="Senior Engineer 1")])
    crawl(engine, [], gone=["1"])
    found = get(client, "/postings?status=removed")["postings"]
    assert [p["title"] for p in found] == ["Senior Engineer 1"]
    detail = get(client, f"/postings/{found[0]['id']}")
    assert [e["kind"] for e in detail["events"]] == ["created", "updated", "removed"]
    assert detail["events"][1]["changes"]["title"] == {
        "old": "Engineer 1",
        "new": "Senior Engineer 1",
    }
    assert detail["places"][0]["city"] == "Berlin"
    assert client.get("/postings/999999").status_code == 404


def test_companies_sessions_health_metrics_feed(engine: Engine, client: TestClient) -> None:
    crawl(engine, [posting(1), posting(2)])
    failing = CompanyRecord(slug="broken", name="Broken", ats="lever", board="broken")
    crawl(engine, [], company=failing, complete=False, items_scraped=0)
    acme = get(client, "/companies/acme")
    assert acme["active_postings"] == 2 and acme["last_session"]["status"] == "succeeded"
    assert acme["next_due"].endswith("T03:00:00Z")
    listed = get(client, "/companies?limit=1")
    assert [c["slug"] for c in listed["companies"]] == ["acme"]
    rest = get(client, f"/companies?limit=1&after={listed['next']}")
    assert [c["slug"] for c in rest["companies"]] == ["broken"] and rest["next"] is None
    sessions = get(client, "/sessions?status=failed")["sessions"]
    assert [(s["company"], s["error"]) for s in sessions] == [("broken", "listing page 3 failed")]
    assert get(client, f"/sessions/{sessions[0]['id']}")["stats"]["item_scraped_count"] == 1
    health = get(client, "/healthz")
    assert health["database"] and health["failing_companies"] == ["broken"]
    assert 0 <= health["last_success_age_seconds"] < 60
    metrics = client.get("/metrics").text
    assert 'jobcrawler_crawl_sessions{status="failed"} 1' in metrics
    assert "jobcrawler_active_postings 2\n" in metrics
    assert 'jobcrawler_last_success_age_seconds{company="acme"}' in metrics
    feed = ET.fromstring(client.get("/companies/acme/feed.atom").content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")] == [
        "Engineer 2",
        "Engineer 1",
    ]
    assert client.get("/companies/nobody/feed.atom").status_code == 404


def test_mirror_from_changes_rebuilds_the_active_postings(
    engine: Engine, client: TestClient
) -> None:
    """A downstream mirror follows /changes while crawls create, update, remove and reopen
    postings; it ends with exactly the active postings and never sees an event twice."""
    mirror = Mirror()
    done = threading.Event()

    def crawls() -> None:
        try:
            for round_ in range(6):
                live = [i for i in range(25) if (i + round_) % 4]  # some leave, some return
                batch = [posting(i, title=f"Engineer {i} v{round_ // 2}") for i in live]
                gone = [str(i) for i in range(25) if i not in live]
                crawl(engine, batch, gone=gone)
                crawl(engine, [posting(100 + round_)], company=OTHER)
        finally:
            done.set()

    writer = threading.Thread(target=crawls)
    writer.start()
    while not done.is_set():
        mirror.follow(lambda path: get(client, path))
    writer.join()
    mirror.catch_up(lambda path: get(client, path), event_count(engine))
    assert {pid: p["title"] for pid, p in mirror.postings.items()} == active_titles(engine)
    assert len(mirror.seen) == len(set(mirror.seen)) == event_count(engine)


def test_mirror_drops_stale_postings_until_a_crawl_reopens_or_removes_them(
    engine: Engine, client: TestClient
) -> None:
    """`scheduler maintain` marks long-unseen postings stale, with a `stale` event: they
    leave the active set; a crawl that sees one again reopens it, one that has the board's
    word that it is gone removes it."""
    crawl(engine, [posting(i) for i in range(4)])
    maintain(engine, datetime.now(UTC) + timedelta(days=61))
    mirror = Mirror()
    mirror.catch_up(lambda path: get(client, path), event_count(engine))
    assert mirror.postings == {} == active_titles(engine)
    crawl(engine, [posting(0), posting(1)], gone=["2"])  # 3 is missed: it stays stale
    mirror.catch_up(lambda path: get(client, path), event_count(engine))
    kinds = [e["kind"] for e in get(client, "/changes?limit=100")["events"]]
    assert kinds[4:] == ["stale"] * 4 + ["reopened"] * 2 + ["removed"]
    assert {pid: p["title"] for pid, p in mirror.postings.items()} == active_titles(engine)
    assert sorted(p["external_id"] for p in mirror.postings.values()) == ["0", "1"]


def test_changes_pages_are_what_the_response_model_gives(
    engine: Engine, client: TestClient
) -> None:
    """/changes skips the response model for speed: each page must still be exactly the
    model's serialization, and a mirror gets every field of the active postings."""
    crawl(engine, [posting(1), posting(2, salary_min=None, posted_at=None), posting(3)])
    crawl(engine, [posting(1, title="Lead 1"), posting(2, salary_min=None, posted_at=None)],
          gone=["3"])  # fmt: skip
    crawl(engine, [posting(1, title="Lead 1"), posting(3)])
    mirror = Mirror()
    pages: list[dict[str, Any]] = []

    def record(path: str) -> dict[str, Any]:
        pages.append(get(client, path))
        return pages[-1]

    # until every event came: on PostgreSQL another test's open transaction holds some back
    mirror.catch_up(record, event_count(engine), limit=2)
    for page in pages:
        assert page == ChangesPage.model_validate(page).model_dump(mode="json")
    fields = set(MirroredPosting.model_fields)
    for posting_id, mirrored in mirror.postings.items():
        stored = get(client, f"/postings/{posting_id}")
        assert mirrored == {k: v for k, v in stored.items() if k in fields}
    assert set(mirror.postings) == set(active_titles(engine))


def test_changes_hold_back_events_behind_an_open_transaction(
    engine: Engine, client: TestClient
) -> None:
    """PostgreSQL: an event with a lower id that commits after a higher one is still
    delivered, and before it."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers commit one at a time, in id order")
    crawl(engine, [posting(1)])
    crawl(engine, [posting(2)], company=OTHER)
    mirror = Mirror()
    mirror.follow(lambda path: get(client, path))
    insert = text(
        "INSERT INTO job_events (posting_id, kind, at) "
        "SELECT id, 'updated', now() FROM job_postings WHERE external_id = :ext RETURNING id"
    )
    with engine.connect() as early, engine.connect() as late:
        first = early.execute(insert, {"ext": "1"}).scalar_one()  # lower id, commits last
        second = late.execute(insert, {"ext": "2"}).scalar_one()
        late.commit()
        assert first < second
        mirror.follow(lambda path: get(client, path))
        assert second not in mirror.seen  # held back while `early` may still commit
        early.commit()
    mirror.catch_up(lambda path: get(client, path), event_count(engine))
    assert mirror.seen[-2:] == [first, second]


def test_a_wrong_method_is_told_every_method_of_the_resource(client: TestClient) -> None:
    for method, path, allow in (
        ("OPTIONS", "/searches", "GET, HEAD, POST"),
        ("PATCH", "/searches/1", "DELETE, GET, HEAD, PUT"),
        ("DELETE", "/postings", "GET, HEAD"),
    ):
        response = client.request(method, path)
        assert (response.status_code, response.headers["allow"]) == (405, allow), path
    assert client.get("/nowhere").status_code == 404
    assert client.head("/postings").status_code == 200


def test_time_filters_take_iso_dates_only(client: TestClient) -> None:
    """Not a number: pydantic alone would read `0.5` as Unix time."""
    for value in ("2026-11-01", "2026-11-01T08:00:00Z", "2026-11-01T09:00:00%2B01:00"):
        assert client.get(f"/postings?posted_since={value}").status_code == 200, value
    for value in ("0.5", "1700000000", "yesterday"):
        response = client.get(f"/postings?first_seen_since={value}")
        assert response.status_code == 422 and "ISO 8601" in response.text, value
