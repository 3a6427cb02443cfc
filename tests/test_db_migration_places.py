"""Migration posting_locations: stored postings get their places and the hash that covers
them, so a recrawl of an unchanged board after the upgrade records no update; on SQLite
and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from itemadapter import ItemAdapter
from sqlalchemy import Engine

from jobcrawler.db import migrate
from jobcrawler.db import store as db_store
from jobcrawler.db.content import content_hash, hash_clean
from jobcrawler.items import JobPosting
from jobcrawler.pipelines.normalize import normalize
from tests.helpers.migrations import alembic, stored_hashes
from tests.helpers.store import captured_sql, crawl, posting, stored_places


def item(i: int, location: str, **fields: Any) -> dict[str, Any]:
    """A posting as the normalize stage hands it to the store; places as Lever lists them."""
    posting = ItemAdapter(
        JobPosting(
            external_id=str(i),
            title=f"Engineer {i}",
            url=f"https://jobs.example.com/{i}",
            location=location,
            locations=location.split("; "),
            **fields,
        )
    )
    normalize(posting)
    return dict(posting)


POSTINGS = [
    item(1, "London; Stockholm", country="GB"),
    item(2, "Leeds"),
    item(3, "Remote"),
    item(4, "New York, NY; San Francisco, CA; Remote - US"),
    *(posting(i) for i in range(5, 1010)),  # past the migration's 1,000 rows per batch
]


def old_hash(values: dict[str, Any]) -> str:
    """The hash before this revision: the fields alone."""
    return hash_clean({k: v for k, v in values.items() if k != "locations"})


@pytest.mark.parametrize(
    "fresh_engine",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_upgrade_stores_places_so_a_recrawl_updates_nothing(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh_engine
    alembic(engine, "upgrade", "0007")
    with monkeypatch.context() as patch:  # a crawl by the code before the migration
        patch.setattr(db_store, "hash_clean", old_hash)
        patch.setattr(db_store.bulk, "write_places", lambda *args, **kwargs: None)
        crawl(engine, POSTINGS, batch=400)
    old = stored_hashes(engine)

    migrate(engine)
    assert stored_hashes(engine) == {p["external_id"]: content_hash(p) for p in POSTINGS}
    places = stored_places(engine)
    assert places["1"] == [("London", None, "GB", "London"), ("Stockholm", None, "SE", "Stockholm")]
    assert places["2"] == [("Leeds", None, "GB", "Leeds")]
    assert "3" not in places
    assert [place[:3] for place in places["4"]] == [
        ("New York", "NY", "US"),
        ("San Francisco", "CA", "US"),
        (None, None, "US"),
    ]
    with captured_sql(engine) as statements:
        again = crawl(engine, POSTINGS, batch=400)
    assert (again.updated_count, again.unchanged_count) == (0, len(POSTINGS))
    assert not [s for s in statements if "posting_locations" in s or s.startswith("COPY")]

    alembic(engine, "downgrade", "0007")
    assert stored_hashes(engine) == old
