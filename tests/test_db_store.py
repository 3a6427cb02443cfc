"""Posting lifecycle rules of CrawlStore, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select

from jobcrawler.db.models import Company, JobPosting
from jobcrawler.db.store import (
    POSTING_FIELDS,
    CompanyRecord,
    CrawlStore,
    SessionResult,
    content_hash,
)
from tests.helpers.store import ACME, captured_sql, crawl, events, posting, postings_by_id, session

WITHHELD_15_OF_20 = (
    "removals withheld: 15 of 20 active postings missing (ratio 0.75 > 0.5); "
    "they are removed if the next complete crawl still misses them"
)


def test_first_crawl_creates_everything(engine: Engine) -> None:
    result = crawl(engine, [posting(i) for i in range(25)])

    assert (result.status, result.new_count, result.error) == ("succeeded", 25, None)
    rows = postings_by_id(engine)
    assert len(rows) == 25
    assert {row.status for row in rows.values()} == {"active"}
    assert all(row.first_seen_at == row.last_seen_at for row in rows.values())
    assert rows["3"].description_html == posting(3)["description_html"]  # COPY escaping
    assert rows["3"].salary_min == 60000.0
    created = events(engine, "created")
    assert len(created) == 25
    assert {e.session_id for e in created} == {result.session_id}
    assert all(e.changes is None for e in created)
    row = session(engine, result.session_id)
    assert (row.status, row.new_count, row.items_scraped, row.job_id) == (
        "succeeded",
        25,
        25,
        "job-1",
    )
    assert (row.trigger, row.spider, row.finish_reason) == ("schedule", "greenhouse", "finished")
    assert row.stats == {"finish_time": "2026-11-23T00:00:00+00:00", "item_scraped_count": 1}
    assert row.finished_at >= row.started_at


def test_unchanged_recrawl_rewrites_nothing(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(20)])
    before = postings_by_id(engine)

    with captured_sql(engine) as statements:
        result = crawl(engine, [posting(i) for i in range(20)], batch=10)

    assert (result.unchanged_count, result.new_count, result.updated_count) == (20, 0, 0)
    assert (result.removed_count, result.reopened_count) == (0, 0)
    assert len(events(engine)) == 20  # only the first crawl's `created`
    after = postings_by_id(engine)
    for external_id, old in before.items():
        new = after[external_id]
        assert [getattr(new, f) for f in POSTING_FIELDS] == [
            getattr(old, f) for f in POSTING_FIELDS
        ]
        assert new.first_seen_at == old.first_seen_at
        assert new.last_seen_at > old.last_seen_at
    posting_writes = [
        s for s in statements if s.startswith(("INSERT INTO job_postings", "UPDATE job_postings"))
    ]
    assert len(posting_writes) == 2  # one bulk UPDATE per batch ...
    assert all(
        "description" not in s and "last_seen_at" in s for s in posting_writes
    )  # ... of last_seen_at
    assert not any(s.startswith(("INSERT INTO job_events", "CREATE TEMP")) for s in statements)


def test_missing_postings_are_removed(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(12)])
    result = crawl(engine, [posting(i) for i in range(10)], gone={"10", "11"})

    assert (result.status, result.removed_count, result.unchanged_count) == ("succeeded", 2, 10)
    rows = postings_by_id(engine)
    assert [rows[x].status for x in ("10", "11")] == ["removed", "removed"]
    assert rows["10"].removed_at is not None
    assert rows["10"].removed_at.tzinfo == UTC
    assert {e.external_id for e in events(engine, "removed")} == {"10", "11"}
    assert session(engine, result.session_id).removed_count == 2


def test_stale_postings_a_complete_crawl_misses_are_removed(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(4)])
    with engine.begin() as conn:
        stale = JobPosting.__table__.c.external_id.in_(["2", "3"])
        conn.execute(JobPosting.__table__.update().where(stale).values(status="stale"))
    crawl(engine, [posting(0), posting(1), posting(2)], complete=False)
    assert [r.status for _, r in sorted(postings_by_id(engine).items())] == [
        "active",
        "active",
        "active",  # seen again: reopened
        "stale",  # an incomplete crawl removes nothing
    ]
    result = crawl(engine, [posting(0), posting(1), posting(2)], gone={"3"})
    assert result.removed_count == 1
    assert postings_by_id(engine)["3"].status == "removed"
    assert [e.external_id for e in events(engine, "removed")] == ["3"]


def test_incomplete_crawl_removes_nothing(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(12)])
    result = crawl(engine, [posting(i) for i in range(5)], complete=False)

    assert (result.status, result.error, result.removed_count) == (
        "partial",
        "listing page 3 failed",
        0,
    )
    assert {row.status for row in postings_by_id(engine).values()} == {"active"}
    assert all(row.missing_since is None for row in postings_by_id(engine).values())
    assert events(engine, "removed") == []
    row = session(engine, result.session_id)
    assert (row.status, row.error, row.unchanged_count) == ("partial", "listing page 3 failed", 5)


def test_incomplete_crawl_without_items_failed(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(3)])
    result = crawl(engine, [], complete=False)
    assert (result.status, result.error) == ("failed", "listing page 3 failed")
    assert {row.status for row in postings_by_id(engine).values()} == {"active"}


def test_reappearing_posting_is_reopened(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(4)])
    crawl(engine, [posting(i) for i in range(2)], gone={"2", "3"})  # 2 and 3 removed
    result = crawl(engine, [posting(0), posting(1), posting(2), posting(3, title="Lead 3")])

    assert (result.reopened_count, result.unchanged_count, result.updated_count) == (2, 2, 0)
    rows = postings_by_id(engine)
    assert all(rows[x].status == "active" and rows[x].removed_at is None for x in ("2", "3"))
    assert rows["3"].title == "Lead 3"
    reopened = {e.external_id: e.changes for e in events(engine, "reopened")}
    assert reopened == {"2": None, "3": {"title": {"old": "Engineer 3", "new": "Lead 3"}}}


def test_changed_fields_give_updated_event_with_old_and_new(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(3)])
    new_time = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    changed = posting(1, title="Senior Engineer", salary_min=65000, posted_at=new_time)
    result = crawl(engine, [posting(0), changed, posting(2)])

    assert (result.updated_count, result.unchanged_count) == (1, 2)
    (update,) = events(engine, "updated")
    assert update.external_id == "1"
    assert update.changes == {
        "title": {"old": "Engineer 1", "new": "Senior Engineer"},
        "salary_min": {"old": 60000.0, "new": 65000.0},
        "posted_at": {"old": "2026-11-01T09:30:00+00:00", "new": "2026-11-20T12:00:00+00:00"},
    }
    row = postings_by_id(engine)["1"]
    assert (row.title, row.salary_min, row.posted_at) == ("Senior Engineer", 65000.0, new_time)
    assert row.content_hash == content_hash(changed)


def test_mass_removal_is_withheld_then_confirmed(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(20)])
    first = crawl(engine, [posting(i) for i in range(5)])

    assert (first.status, first.removed_count, first.withheld_count) == ("succeeded", 0, 15)
    assert first.error == WITHHELD_15_OF_20
    assert session(engine, first.session_id).error == WITHHELD_15_OF_20
    rows = postings_by_id(engine)
    assert {rows[str(i)].status for i in range(20)} == {"active"}
    assert all(rows[str(i)].missing_since is not None for i in range(5, 20))
    assert all(rows[str(i)].missing_since is None for i in range(5))

    # 5 and 6 come back; the others are still missing: now they are removed.
    second = crawl(engine, [posting(i) for i in range(7)])
    assert (second.removed_count, second.unchanged_count, second.withheld_count) == (13, 7, 0)
    assert second.error is None
    rows = postings_by_id(engine)
    assert {rows[str(i)].status for i in range(7, 20)} == {"removed"}
    assert all(rows[str(i)].missing_since is None for i in range(20))
    assert {rows[str(i)].status for i in range(7)} == {"active"}
    assert len(events(engine, "removed")) == 13


def test_incomplete_crawl_keeps_missing_since(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(20)])
    crawl(engine, [posting(i) for i in range(5)])  # withheld
    crawl(engine, [posting(i) for i in range(3)], complete=False)
    rows = postings_by_id(engine)
    assert {row.status for row in rows.values()} == {"active"}
    assert all(rows[str(i)].missing_since is not None for i in range(5, 20))


def test_guard_not_applied_below_ten_active(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(9)])
    result = crawl(engine, [posting(0)], gone={str(i) for i in range(1, 9)})
    assert (result.removed_count, result.withheld_count, result.error) == (8, 0, None)


def test_guard_ratio_is_configurable(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(10)])
    gone = {str(i) for i in range(4, 10)}
    result = crawl(engine, [posting(i) for i in range(4)], max_removal_ratio=0.7, gone=gone)
    assert (result.removed_count, result.withheld_count) == (6, 0)


def test_timestamps_are_aware_utc(engine: Engine) -> None:
    berlin = timezone(timedelta(hours=1))
    result = crawl(engine, [posting(1, posted_at=datetime(2026, 11, 1, 10, 30, tzinfo=berlin))])
    row = postings_by_id(engine)["1"]
    for value in (row.posted_at, row.first_seen_at, row.last_seen_at):
        assert value.tzinfo == UTC
    assert row.posted_at == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    assert abs(row.first_seen_at - datetime.now(UTC)) < timedelta(minutes=1)
    crawl_session = session(engine, result.session_id)
    assert crawl_session.started_at.tzinfo == UTC
    assert events(engine)[0].at.tzinfo == UTC


def test_duplicate_external_ids_are_ignored(engine: Engine) -> None:
    store = CrawlStore(engine)
    store.open(ACME, spider="greenhouse", job_id=None, trigger="manual")
    store.write([posting(1), posting(1, title="dup in batch")])
    store.write([posting(1, title="dup in later batch"), posting(2)])
    result = store.close(
        finish_reason="finished",
        complete=True,
        incomplete_reason=None,
        items_scraped=4,
        error_count=0,
        stats={},
    )
    assert (result.new_count, result.updated_count) == (2, 0)
    assert postings_by_id(engine)["1"].title == "Engineer 1"
    assert len(events(engine)) == 2


def test_fail_marks_session_failed_and_removes_nothing(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(3)])
    store = CrawlStore(engine)
    session_id = store.open(ACME, spider="greenhouse", job_id=None, trigger="retry")
    store.write([posting(0), posting(9)])
    store.fail("Traceback: boom")

    row = session(engine, session_id)
    assert (row.status, row.error, row.new_count, row.unchanged_count) == (
        "failed",
        "Traceback: boom",
        1,
        1,
    )
    assert row.finished_at is not None
    assert {r.status for r in postings_by_id(engine).values()} == {"active"}
    store.fail("again")  # no open session: a no-op
    with pytest.raises(RuntimeError):
        store.write([posting(1)])


def test_company_row_is_upserted(engine: Engine) -> None:
    crawl(engine, [posting(1)])
    renamed = CompanyRecord(slug="acme", name="Acme AG", ats="lever", board=None, active=False)
    crawl(engine, [posting(1)], company=renamed)
    with engine.connect() as conn:
        companies = conn.execute(select(Company)).all()
    assert [(c.slug, c.name, c.ats, c.board, c.active) for c in companies] == [
        ("acme", "Acme AG", "lever", None, False)
    ]


def test_two_companies_crawled_concurrently(engine: Engine) -> None:
    """Two crawl threads sharing one engine (and database) don't interfere."""
    companies = [CompanyRecord(f"co{n}", f"Company {n}", "greenhouse", f"co{n}") for n in (1, 2)]
    results: dict[str, list[SessionResult]] = {}
    errors: list[BaseException] = []

    def run(company: CompanyRecord) -> None:
        try:
            ids = [posting(i, title=f"{company.slug} {i}") for i in range(40)]
            results[company.slug] = [
                crawl(engine, ids, company=company, batch=5),
                crawl(
                    engine, ids[:35], company=company, batch=5, gone={"35", "36", "37", "38", "39"}
                ),
            ]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(company,)) for company in companies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for company in companies:
        first, second = results[company.slug]
        assert (first.new_count, second.unchanged_count, second.removed_count) == (40, 35, 5)
        rows = postings_by_id(engine, company.slug)
        assert {row.title.split()[0] for row in rows.values()} == {company.slug}
        assert sum(row.status == "removed" for row in rows.values()) == 5


def test_content_hash_is_stable() -> None:
    base = posting(1)
    assert len(content_hash(base)) == 64
    assert content_hash(base) == content_hash(dict(base))
    # same content, different representation
    assert content_hash(base | {"salary_min": 60000.0}) == content_hash(base)
    assert content_hash(base | {"posted_at": "2026-11-01T10:30:00+01:00"}) == content_hash(base)
    assert content_hash(base | {"posted_at": datetime(2026, 11, 1, 9, 30)}) == content_hash(base)
    assert content_hash({k: v for k, v in base.items() if k != "external_id"}) == content_hash(base)
    # different content
    assert content_hash(base | {"title": "Other"}) != content_hash(base)
    assert content_hash(base | {"team": None}) != content_hash(base | {"team": ""})
    assert content_hash(base | {"salary_max": 80000.51}) != content_hash(base)


# --- detail pages: list hashes and postings seen without an item --------------------------


def test_list_hashes_are_stored_and_shared(engine: Engine) -> None:
    crawl(engine, [posting(i, list_hash=f"h{i}") for i in range(3)] + [posting(3)])
    store = CrawlStore(engine)
    store.open(ACME, spider="s", job_id=None, trigger="manual")
    assert store.list_hashes() == {"0": "h0", "1": "h1", "2": "h2"}


def test_new_list_hash_with_same_content_is_stored_without_event(engine: Engine) -> None:
    crawl(engine, [posting(0, list_hash="old")])
    result = crawl(engine, [posting(0, list_hash="new")])
    assert (result.unchanged_count, result.updated_count) == (1, 0)
    assert [e[4] for e in events(engine)] == ["created"]
    assert postings_by_id(engine)["0"].list_hash == "new"


def test_touched_postings_stay_active_and_count_unchanged(engine: Engine) -> None:
    crawl(engine, [posting(i, list_hash=f"h{i}") for i in range(12)])
    before = postings_by_id(engine)["5"].last_seen_at
    store = CrawlStore(engine)
    store.open(ACME, spider="s", job_id=None, trigger="manual")
    store.write([posting(0, list_hash="h0", title="Changed")])  # the one detail fetched
    store.touch([str(i) for i in range(1, 12)] + ["unknown-id"])  # details skipped
    result = store.close(
        finish_reason="finished",
        complete=True,
        incomplete_reason=None,
        items_scraped=1,
        error_count=0,
        stats={},
    )
    assert (result.updated_count, result.unchanged_count, result.removed_count) == (1, 11, 0)
    rows = postings_by_id(engine)
    assert {p.status for p in rows.values()} == {"active"}
    assert rows["5"].last_seen_at > before
    assert rows["5"].description == posting(5)["description"]
