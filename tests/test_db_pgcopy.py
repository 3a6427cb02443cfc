"""New postings and events written by COPY (PostgreSQL; SQLite's executemany must agree)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError

from jobcrawler.db.content import clean_posting
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import JobEvent, JobPosting
from jobcrawler.db.pgcopy import copy_rows
from jobcrawler.db.retry import is_transient
from tests.helpers.store import close, crawl, events, open_store, posting, postings_by_id

ONLY_POSTGRES = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
ODD = "tab\there, back\\slash \\N \\. \\t, CR\r\nLF\n, \x01\x0b\x0c, NUL\x00gone, «ünï» 😀 שלום"


def odd_posting(i: int) -> dict[str, object]:
    return posting(
        i,
        external_id=f"odd\t{i}\\N\n",
        title=f"{ODD} {i}",
        description_html=f"<p>{ODD}</p>",
        description=ODD,
        team="\\",
    )


def test_new_postings_get_their_own_ids_and_one_created_event_each(engine: Engine) -> None:
    first = crawl(engine, [posting(i) for i in range(12)], batch=5)
    stored = postings_by_id(engine)
    assert first.new_count == len(stored) == len({p.id for p in stored.values()}) == 12
    created = events(engine, "created")
    assert sorted((e.external_id, e.posting_id) for e in created) == sorted(
        (external_id, p.id) for external_id, p in stored.items()
    )
    assert {(e.session_id, e.changes) for e in created} == {(first.session_id, None)}
    # a batch of new and changed postings: the store's index holds the COPYed rows' ids
    second = crawl(engine, [posting(0, title="Renamed"), *(posting(i) for i in range(1, 14))])
    assert (second.new_count, second.updated_count, second.unchanged_count) == (2, 1, 11)
    again = postings_by_id(engine)
    assert {k: again[k].id for k in stored} == {k: p.id for k, p in stored.items()}
    assert again["0"].title == "Renamed"
    updated = events(engine, "updated")
    assert [(e.external_id, e.posting_id) for e in updated] == [("0", stored["0"].id)]
    assert updated[0].changes == {"title": {"old": "Engineer 0", "new": "Renamed"}}
    assert len(events(engine, "created")) == 14


def test_odd_characters_round_trip_in_postings_and_events(engine: Engine) -> None:
    crawl(engine, [odd_posting(1), odd_posting(2)])
    stored = postings_by_id(engine)
    assert sorted(stored) == ["odd\t1\\N\n", "odd\t2\\N\n"]
    for i in (1, 2):
        row = stored[f"odd\t{i}\\N\n"]
        expected = clean_posting(odd_posting(i))
        assert {f: getattr(row, f) for f in expected} == expected
        assert "\x00" not in row.title and row.title.startswith("tab\there, back\\slash \\N")
    changed = odd_posting(1) | {"title": f"{ODD}!"}
    crawl(engine, [changed, odd_posting(2)])
    (updated,) = events(engine, "updated")
    assert updated.changes == {
        "title": {
            "old": clean_posting(odd_posting(1))["title"],
            "new": ODD.replace("\x00", "") + "!",
        }
    }


@ONLY_POSTGRES
def test_new_posting_already_stored_is_refused_and_isolated(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(engine)  # its index is empty: every posting below looks new
    now = datetime.now(UTC)
    with engine.begin() as conn:  # stored behind the store's back
        conn.execute(
            JobPosting.__table__.insert().values(
                company_id=conn.execute(text("SELECT id FROM companies")).scalar_one(),
                external_id="5",
                title="intruder",
                content_hash="x",
                first_seen_at=now,
                last_seen_at=now,
            )
        )
    batch = [posting(i) for i in range(10)] + [posting(10, title="lone \ud800 surrogate")]
    with caplog.at_level(logging.ERROR):
        assert store.write(batch) == 2
    result = close(store)
    assert result.new_count == 9
    stored = postings_by_id(engine)
    assert sorted(stored, key=int) == [str(i) for i in range(10)]
    assert (stored["5"].title, stored["5"].content_hash) == ("intruder", "x")
    created = events(engine, "created")
    assert sorted((e.external_id, e.posting_id) for e in created) == sorted(
        (k, p.id) for k, p in stored.items() if k != "5"
    )
    refused = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(refused) == 2
    assert refused[0].startswith("acme: posting '5' not stored") and "duplicate key" in refused[0]


@ONLY_POSTGRES
def test_refused_copy_raises_a_sqlalchemy_error_and_leaves_nothing(engine: Engine) -> None:
    crawl(engine, [posting(1)])
    events_table = JobEvent.__table__
    with pytest.raises(IntegrityError) as refused, write_transaction(engine) as conn:
        posting_id = conn.execute(select(JobPosting.id)).scalar_one()
        rows = [(posting_id, "created", datetime.now(UTC)), (-1, "created", datetime.now(UTC))]
        copy_rows(conn, "job_events", ("posting_id", "kind", "at"), rows)
    assert not is_transient(refused.value)
    with engine.connect() as conn:
        assert len(conn.execute(select(events_table)).all()) == 1  # the first crawl's event
