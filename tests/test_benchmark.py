"""`make bench` keeps running: its parts that write their own company YAML or serve the API,
at a tiny size (a catalog change once broke the Workday part, and nothing ran it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakeats import FakeATS
from tests import bench_api, bench_memory, bench_pace

pytestmark = pytest.mark.e2e


def test_workday_pace_part_recrawls_without_detail_pages(
    fake_ats: FakeATS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench_pace, "POSTINGS", 12)
    [line, _] = bench_pace.figures(fake_ats, f"sqlite:///{tmp_path / 'db.sqlite3'}", "HOST_DELAY=0")
    assert line.startswith("Workday tenant of 12 postings") and "(0 detail pages)" in line


def test_memory_part_crawls_its_board(
    fake_ats: FakeATS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench_memory, "POSTINGS", 30)
    [line] = bench_memory.figures(fake_ats, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert "30-posting Greenhouse board" in line and "peak RSS" in line


def test_api_part_times_searches_and_the_feed(empty_pg_url: str) -> None:
    lines = bench_api.figures(empty_pg_url, count=1_500)
    assert lines[0].startswith("api: 1,500 postings")
    assert len([line for line in lines if line.startswith("  ")]) == len(bench_api.SEARCHES) + 2
    assert "changes: followed" in lines[-3]
