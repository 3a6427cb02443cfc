"""CrawlStore removes a missing posting only on evidence: the platform said it is gone, or a
second complete crawl missed it too. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from jobcrawler.db.models import JobPosting
from jobcrawler.db.store import CrawlStore
from tests.helpers.store import ACME, crawl, events, posting, postings_by_id


def test_missing_without_evidence_is_removed_by_the_second_complete_crawl(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(5)])
    first = crawl(engine, [posting(i) for i in range(4)])
    assert (first.status, first.removed_count, first.withheld_count) == ("succeeded", 0, 1)
    row = postings_by_id(engine)["4"]
    assert row.status == "active" and row.missing_since is not None

    crawl(engine, [posting(i) for i in range(2)], complete=False)  # removes nothing
    assert postings_by_id(engine)["4"].status == "active"

    second = crawl(engine, [posting(i) for i in range(4)])
    assert (second.removed_count, second.withheld_count) == (1, 0)
    assert postings_by_id(engine)["4"].status == "removed"
    assert [e.external_id for e in events(engine, "removed")] == ["4"]


def test_a_posting_seen_again_starts_over(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(3)])
    crawl(engine, [posting(0), posting(1)])  # 2 missed once
    crawl(engine, [posting(i) for i in range(3)])  # 2 back
    assert postings_by_id(engine)["2"].missing_since is None
    result = crawl(engine, [posting(0), posting(1)])  # missed once again
    assert (result.removed_count, result.withheld_count) == (0, 1)
    assert postings_by_id(engine)["2"].status == "active"


def test_postings_verified_gone_are_removed_at_once_on_a_small_board(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(3)])
    result = crawl(engine, [posting(0)], gone={"1"})
    assert (result.removed_count, result.withheld_count) == (1, 1)
    rows = postings_by_id(engine)
    assert (rows["1"].status, rows["2"].status) == ("removed", "active")


def test_an_incomplete_crawl_ignores_gone(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(3)])
    result = crawl(engine, [posting(0)], complete=False, gone={"1", "2"})
    assert (result.status, result.removed_count) == ("partial", 0)
    assert {row.status for row in postings_by_id(engine).values()} == {"active"}


def test_the_mass_removal_guard_holds_even_when_verified_gone(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(20)])
    gone = {str(i) for i in range(5, 20)}
    result = crawl(engine, [posting(i) for i in range(5)], gone=gone)
    assert (result.removed_count, result.withheld_count) == (0, 15)
    assert result.error is not None and result.error.startswith("removals withheld")


def test_known_postings_are_the_active_and_stale_ones_with_their_url(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(4)])
    crawl(engine, [posting(0), posting(1), posting(2)], gone={"3"})
    with engine.begin() as conn:
        table = JobPosting.__table__
        conn.execute(table.update().where(table.c.external_id == "2").values(status="stale"))
    store = CrawlStore(engine)
    store.open(ACME, spider="s", job_id=None, trigger="manual")
    assert store.known_postings() == {str(i): f"https://jobs.example.com/{i}" for i in range(3)}
