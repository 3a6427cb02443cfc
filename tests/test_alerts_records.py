"""Saved searches from files: synced every pass, unchanged ones untouched, gone ones gone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from jobcrawler.alerts import records
from jobcrawler.alerts.spec import load_dir


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
