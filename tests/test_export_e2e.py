"""End to end: `python -m jobcrawler export` on SQLite and PostgreSQL, its filters, and the
fields `scrapy crawl -O` feeds carry."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from jobcrawler.db.filters import PostingFilter
from jobcrawler.export import COLUMNS, posting_rows
from jobcrawler.items import FEED_FIELDS
from tests.helpers.crawling import ROOT, Crawl
from tests.helpers.store import OTHER, crawl, posting

pytestmark = pytest.mark.e2e

LYON = {"city": "Lyon", "region": None, "country": "FR", "raw": "Lyon"}


@pytest.fixture
def stored(engine):
    """acme: 1-5 in Berlin (1 a Rust engineer; 3 also in Lyon; 4 remote, USD 120-150k; 5 removed, no salary);
    other: 1-2 in London, posted a year earlier."""
    acme = [posting(i) for i in range(1, 6)]
    berlin = {"city": "Berlin", "region": "Berlin", "country": "DE", "raw": "Berlin, Germany"}
    acme[0]["title"] = "Rust Engineer"
    acme[2]["locations"] = [berlin, LYON]
    acme[3] |= {"remote_type": "remote", "salary_min": 120000, "salary_max": 150000}
    acme[3]["salary_currency"] = "USD"
    acme[4] |= {"salary_min": None, "salary_max": None, "salary_currency": None}
    crawl(engine, acme)
    london = {"city": "London", "country": "GB", "location": "London", "region": None}
    old = datetime(2025, 11, 1, tzinfo=UTC)
    crawl(engine, [posting(i, **london, posted_at=old) for i in (1, 2)], company=OTHER)
    with engine.begin() as conn:
        conn.execute(text("UPDATE job_postings SET status = 'removed' WHERE external_id = '5'"))
    return engine


def export(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobcrawler", "export", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": db_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def keys(engine, **match) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [
            (r["company"], r["external_id"]) for r in posting_rows(conn, PostingFilter(**match))
        ]


def test_the_three_formats_agree(stored, db_url, tmp_path):
    jsonl = export(db_url, "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    assert "6 postings exported" in jsonl.stderr
    lines = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [(r["company"], r["external_id"]) for r in lines] == [
        ("acme", "1"), ("acme", "2"), ("acme", "3"), ("acme", "4"), ("other", "1"), ("other", "2")
    ]  # fmt: skip
    assert list(lines[0]) == list(COLUMNS)
    assert lines[0]["company_name"] == "Acme Inc"
    assert lines[0]["posted_at"] == "2026-11-01T09:30:00+00:00"
    assert lines[0]["salary_max"] == 80000.5
    assert [p["city"] for p in lines[2]["places"]] == ["Berlin", "Lyon"]
    assert [p["city"] for p in lines[4]["places"]] == ["London"]

    out = tmp_path / "out.csv"
    assert export(db_url, "-o", str(out)).returncode == 0
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["id"] for r in table] == [str(r["id"]) for r in lines]
    assert [json.loads(r["places"]) for r in table] == [r["places"] for r in lines]
    assert table[0]["posted_at"] == lines[0]["posted_at"]

    out = tmp_path / "out.parquet"
    assert export(db_url, "--format", "parquet", "-o", str(out)).returncode == 0
    read = pq.read_table(out).to_pylist()
    assert [r["id"] for r in read] == [r["id"] for r in lines]
    assert read[2]["places"] == lines[2]["places"]
    assert read[0]["posted_at"] == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_parquet_needs_a_file(db_url):
    result = export(db_url, "--format", "parquet")
    assert result.returncode == 2
    assert "parquet needs a file" in result.stderr


def test_filters_on_the_command_line(stored, db_url):
    result = export(
        db_url, "--format", "jsonl", "--company", "acme", "--company", "other",
        "--country", "fr", "--status", "any",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["external_id"] for line in result.stdout.splitlines()] == ["3"]
    result = export(db_url, "--format", "jsonl", "--query", "RUST", "--company", "acme")
    assert [json.loads(line)["external_id"] for line in result.stdout.splitlines()] == ["1"]


def test_filters(stored):
    assert keys(stored, companies=("other",)) == [("other", "1"), ("other", "2")]
    assert keys(stored, country="FR") == [("acme", "3")]  # by its second place
    assert keys(stored, city="lyon", country="FR") == [("acme", "3")]
    assert keys(stored, city="Lyon", country="DE") == []  # one place must match both
    assert keys(stored, remote_type="REMOTE") == [("acme", "4")]
    assert len(keys(stored, employment_type="full_time", department="engineering")) == 6
    assert keys(stored, status="removed") == [("acme", "5")]
    assert len(keys(stored, status=None)) == 7
    assert len(keys(stored, posted_since=datetime(2026, 1, 1))) == 4
    assert len(keys(stored, first_seen_since=datetime(2000, 1, 1, tzinfo=UTC))) == 6
    assert keys(stored, salary_min=100000) == [("acme", "4")]
    assert len(keys(stored, salary_max=70000)) == 5  # 60-80k reaches down to 70k
    assert keys(stored, salary_min=90000, salary_max=130000) == [("acme", "4")]
    assert keys(stored, currency="usd") == [("acme", "4")]
    assert keys(stored, status="removed", salary_min=0) == []  # states no salary
    assert keys(stored, q="rust") == [("acme", "1")]


def test_feeds_leave_out_internal_fields(fake_ats, db_url, tmp_path):
    """SmartRecruiters items carry a list_hash (the control feed shows it); the default feed
    does not."""
    crawler = Crawl(fake_ats, db_url, tmp_path)
    crawler.board("smartrecruiters", "acme", size=5)
    crawler.board("smartrecruiters", "control", size=5)
    feed, control = tmp_path / "feed.jsonl", tmp_path / "control.jsonl"
    assert crawler.run("acme", "-O", str(feed)).returncode == 0
    fields = "-s", "FEED_EXPORT_FIELDS=external_id,list_hash"
    assert crawler.run("control", "-O", str(control), *fields).returncode == 0
    items = [json.loads(line) for line in feed.read_text().splitlines()]
    assert len(items) == 5
    assert all(set(item) <= set(FEED_FIELDS) and "title" in item for item in items)
    controls = [json.loads(line) for line in control.read_text().splitlines()]
    assert len(controls) == 5 and all(item.get("list_hash") for item in controls)
