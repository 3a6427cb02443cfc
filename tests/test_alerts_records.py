"""Saved searches from files: synced every pass, unchanged ones untouched, gone ones gone;
a new file's subscribers start from when it was written."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, update

from jobcrawler.alerts import records
from jobcrawler.alerts.spec import load_dir
from jobcrawler.db.models import JobEvent
from tests.helpers.alerts import match_until, queued_postings
from tests.helpers.store import crawl, posting


def test_an_unchanged_file_keeps_its_search(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "rust.yaml").write_text("filters: {q: rust, posted_since: 2026-11-01}\n")
    first = datetime(2026, 12, 1, tzinfo=UTC)
    records.sync_files(engine, load_dir(tmp_path), first)
    records.sync_files(engine, load_dir(tmp_path), datetime(2026, 12, 2, tzinfo=UTC))
    with engine.connect() as conn:
        [search] = records.read(conn)
    assert search["updated_at"] == first
    (tmp_path / "rust.yaml").unlink()
    records.sync_files(engine, load_dir(tmp_path), first)
    with engine.connect() as conn:
        assert records.read(conn) == []


def write_search(folder: Path, written: datetime) -> None:
    """A search file for every new posting, as if written at `written`."""
    path = folder / "watch.yaml"
    path.write_text("subscribers: [{email: ops@example.com}]\n")
    os.utime(path, (written.timestamp(), written.timestamp()))


def sync_and_match(engine: Engine, folder: Path) -> list[tuple[str, str]]:
    """An alerts pass's first two steps, matching until a delivery is queued (PostgreSQL's
    feed may hold events back a while); the (kind, external id) queued."""
    records.sync_files(engine, load_dir(folder), datetime.now(UTC))
    match_until(engine, 1)
    return queued_postings(engine)


def test_a_file_subscribes_from_when_it_was_written(engine: Engine, tmp_path: Path) -> None:
    """The file is written after one crawl, and the next crawl comes before any alerts pass:
    the subscriber gets that crawl's new posting, not the first crawl's."""
    crawl(engine, [posting(1), posting(2)])
    written = datetime.now(UTC)
    crawl(engine, [posting(1), posting(2), posting(3)])
    write_search(tmp_path, written)
    assert sync_and_match(engine, tmp_path) == [("created", "3")]


def test_a_file_written_long_ago_subscribes_a_day_back_at_most(
    engine: Engine, tmp_path: Path
) -> None:
    crawl(engine, [posting(1)])
    with engine.begin() as conn:  # posting 1 came two days ago
        conn.execute(update(JobEvent).values(at=datetime.now(UTC) - timedelta(days=2)))
    crawl(engine, [posting(1), posting(2)])
    write_search(tmp_path, datetime.now(UTC) - timedelta(days=30))
    assert sync_and_match(engine, tmp_path) == [("created", "2")]
