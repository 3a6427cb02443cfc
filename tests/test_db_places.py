"""posting_locations: written with the postings, replaced when places change, untouched by an
unchanged recrawl, and a filter on any place; on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from jobcrawler.db.content import content_hash
from jobcrawler.db.models import JobPosting
from jobcrawler.db.places import in_place
from tests.helpers.store import captured_sql, crawl, events, posting, postings_by_id, stored_places

BERLIN = {"city": "Berlin", "region": "Berlin", "country": "DE", "raw": "Berlin, Germany"}
LEEDS = {"city": "Leeds", "region": None, "country": "GB", "raw": "Leeds"}
CORK = {"city": "Cork", "region": None, "country": "IE", "raw": "Cork"}


def placed(i: int, *places: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return posting(i, locations=[BERLIN, *places], **changes)


def found_by(engine: Engine, **where: str) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(in_place(select(JobPosting.external_id), **where)))


def test_places_are_stored_primary_first(engine: Engine) -> None:
    remote = posting(3, location="Remote", city=None, region=None, country=None, locations=[])
    crawl(engine, [placed(1, LEEDS, CORK), placed(2), remote, posting(4)])
    assert stored_places(engine) == {
        "1": [
            ("Berlin", "Berlin", "DE", "Berlin, Germany"),
            ("Leeds", None, "GB", "Leeds"),
            ("Cork", None, "IE", "Cork"),
        ],
        "2": [("Berlin", "Berlin", "DE", "Berlin, Germany")],
        # not through the normalize stage: its own primary place
        "4": [("Berlin", "Berlin", "DE", "Berlin, Germany")],
    }


def test_one_place_keeps_the_hash_of_a_posting_without_places() -> None:
    assert content_hash(placed(1)) == content_hash(posting(1))
    assert content_hash(placed(1, LEEDS)) != content_hash(posting(1))
    assert content_hash(placed(1, LEEDS)) != content_hash(placed(1, CORK))
    assert content_hash(placed(1, LEEDS, CORK)) != content_hash(placed(1, CORK, LEEDS))


def test_unchanged_recrawl_writes_no_places(engine: Engine) -> None:
    board = [placed(i, LEEDS, CORK) for i in range(12)]
    crawl(engine, board)
    before = stored_places(engine)
    with captured_sql(engine) as statements:
        again = crawl(engine, board, batch=5)
    assert (again.updated_count, again.unchanged_count) == (0, 12)
    assert not [s for s in statements if "posting_locations" in s or s.startswith("COPY")]
    assert stored_places(engine) == before


def test_changed_places_replace_the_stored_ones(engine: Engine) -> None:
    crawl(engine, [placed(1, LEEDS, CORK), placed(2, LEEDS)])
    again = crawl(engine, [placed(1, CORK), placed(2, LEEDS, title="Staff Engineer")])
    assert again.updated_count == 2
    assert stored_places(engine) == {
        "1": [("Berlin", "Berlin", "DE", "Berlin, Germany"), ("Cork", None, "IE", "Cork")],
        "2": [("Berlin", "Berlin", "DE", "Berlin, Germany"), ("Leeds", None, "GB", "Leeds")],
    }
    ids = {row.id: ext for ext, row in postings_by_id(engine).items()}
    changes = {ids[e.posting_id]: e.changes for e in events(engine, "updated")}
    assert changes["1"] == {
        "locations": {
            "old": [
                ["Berlin", "Berlin", "DE", "Berlin, Germany"],
                ["Leeds", None, "GB", "Leeds"],
                ["Cork", None, "IE", "Cork"],
            ],
            "new": [["Berlin", "Berlin", "DE", "Berlin, Germany"], ["Cork", None, "IE", "Cork"]],
        }
    }
    assert set(changes["2"]) == {"title"}  # same places: not reported


def test_a_removed_and_reopened_posting_keeps_its_places(engine: Engine) -> None:
    crawl(engine, [placed(1, LEEDS), placed(2)])
    crawl(engine, [placed(2)], gone={"1"})
    assert postings_by_id(engine)["1"].status == "removed"
    assert crawl(engine, [placed(1, LEEDS), placed(2)]).reopened_count == 1
    assert stored_places(engine)["1"] == [
        ("Berlin", "Berlin", "DE", "Berlin, Germany"),
        ("Leeds", None, "GB", "Leeds"),
    ]


def test_found_by_any_place(engine: Engine) -> None:
    remote = posting(3, location="Remote", city=None, region=None, country=None, locations=[])
    crawl(engine, [placed(1, LEEDS, CORK), placed(2, LEEDS), remote])
    assert found_by(engine, country="IE") == {"1"}
    assert found_by(engine, country="gb") == {"1", "2"}
    assert found_by(engine, country="DE") == {"1", "2"}
    assert found_by(engine, city="leeds") == {"1", "2"}
    assert found_by(engine, city="Cork", country="IE") == {"1"}
    assert found_by(engine, city="Cork", country="GB") == set()  # one place must match both
    assert found_by(engine) == {"1", "2", "3"}
